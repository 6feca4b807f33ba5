package io.pgusers.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgusers.testing.AppDatabase;
import io.pgusers.testing.CliRun;
import io.pgusers.testing.CliRun.ScriptedTerminal;
import io.pgusers.testing.Names;
import io.pgusers.testing.PgServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code pgusers delete}: the role goes, in every database; its tables and their rows stay. */
class DeleteCommandTest {
    static AppDatabase db;

    @BeforeAll
    static void provision() {
        db = AppDatabase.provision("delete");
    }

    @Test
    void theRoleIsGoneAndItsTablesStayWithTheirRows() throws SQLException {
        String name = Names.user("leaver");
        String password = Names.password();
        assertEquals(0, db.cli().stdin(password + "\n").run("create", "--password-stdin", name).exitCode());
        try (Connection c = db.login(name, password); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE orders_" + name + " (id serial PRIMARY KEY, item text)");
            s.execute("INSERT INTO orders_" + name + " (item) VALUES ('kept'), ('also kept')");
        }
        CliRun run = db.cli().run("delete", name);
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals("User \"" + name + "\" deleted.\n", run.out());
        assertFalse(db.roleExists(name));
        assertEquals("2", db.value("SELECT count(*) FROM orders_" + name));
        assertEquals(db.owner(), db.value("SELECT tableowner FROM pg_tables WHERE tablename = 'orders_" + name + "'"));
        try (Connection owner = db.loginAsOwner(); Statement s = owner.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM orders_" + name)) {
            rs.next();
            assertEquals(2, rs.getInt(1), "the protected user can use what the deleted user made");
        }
    }

    @Test
    void objectsAndPrivilegesInOtherDatabasesAreHandedOverToo() throws SQLException {
        String name = Names.user("spread");
        String password = Names.password();
        assertEquals(0, db.cli().stdin(password + "\n").run("create", "--password-stdin", name).exitCode());
        String other = PgServer.shared().createDatabase("otherdb");
        try (Connection su = PgServer.shared().connectAsSuperuser(other); Statement s = su.createStatement()) {
            s.execute("GRANT CREATE ON SCHEMA public TO " + name);
        }
        try (Connection c = PgServer.shared().connect(other, name, password); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE elsewhere (v int)");
            s.execute("INSERT INTO elsewhere VALUES (7)");
        }
        CliRun run = db.cli().run("delete", name);
        assertEquals(0, run.exitCode(), run::toString);
        assertFalse(db.roleExists(name));
        try (Connection su = PgServer.shared().connectAsSuperuser(other); Statement s = su.createStatement();
             ResultSet rs = s.executeQuery("SELECT v, (SELECT tableowner FROM pg_tables WHERE tablename = 'elsewhere') FROM elsewhere")) {
            assertTrue(rs.next());
            assertEquals(7, rs.getInt(1));
            assertEquals("postgres", rs.getString(2));
        }
    }

    @Test
    void aFailureAtTheLastStepGivesTheUserItsLoginBack() throws SQLException {
        String name = Names.user("kept");
        String password = Names.password();
        assertEquals(0, db.cli().stdin(password + "\n").run("create", "--password-stdin", name).exitCode());
        String trigger = "fail_" + name;
        db.sql("CREATE FUNCTION " + trigger + "() RETURNS event_trigger LANGUAGE plpgsql AS "
                + "$$ BEGIN RAISE EXCEPTION 'drop owned is broken today'; END $$");
        db.sql("CREATE EVENT TRIGGER " + trigger + " ON ddl_command_start WHEN TAG IN ('DROP OWNED') EXECUTE PROCEDURE "
                + trigger + "()");
        try {
            CliRun run = db.cli().run("delete", name);
            assertEquals(1, run.exitCode(), run::toString);
            assertTrue(run.err().contains("drop owned is broken today"), run.err());
        } finally {
            db.sql("DROP EVENT TRIGGER " + trigger);
            db.sql("DROP FUNCTION " + trigger + "()");
        }
        assertTrue(db.roleExists(name));
        try (Connection c = db.login(name, password)) {
            assertTrue(c.isValid(2), "LOGIN, taken away first, is given back");
        }
    }

    @Test
    void openSessionsOfTheUserAreEnded() throws SQLException {
        String name = Names.user("online");
        String password = Names.password();
        assertEquals(0, db.cli().stdin(password + "\n").run("create", "--password-stdin", name).exitCode());
        try (Connection session = db.login(name, password)) {
            CliRun run = db.cli().run("delete", name);
            assertEquals(0, run.exitCode(), run::toString);
            assertThrows(SQLException.class, () -> {
                try (Statement s = session.createStatement()) {
                    s.execute("SELECT 1");
                }
            });
        }
        assertFalse(db.roleExists(name));
    }

