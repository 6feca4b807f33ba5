package io.pgusers.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.pgusers.core.GroupRoles;
import io.pgusers.testing.AppDatabase;
import io.pgusers.testing.CliRun;
import io.pgusers.testing.Login;
import io.pgusers.testing.Names;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 3: what any managed writer creates, in public or in a schema of its own, is readable by every
 * read-only user and fully usable by every other writer and the protected user, with no command re-run;
 * users created later get the same; deleting a writer keeps it all true. Real logins, every version.
 */
@Tag("privileges")
class EveryWriterCoveredTest {
    static AppDatabase db;
    /** The writers (two read-write users, then the protected user) and the readers, with their passwords. */
    static final Map<String, String> writers = new LinkedHashMap<>();
    static final Map<String, String> readers = new LinkedHashMap<>();
    /** Tables and views, then sequences, that the writers created, schema-qualified. */
    static final List<String> tables = new ArrayList<>();
    static final List<String> sequences = new ArrayList<>();
    /** The schemas the writers created. */
    static final List<String> schemas = new ArrayList<>();

    @BeforeAll
    static void twoWritersAndTwoReadersEachWriterCreatesTablesSequencesAndASchema() throws SQLException {
        db = AppDatabase.provision("cover");
        for (int i = 0; i < 2; i++) {
            writers.put(create(Names.user("rw"), false), null);
        }
        for (int i = 0; i < 2; i++) {
            readers.put(create(Names.user("ro"), true), null);
        }
        writers.replaceAll((user, ignored) -> passwords.get(user));
        readers.replaceAll((user, ignored) -> passwords.get(user));
        writers.put(db.owner(), db.ownerPassword());
        for (Map.Entry<String, String> writer : writers.entrySet()) {
            createObjectsAs(writer.getKey(), writer.getValue());
        }
        // a writer creates a table in another writer's schema
        List<String> names = new ArrayList<>(writers.keySet());
        try (Login second = Login.as(db, names.get(1), writers.get(names.get(1)))) {
            second.can("CREATE TABLE " + names.get(0) + "_space.guest_of_" + names.get(0) + " (x int)");
            tables.add(names.get(0) + "_space.guest_of_" + names.get(0));
        }
    }

    private static final Map<String, String> passwords = new LinkedHashMap<>();

    private static String create(String user, boolean readOnly) {
        String password = Names.password();
        CliRun run = readOnly
                ? db.cli().stdin(password + "\n").run("create", "--read-only", "--password-stdin", user)
                : db.cli().stdin(password + "\n").run("create", "--password-stdin", user);
        assertEquals(0, run.exitCode(), run::toString);
        passwords.put(user, password);
        return user;
    }

    /** In public: a table with a serial, a sequence, a view; and a schema with a table with an identity. */
    private static void createObjectsAs(String writer, String password) throws SQLException {
        try (Login w = Login.as(db, writer, password)) {
            w.can("CREATE TABLE " + writer + "_items (id serial PRIMARY KEY, note text)");
            w.can("CREATE SEQUENCE " + writer + "_counter");
            w.can("CREATE VIEW " + writer + "_view AS SELECT id, note FROM " + writer + "_items");
            w.can("CREATE SCHEMA " + writer + "_space");
            w.can("CREATE TABLE " + writer + "_space.notes (id int GENERATED ALWAYS AS IDENTITY, body text)");
            w.can("INSERT INTO " + writer + "_items (note) VALUES ('by " + writer + "')");
            w.can("SELECT nextval('" + writer + "_counter')");
        }
        tables.add("public." + writer + "_items");
        tables.add("public." + writer + "_view");
        tables.add(writer + "_space.notes");
        sequences.add("public." + writer + "_items_id_seq");
        sequences.add("public." + writer + "_counter");
        sequences.add(writer + "_space.notes_id_seq");
        schemas.add(writer + "_space");
    }

    @Test
    void everyReaderReadsEveryTableViewAndSequenceOfEveryWriter() throws SQLException {
        for (Map.Entry<String, String> reader : readers.entrySet()) {
            try (Login r = Login.as(db, reader.getKey(), reader.getValue())) {
                for (String table : tables) {
                    r.can("SELECT count(*) FROM " + table);
                }
                for (String sequence : sequences) {
                    r.can("SELECT last_value FROM " + sequence);
                }
            }
        }
    }

    @Test
    void noReaderWritesAnythingAnyWriterCreated() throws SQLException {
        for (Map.Entry<String, String> reader : readers.entrySet()) {
            try (Login r = Login.as(db, reader.getKey(), reader.getValue())) {
                for (String writer : writers.keySet()) {
                    r.cannot("INSERT INTO " + writer + "_items (note) VALUES ('no')");
                    r.cannot("UPDATE " + writer + "_items SET note = 'no'");
                    r.cannot("DELETE FROM " + writer + "_items");
                    r.cannot("TRUNCATE " + writer + "_items");
                    r.cannot("INSERT INTO " + writer + "_space.notes (body) VALUES ('no')");
                    r.cannot("SELECT nextval('" + writer + "_counter')");
                    r.cannot("SELECT setval('" + writer + "_space.notes_id_seq', 1000)");
                    r.cannot("CREATE TABLE " + writer + "_space.intruder (x int)");
                    r.cannot("DROP TABLE " + writer + "_items");
                }
                r.cannot("CREATE TABLE public.intruder (x int)");
                r.cannot("CREATE SCHEMA intruder");
            }
        }
    }

