package io.pgusers.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgusers.core.GroupRoles;
import io.pgusers.testing.AppDatabase;
import io.pgusers.testing.CliRun;
import io.pgusers.testing.Login;
import io.pgusers.testing.Names;
import io.pgusers.testing.PgServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 3, check and repair against real servers, every version: hand-made drift is found by check
 * (exit 6, each difference listed), left alone by repair --dry-run, fixed by repair, and a second repair
 * has nothing to do. What the users can do afterwards is proven by logging in.
 */
@Tag("privileges")
class DriftTest {
    private static final int DRIFT = 6;

    /** Two writers and two readers; each writer has a table, a sequence and a schema with a table in it. */
    private record Users(AppDatabase db, String rw1, String rw2, String ro1, String ro2, List<String> passwords) {
        Login login(String user) throws SQLException {
            int index = List.of(rw1, rw2, ro1, ro2).indexOf(user);
            return Login.as(db, user, passwords.get(index));
        }
    }

    private static Users setUp(String prefix) throws SQLException {
        AppDatabase db = AppDatabase.provision(prefix);
        List<String> names = List.of(Names.user("rw"), Names.user("rw"), Names.user("ro"), Names.user("ro"));
        List<String> passwords = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String password = Names.password();
            passwords.add(password);
            CliRun run = i < 2
                    ? db.cli().stdin(password + "\n").run("create", "--password-stdin", names.get(i))
                    : db.cli().stdin(password + "\n").run("create", "--read-only", "--password-stdin", names.get(i));
            assertEquals(0, run.exitCode(), run::toString);
        }
        Users users = new Users(db, names.get(0), names.get(1), names.get(2), names.get(3), passwords);
        for (String writer : List.of(users.rw1, users.rw2)) {
            try (Login w = users.login(writer)) {
                w.can("CREATE TABLE " + writer + "_items (id serial PRIMARY KEY, note text)");
                w.can("CREATE SCHEMA " + writer + "_space");
                w.can("CREATE TABLE " + writer + "_space.notes (id int GENERATED ALWAYS AS IDENTITY, body text)");
            }
        }
        return users;
    }

    @Test
    void checkFindsEachDriftDryRunChangesNothingRepairFixesAllAndTwiceChangesNothing() throws SQLException {
        Users u = setUp("drift");
        AppDatabase db = u.db();
        assertEquals(0, db.cli().run("check").exitCode(), "no drift yet");

        // 1. an extra GRANT INSERT to a read-only user, by the writer that owns the table
        try (Login w = u.login(u.rw1())) {
            w.can("GRANT INSERT ON " + u.rw1() + "_items TO " + u.ro1());
        }
        // 2. a table created by the superuser
        db.sql("CREATE TABLE public.by_superuser (v text)");
        db.sql("INSERT INTO public.by_superuser VALUES ('visible after repair')");
        // 3. a revoked SELECT: the owner of a table takes it away from the readers
        String readers = GroupRoles.of(db.name()).readers();
        try (Login w = u.login(u.rw2())) {
            w.can("REVOKE SELECT ON " + u.rw2() + "_space.notes FROM \"" + readers + "\"");
        }
        try (Login r = u.login(u.ro1())) {
            r.can("INSERT INTO " + u.rw1() + "_items (id, note) VALUES (1000, 'drift')"); // its sequence stays out of reach
            r.cannot("SELECT * FROM public.by_superuser");
            r.cannot("SELECT * FROM " + u.rw2() + "_space.notes");
        }

        CliRun check = db.cli().run("check", "--json");
        assertEquals(DRIFT, check.exitCode(), check::toString);
        JsonNode found = AppDatabase.json(check.out());
        assertTrue(found.get("drift").asBoolean());
        JsonNode differences = found.get("differences");
        assertHas(differences, d -> d.get("object").asText().equals("public." + u.rw1() + "_items")
                && d.get("user").asText().equals(u.ro1()) && d.get("expected").asText().equals("SELECT")
                && d.get("actual").asText().equals("SELECT, INSERT") && d.get("kind").asText().equals("privileges"));
        for (String user : List.of(db.owner(), u.rw1(), u.rw2(), u.ro1(), u.ro2())) {
            assertHas(differences, d -> d.get("object").asText().equals("public.by_superuser")
                    && d.get("user").asText().equals(user) && d.get("actual").asText().equals("no privileges"));
        }
        for (String user : List.of(u.ro1(), u.ro2(), readers)) {
            assertHas(differences, d -> d.get("object").asText().equals(u.rw2() + "_space.notes")
                    && d.get("user").asText().equals(user) && d.get("expected").asText().equals("SELECT")
                    && d.get("actual").asText().equals("no privileges"));
        }
        CliRun text = db.cli().run("check");
        assertEquals(DRIFT, text.exitCode(), text::toString);
        assertTrue(text.out().contains("| table public.by_superuser"), text::toString);
        assertTrue(text.err().contains("pgusers repair"), text::toString);

        String before = catalogSnapshot(db);
        CliRun dryRun = db.cli().run("repair", "--dry-run");
        assertEquals(0, dryRun.exitCode(), dryRun::toString);
        assertTrue(dryRun.out().contains("REVOKE INSERT ON TABLE \"public\".\"" + u.rw1() + "_items\" FROM \"" + u.ro1() + "\";"),
                dryRun::toString);
        assertTrue(dryRun.out().contains("by_superuser"), dryRun::toString);
        assertEquals(before, catalogSnapshot(db), "a dry run changes nothing");
        CliRun stillDrifted = db.cli().run("check", "--json");
        assertEquals(DRIFT, stillDrifted.exitCode());
        assertEquals(differences, AppDatabase.json(stillDrifted.out()).get("differences"));

        CliRun repair = db.cli().run("repair", "--json");
        assertEquals(0, repair.exitCode(), repair::toString);
        JsonNode repaired = AppDatabase.json(repair.out());
        assertTrue(repaired.get("applied").asBoolean());
        assertEquals(0, repaired.get("remaining").size(), repair::toString);
        assertEquals(3, repaired.get("statements").size(), "one REVOKE, one GRANT to each group: " + repair.out());

        CliRun after = db.cli().run("check");
        assertEquals(0, after.exitCode(), after::toString);
        CliRun again = db.cli().run("repair");
        assertEquals(0, again.exitCode(), again::toString);
        assertEquals("", again.out(), "a second repair has nothing to do");
        assertTrue(again.err().contains("Nothing to repair"), again::toString);

        try (Login r = u.login(u.ro1())) {
            r.cannot("INSERT INTO " + u.rw1() + "_items (id, note) VALUES (1001, 'no more')");
            assertEquals("visible after repair", r.value("SELECT v FROM public.by_superuser"));
            r.can("SELECT count(*) FROM " + u.rw2() + "_space.notes");
            r.cannot("INSERT INTO public.by_superuser VALUES ('no')");
        }
        try (Login w = u.login(u.rw1())) {
            w.can("INSERT INTO public.by_superuser VALUES ('a writer writes it')");
        }
        assertEquals(List.of("check success", "check drift", "check drift", "repair success", "check drift",
                        "repair success", "check success", "repair success"), audit(db),
                "each check and repair is audited; a check that finds drift with outcome drift");
    }

    /** The audit trail of the database's check and repair operations, oldest first. */
    private static List<String> audit(AppDatabase db) throws SQLException {
        List<String> events = new ArrayList<>();
        try (Connection c = PgServer.shared().connectAsSuperuser("postgres");
             PreparedStatement s = c.prepareStatement("SELECT operation || ' ' || outcome FROM pgusers.audit_event"
                     + " WHERE database_name = ? AND operation IN ('check', 'repair') ORDER BY id")) {
            s.setString(1, db.name());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    events.add(rs.getString(1));
                }
            }
        }
        return events;
    }

    @Test
    void attributesMembershipsDefaultPrivilegesAndColumnGrantsAreRepairedToo() throws SQLException {
        Users u = setUp("drift2");
        AppDatabase db = u.db();
        db.sql("ALTER ROLE " + u.ro2() + " CREATEDB");
        db.sql("GRANT " + u.rw1() + " TO " + u.ro2());
        db.sql("GRANT UPDATE (note) ON " + u.rw1() + "_items TO " + u.ro1());
        String stranger = Names.user("stranger");
        db.sql("CREATE ROLE " + stranger + " NOLOGIN");
        db.sql("GRANT \"" + GroupRoles.of(db.name()).writers() + "\" TO " + stranger);
        try (Login w = u.login(u.rw1())) {
            w.can("ALTER DEFAULT PRIVILEGES GRANT INSERT ON TABLES TO PUBLIC");
        }
        try (Login w = u.login(u.rw2())) {
            w.can("ALTER DEFAULT PRIVILEGES REVOKE SELECT ON TABLES FROM \"" + GroupRoles.of(db.name()).readers() + "\"");
        }

        CliRun check = db.cli().run("check", "--json");
        assertEquals(DRIFT, check.exitCode(), check::toString);
        JsonNode differences = AppDatabase.json(check.out()).get("differences");
        assertHas(differences, d -> d.get("kind").asText().equals("attribute") && d.get("user").asText().equals(u.ro2())
                && d.get("actual").asText().equals("CREATEDB"));
        assertHas(differences, d -> d.get("kind").asText().equals("membership") && d.get("user").asText().equals(u.ro2())
                && d.get("actual").asText().equals("a member of " + u.rw1()));
        assertHas(differences, d -> d.get("object_type").asText().equals("column") && d.get("user").asText().equals(u.ro1()));
        assertHas(differences, d -> d.get("kind").asText().equals("default-privileges")
                && d.get("object").asText().equals("tables that " + u.rw1() + " creates later, in any schema")
                && d.get("user").asText().equals(u.ro1()) && d.get("actual").asText().equals("SELECT, INSERT"));
        assertHas(differences, d -> d.get("kind").asText().equals("default-privileges")
                && d.get("object").asText().equals("tables that " + u.rw2() + " creates later, in any schema")
                && d.get("user").asText().equals(u.ro1()) && d.get("actual").asText().equals("no privileges"));

        assertHas(differences, d -> d.get("kind").asText().equals("group")
                && d.get("actual").asText().equals("a member " + stranger + ", which pgusers does not manage here"));

        CliRun repair = db.cli().run("repair");
        assertEquals(0, repair.exitCode(), repair::toString);
        assertEquals(0, db.cli().run("check").exitCode());
        assertEquals("0", db.value("SELECT count(*) FROM pg_auth_members WHERE member = '" + stranger + "'::regrole"));

        try (Login w = u.login(u.rw1())) {
            w.can("CREATE TABLE " + u.rw1() + "_after (x int)");
        }
        try (Login w = u.login(u.rw2())) {
            w.can("CREATE TABLE " + u.rw2() + "_after (x int)");
        }
        try (Login r = u.login(u.ro1())) {
            r.cannot("INSERT INTO " + u.rw1() + "_after VALUES (1)");
            r.cannot("UPDATE " + u.rw1() + "_items SET note = 'no'");
            r.can("SELECT * FROM " + u.rw2() + "_after");
        }
        try (Login r = u.login(u.ro2())) {
            r.cannot("INSERT INTO " + u.rw1() + "_items (note) VALUES ('no')");
            r.cannot("CREATE TABLE " + u.rw1() + "_space.intruder (x int)");
        }
        assertFalse("t".equals(db.value("SELECT rolcreatedb FROM pg_roles WHERE rolname = '" + u.ro2() + "'")));
    }

    @Test
    void aDatabaseProvisionedBeforeTheGroupsIsBroughtUpToDateByCreateAndRepair() throws SQLException {
        Users u = setUp("legacy");
        AppDatabase db = u.db();
        GroupRoles groups = GroupRoles.of(db.name());
        // what an earlier pgusers left: the documented statements only, no groups
        db.sql("DROP OWNED BY \"" + groups.readers() + "\", \"" + groups.writers() + "\"");
        db.sql("DROP ROLE \"" + groups.readers() + "\", \"" + groups.writers() + "\"");
        try (Login r = u.login(u.ro1())) {
            r.cannot("SELECT count(*) FROM " + u.rw1() + "_space.notes");
        }
        assertEquals(DRIFT, db.cli().run("check").exitCode());

        String late = Names.user("late");
        String password = Names.password();
        CliRun create = db.cli().stdin(password + "\n").run("create", "--read-only", "--password-stdin", late);
        assertEquals(0, create.exitCode(), create::toString);
        assertTrue(db.roleExists(groups.readers()) && db.roleExists(groups.writers()), "create made the groups");

        CliRun repair = db.cli().run("repair");
        assertEquals(0, repair.exitCode(), repair::toString);
        assertEquals(0, db.cli().run("check").exitCode());
        for (String reader : List.of(u.ro1(), late)) {
            try (Login r = reader.equals(late) ? Login.as(db, late, password) : u.login(reader)) {
                r.can("SELECT count(*) FROM " + u.rw1() + "_space.notes");
                r.can("SELECT count(*) FROM " + u.rw2() + "_items");
                r.cannot("INSERT INTO " + u.rw2() + "_space.notes (body) VALUES ('no')");
            }
        }
        try (Login w = u.login(u.rw2())) {
            w.can("INSERT INTO " + u.rw1() + "_space.notes (body) VALUES ('yes')");
        }
    }

    /**
     * A read-only user that owns tables with a serial and an identity column owns their sequences too,
     * which cannot change owner on their own ("cannot change owner of sequence"): repair gives the tables
     * to the database owner, and the sequences go with them.
     */
    @Test
    void aReadersTablesWithSerialAndIdentityColumnsGoToTheDatabaseOwnerWithTheirSequences() throws SQLException {
        AppDatabase db = AppDatabase.provision("ro_owned");
        String reader = Names.user("ro");
        String password = Names.password();
        CliRun create = db.cli().stdin(password + "\n").run("create", "--read-only", "--password-stdin", reader);
        assertEquals(0, create.exitCode(), create::toString);
        db.sql("CREATE TABLE public.ro_owned (id serial PRIMARY KEY, note text)");
        db.sql("CREATE TABLE public.ro_ident (id int GENERATED ALWAYS AS IDENTITY, body text)");
        db.sql("ALTER TABLE public.ro_owned OWNER TO " + reader);
        db.sql("ALTER TABLE public.ro_ident OWNER TO " + reader);
        List<String> relations = List.of("ro_owned", "ro_owned_id_seq", "ro_ident", "ro_ident_id_seq");
        assertEquals(String.join(",", List.of(reader, reader, reader, reader)), owners(db, relations),
                "the ALTER TABLE took the sequences along");

        CliRun check = db.cli().run("check", "--json");
        assertEquals(DRIFT, check.exitCode(), check::toString);
        JsonNode differences = AppDatabase.json(check.out()).get("differences");
        for (String table : List.of("ro_owned", "ro_ident")) {
            assertHas(differences, d -> d.get("kind").asText().equals("ownership")
                    && d.get("object").asText().equals("public." + table) && d.get("user").asText().equals(reader)
                    && d.get("actual").asText().equals("the owner, with its sequence public." + table + "_id_seq"));
        }
        for (JsonNode d : differences) {
            assertFalse(d.get("kind").asText().equals("ownership") && d.get("object_type").asText().equals("sequence"),
                    () -> "the table's difference stands for its sequence: " + d);
        }

        CliRun repair = db.cli().run("repair", "--json");
        assertEquals(0, repair.exitCode(), repair::toString);
        JsonNode repaired = AppDatabase.json(repair.out());
        assertTrue(repaired.get("applied").asBoolean(), repair::toString);
        assertEquals(0, repaired.get("remaining").size(), repair::toString);
        List<String> statements = new ArrayList<>();
        repaired.get("statements").forEach(st -> statements.add(st.asText()));
        assertTrue(statements.stream().noneMatch(st -> st.startsWith("ALTER SEQUENCE")), statements::toString);
        assertTrue(statements.contains("ALTER TABLE \"public\".\"ro_owned\" OWNER TO \"" + db.owner() + "\";"),
                statements::toString);
        assertTrue(statements.contains("ALTER TABLE \"public\".\"ro_ident\" OWNER TO \"" + db.owner() + "\";"),
                statements::toString);
        assertEquals(String.join(",", List.of(db.owner(), db.owner(), db.owner(), db.owner())), owners(db, relations),
                "the tables and their sequences belong to the database owner");

        CliRun after = db.cli().run("check");
        assertEquals(0, after.exitCode(), after::toString);
        try (Login r = Login.as(db, reader, password)) {
            r.can("SELECT count(*) FROM public.ro_owned");
            r.can("SELECT count(*) FROM public.ro_ident");
            r.cannot("INSERT INTO public.ro_owned (note) VALUES ('no')");
            r.cannot("INSERT INTO public.ro_ident (body) VALUES ('no')");
        }
        try (Connection c = db.loginAsOwner(); java.sql.Statement s = c.createStatement()) {
            s.execute("INSERT INTO public.ro_owned (note) VALUES ('the owner uses the sequence')");
            s.execute("INSERT INTO public.ro_ident (body) VALUES ('and the identity')");
        }
    }

    /** The owners of relations in schema public, in the order given, comma-separated. */
    private static String owners(AppDatabase db, List<String> relations) throws SQLException {
        return db.value("SELECT string_agg(pg_get_userbyid(c.relowner), ',' ORDER BY x.n)"
                + " FROM unnest(ARRAY['" + String.join("','", relations) + "']) WITH ORDINALITY x(name, n)"
                + " JOIN pg_class c ON c.relname = x.name AND c.relnamespace = 'public'::regnamespace");
    }

    /** Every ACL, default ACL, membership and attribute of the database and its roles, as text. */
    private static String catalogSnapshot(AppDatabase db) throws SQLException {
        return db.value("SELECT concat_ws(' | ',"
                + " (SELECT string_agg(relname || coalesce(relacl::text, '-'), ',' ORDER BY oid) FROM pg_class),"
                + " (SELECT string_agg(nspname || coalesce(nspacl::text, '-'), ',' ORDER BY oid) FROM pg_namespace),"
                + " (SELECT string_agg(defaclacl::text, ',' ORDER BY oid) FROM pg_default_acl),"
                + " (SELECT string_agg(roleid || ':' || member, ',' ORDER BY roleid, member) FROM pg_auth_members),"
                + " (SELECT string_agg(rolname || rolsuper || rolcreatedb || rolinherit, ',' ORDER BY oid) FROM pg_roles),"
                + " (SELECT datacl::text FROM pg_database WHERE datname = current_database()))");
    }

    private static void assertHas(JsonNode differences, Predicate<JsonNode> wanted) {
        for (JsonNode d : differences) {
            if (wanted.test(d)) {
                return;
            }
        }
        throw new AssertionError("no such difference in " + differences.toPrettyString());
    }
}