    @Test
    void theProtectedUserSurvivesWithThePlatformsMessage() throws SQLException {
        CliRun run = db.cli().run("database-users-delete", db.owner());
        assertEquals(4, run.exitCode(), run::toString);
        assertEquals("pgusers: Protected user is managed by the platform and cannot be deleted.\n", run.err());
        assertTrue(db.roleExists(db.owner()));
        try (Connection c = db.loginAsOwner()) {
            assertTrue(c.isValid(2));
        }
    }

    @Test
    void anUnknownUserIsExit3UnlessIfExists() {
        String name = Names.user("nobody");
        CliRun run = db.cli().run("delete", name);
        assertEquals(3, run.exitCode(), run::toString);
        assertEquals("pgusers: User \"" + name + "\" does not exist\n", run.err());
        CliRun lenient = db.cli().run("delete", "--if-exists", "--json", name);
        assertEquals(0, lenient.exitCode(), lenient::toString);
        assertFalse(AppDatabase.json(lenient.out()).get("exists").asBoolean());
        CliRun sentence = db.cli().run("delete", "--if-exists", name);
        assertEquals("User \"" + name + "\" does not exist: nothing was deleted.\n", sentence.out());
    }

    /** picocli would read @FILE into the arguments, and show the file in the error: a name is a name. */
    @Test
    void anAtFileArgumentIsANameNotAFileToRead() throws Exception {
        java.nio.file.Path secret = java.nio.file.Files.createTempFile("pgusers-secret", ".txt");
        try {
            java.nio.file.Files.writeString(secret, "s3cr3t_in_a_file\n");
            CliRun run = db.cli().run("delete", "--yes", "--", "@" + secret);
            assertEquals(3, run.exitCode(), run::toString);
            assertFalse(run.err().contains("s3cr3t"), run.err());
            assertTrue(run.err().contains("User \"@" + secret + "\" does not exist"), run.err());
        } finally {
            java.nio.file.Files.deleteIfExists(secret);
        }
    }

    @Test
    void onATerminalTheNameMustBeTypedAgain() throws SQLException {
        String name = Names.user("confirm");
        assertEquals(0, db.cli().run("create", "--generate-password", name).exitCode());
        ScriptedTerminal wrong = new ScriptedTerminal(name + "x");
        CliRun refused = db.cli().terminal(wrong).run("delete", name);
        assertEquals(2, refused.exitCode(), refused::toString);
        assertEquals("pgusers: " + DeleteCommand.CONFIRMATION_FAILED + "\n", refused.err());
        assertTrue(db.roleExists(name));
        CliRun endOfInput = db.cli().terminal(new ScriptedTerminal()).run("delete", name);
        assertEquals(2, endOfInput.exitCode(), endOfInput::toString);
        assertTrue(db.roleExists(name));
        ScriptedTerminal right = new ScriptedTerminal(name);
        CliRun deleted = db.cli().terminal(right).run("delete", name);
        assertEquals(0, deleted.exitCode(), deleted::toString);
        assertEquals(1, right.transcript().size());
        assertFalse(db.roleExists(name));
        String other = Names.user("confirmyes");
        assertEquals(0, db.cli().run("create", "--generate-password", other).exitCode());
        ScriptedTerminal unused = new ScriptedTerminal();
        assertEquals(0, db.cli().terminal(unused).run("delete", "--yes", other).exitCode());
        assertTrue(unused.transcript().isEmpty(), "--yes asks nothing");
        assertFalse(db.roleExists(other));
    }

    @Test
    void theAgentsOwnRoleAndSystemRolesAreRefused() throws SQLException {
        CliRun self = db.cli().run("delete", "postgres");
        assertEquals(4, self.exitCode(), self::toString);
        assertTrue(db.roleExists("postgres"));
        CliRun system = db.cli().run("delete", "pg_monitor");
        assertEquals(4, system.exitCode(), system::toString);
        assertTrue(system.err().contains("it is a role of PostgreSQL itself"), system.err());
        assertTrue(db.roleExists("pg_monitor"));
    }

    @Test
    void aUserMadeOutsidePgusersWithANameOutsideTheRulesCanStillBeDeleted() throws SQLException {
        String legacy = "Bob-" + PgServer.randomToken(3);
        db.sql("CREATE ROLE \"" + legacy + "\" LOGIN");
        db.sql("GRANT CONNECT ON DATABASE " + db.name() + " TO \"" + legacy + "\"");
        CliRun run = db.cli().run("delete", legacy);
        assertEquals(0, run.exitCode(), run::toString);
        assertFalse(db.roleExists(legacy));
        CliRun tooLong = db.cli().run("delete", "x".repeat(64));
        assertEquals(2, tooLong.exitCode(), tooLong::toString);
    }
}