    @Test
    void everyWriterAndTheProtectedUserUseWhatTheOthersCreated() throws SQLException {
        for (Map.Entry<String, String> writer : writers.entrySet()) {
            try (Login w = Login.as(db, writer.getKey(), writer.getValue())) {
                for (String other : writers.keySet()) {
                    if (other.equals(writer.getKey())) {
                        continue;
                    }
                    w.can("INSERT INTO " + other + "_items (note) VALUES ('from " + writer.getKey() + "')");
                    w.can("UPDATE " + other + "_items SET note = note");
                    w.can("DELETE FROM " + other + "_items WHERE note = 'nothing'");
                    w.can("SELECT count(*) FROM " + other + "_view");
                    w.can("SELECT nextval('" + other + "_counter')");
                    w.can("INSERT INTO " + other + "_space.notes (body) VALUES ('from " + writer.getKey() + "')");
                    w.can("CREATE TABLE " + other + "_space.by_" + writer.getKey() + " (x int)");
                    w.can("INSERT INTO " + other + "_space.by_" + writer.getKey() + " VALUES (1)");
                    w.can("TRUNCATE " + other + "_space.notes");
                }
            }
        }
        // what they just created in each other's schemas is covered too
        String firstReader = readers.keySet().iterator().next();
        try (Login r = Login.as(db, firstReader, readers.get(firstReader))) {
            for (String owner : writers.keySet()) {
                for (String creator : writers.keySet()) {
                    if (!owner.equals(creator)) {
                        r.can("SELECT x FROM " + owner + "_space.by_" + creator);
                    }
                }
            }
        }
    }

    @Test
    void usersCreatedLaterGetTheSameAccessToWhatExists() throws SQLException {
        String reader = create(Names.user("late_ro"), true);
        String writer = create(Names.user("late_rw"), false);
        try (Login r = Login.as(db, reader, passwords.get(reader))) {
            tables.forEach(table -> r.can("SELECT count(*) FROM " + table));
            sequences.forEach(sequence -> r.can("SELECT last_value FROM " + sequence));
            r.cannot("INSERT INTO " + schemas.get(0) + ".notes (body) VALUES ('no')");
        }
        try (Login w = Login.as(db, writer, passwords.get(writer))) {
            for (String other : writers.keySet()) {
                w.can("INSERT INTO " + other + "_space.notes (body) VALUES ('late')");
                w.can("SELECT nextval('" + other + "_counter')");
                w.can("CREATE TABLE " + other + "_space.late_" + writer + " (x int)");
            }
            w.can("CREATE TABLE " + writer + "_own (x int)");
        }
        try (Login r = Login.as(db, reader, passwords.get(reader))) {
            r.can("SELECT x FROM " + writer + "_own");
        }
    }

    @Test
    void checkFindsNothingToRepair() {
        CliRun check = db.cli().run("check");
        assertEquals(0, check.exitCode(), check::toString);
    }

    @Test
    void deletingAWriterKeepsWhatItCreatedUsableAndLeavesNoDefaultPrivileges() throws SQLException {
        String gone = create(Names.user("gone"), false);
        try (Login w = Login.as(db, gone, passwords.get(gone))) {
            w.can("CREATE SCHEMA " + gone + "_space");
            w.can("CREATE TABLE " + gone + "_space.kept (id serial, v text)");
            w.can("INSERT INTO " + gone + "_space.kept (v) VALUES ('kept')");
            w.can("CREATE TABLE public." + gone + "_kept (v text)");
        }
        String oid = db.value("SELECT oid FROM pg_roles WHERE rolname = '" + gone + "'");
        assertEquals("3", db.value("SELECT count(*) FROM pg_default_acl WHERE defaclrole = " + oid));

        CliRun delete = db.cli().run("delete", gone);
        assertEquals(0, delete.exitCode(), delete::toString);

        assertFalse(db.roleExists(gone));
        assertEquals("0", db.value("SELECT count(*) FROM pg_default_acl WHERE defaclrole = " + oid
                + " OR EXISTS (SELECT FROM aclexplode(defaclacl) e WHERE e.grantee = " + oid + ")"));
        assertEquals(db.owner(), db.value("SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = '" + gone + "_space'"));
        String reader = readers.keySet().iterator().next();
        try (Login r = Login.as(db, reader, readers.get(reader))) {
            assertEquals("kept", r.value("SELECT v FROM " + gone + "_space.kept"));
            r.can("SELECT count(*) FROM public." + gone + "_kept");
            r.cannot("INSERT INTO " + gone + "_space.kept (v) VALUES ('no')");
        }
        String writer = writers.keySet().iterator().next();
        try (Login w = Login.as(db, writer, writers.get(writer))) {
            w.can("INSERT INTO " + gone + "_space.kept (v) VALUES ('still writable')");
            w.can("CREATE TABLE " + gone + "_space.after (x int)");
            w.can("INSERT INTO public." + gone + "_kept VALUES ('still writable')");
        }
        CliRun check = db.cli().run("check");
        assertEquals(0, check.exitCode(), check::toString);
    }

    @Test
    void theGroupsAreNotListedAsUsers() {
        CliRun list = db.cli().run("list", "--json");
        assertEquals(0, list.exitCode(), list::toString);
        GroupRoles groups = GroupRoles.of(db.name());
        for (var user : AppDatabase.listed(list.out())) {
            String name = user.get("name").asText();
            assertFalse(groups.contains(name), name);
        }
    }
}
