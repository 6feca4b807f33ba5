package io.pgusers.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pgusers.testing.AppDatabase;
import io.pgusers.testing.CliRun;
import io.pgusers.testing.Names;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What read-write and read-only users can really do, logged in with their own passwords, on every
 * supported major version.
 */
@Tag("privileges")
class PrivilegesTest {
    private static final String INSUFFICIENT_PRIVILEGE = "42501";

    static AppDatabase db;
    static String writer;
    static String writerPassword;
    static String reader;
    static String readerPassword;

    @BeforeAll
    static void setUp() throws SQLException {
        db = AppDatabase.provision("priv");
        try (Connection owner = db.loginAsOwner(); Statement s = owner.createStatement()) {
            s.execute("CREATE TABLE accounts (id serial PRIMARY KEY, label text)");
            s.execute("INSERT INTO accounts (label) VALUES ('from the protected user')");
        }
        writer = Names.user("rw");
        writerPassword = Names.password();
        reader = Names.user("ro");
        readerPassword = Names.password();
        CliRun rw = db.cli().stdin(writerPassword + "\n").run("create", "--password-stdin", writer);
        assertEquals(0, rw.exitCode(), rw::toString);
        CliRun ro = db.cli().stdin(readerPassword + "\n").run("create", "--read-only", "--password-stdin", reader);
        assertEquals(0, ro.exitCode(), ro::toString);
    }

    @Test
    void readWriteUserCreatesTablesWritesAndReads() throws SQLException {
        try (Connection c = db.login(writer, writerPassword); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE writer_notes_" + writer + " (id serial PRIMARY KEY, body text)");
            s.execute("INSERT INTO writer_notes_" + writer + " (body) VALUES ('hello')");
            assertEquals("hello", single(s, "SELECT body FROM writer_notes_" + writer));
        }
    }

    @Test
    void readWriteUserWritesTheProtectedUsersTables() throws SQLException {
        try (Connection c = db.login(writer, writerPassword); Statement s = c.createStatement()) {
            s.execute("INSERT INTO accounts (label) VALUES ('from the writer')");
            s.execute("UPDATE accounts SET label = label WHERE id = 1");
            single(s, "SELECT nextval('accounts_id_seq')");
        }
    }

    @Test
    void readOnlyUserReadsTheProtectedUsersTables() throws SQLException {
        try (Connection c = db.login(reader, readerPassword); Statement s = c.createStatement()) {
            assertEquals("from the protected user", single(s, "SELECT label FROM accounts WHERE id = 1"));
        }
    }

    @Test
    void readOnlyUserReadsTablesTheProtectedUserCreatesLater() throws SQLException {
        try (Connection owner = db.loginAsOwner(); Statement s = owner.createStatement()) {
            s.execute("CREATE TABLE later_table (v int)");
            s.execute("INSERT INTO later_table VALUES (42)");
        }
        try (Connection c = db.login(reader, readerPassword); Statement s = c.createStatement()) {
            assertEquals("42", single(s, "SELECT v FROM later_table"));
        }
    }

    @Test
    void readOnlyUserCannotInsert() throws SQLException {
        assertRefused("INSERT INTO accounts (label) VALUES ('no')");
    }

    @Test
    void readOnlyUserCannotUpdate() throws SQLException {
        assertRefused("UPDATE accounts SET label = 'no'");
    }

    @Test
    void readOnlyUserCannotDelete() throws SQLException {
        assertRefused("DELETE FROM accounts");
    }

    @Test
    void readOnlyUserCannotCreateTable() throws SQLException {
        assertRefused("CREATE TABLE intruder (id int)");
    }

    @Test
    void readOnlyUserCannotCreateTableEvenNamingSchemaPublic() throws SQLException {
        assertRefused("CREATE TABLE public.intruder2 (id int)");
    }

    @Test
    void readOnlyUserCannotCallNextval() throws SQLException {
        assertRefused("SELECT nextval('accounts_id_seq')");
    }

    @Test
    void readOnlyUserCannotTruncate() throws SQLException {
        assertRefused("TRUNCATE accounts");
    }

    @Test
    void listShowsEachUsersRealAccess() {
        CliRun list = db.cli().run("list", "--json");
        assertEquals(0, list.exitCode(), list::toString);
        var users = AppDatabase.listed(list.out());
        boolean sawWriter = false;
        boolean sawReader = false;
        for (var user : users) {
            String name = user.get("name").asText();
            if (name.equals(writer)) {
                sawWriter = true;
                assertEquals(false, user.get("read_only").asBoolean());
            } else if (name.equals(reader)) {
                sawReader = true;
                assertEquals(true, user.get("read_only").asBoolean());
            } else if (name.equals(db.owner())) {
                assertEquals(true, user.get("protected").asBoolean());
            }
        }
        assertEquals(true, sawWriter && sawReader, list::toString);
    }

    /** The reader's statement is refused for lack of privilege, and the protected user's data is as it was. */
    private static void assertRefused(String statement) throws SQLException {
        String before = db.value("SELECT string_agg(id || ':' || label, ',' ORDER BY id) FROM accounts");
        SQLException e = assertThrows(SQLException.class, () -> {
            try (Connection c = db.login(reader, readerPassword); Statement s = c.createStatement()) {
                s.execute(statement);
            }
        }, statement);
        assertEquals(INSUFFICIENT_PRIVILEGE, e.getSQLState(), e.getMessage());
        assertEquals(before, db.value("SELECT string_agg(id || ':' || label, ',' ORDER BY id) FROM accounts"),
                "nothing changed: " + statement);
        assertEquals("0", db.value("SELECT count(*) FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner "
                + "WHERE r.rolname = '" + reader + "'"), "the reader owns nothing: " + statement);
    }

    private static String single(Statement s, String query) throws SQLException {
        try (ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
