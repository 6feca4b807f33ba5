package io.pgusers.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgusers.inspect.AclRow;
import io.pgusers.inspect.Inspector;
import io.pgusers.sql.SqlFile;
import io.pgusers.testing.AppDatabase;
import io.pgusers.testing.CliRun;
import io.pgusers.testing.Names;
import io.pgusers.testing.PgServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 9, exactness: {@code list}'s READ-ONLY, computed in bulk from the catalogs, is what the server's own
 * {@code has_*_privilege} functions say, user by user, on every version. A database is built where READ-ONLY
 * is decided in every way PostgreSQL allows, one user per way; the oracle asks the server, for the user and for
 * every role it can become with SET ROLE ({@code pg_has_role(..., 'SET')} from 16, {@code 'MEMBER'} before),
 * whether any of them may write anything (CREATE on the database or a schema; INSERT, UPDATE, DELETE, TRUNCATE,
 * REFERENCES, TRIGGER, MAINTAIN on a table or one of its columns; USAGE or UPDATE on a sequence) or owns
 * anything, and applies the documented rule for roles whose power reaches beyond the database. Each user's
 * expected answer is asserted on the oracle too: a way that could not be planted fails the test.
 *
 * <p>Two ways no {@code has_*} function sees (before 17, for large objects) are shown by doing: the ADMIN
 * OPTION on a writing role (16+: with neither INHERIT nor SET; the user grants itself the role, then writes),
 * and large objects (SELECT and UPDATE on one, or owning one: the user writes it with {@code lo_put}).
 */
@Tag("all-versions")
class ReadOnlyExactnessTest {
    static final String PASSWORD = Names.password();
    static AppDatabase db;
    static int major;
    /** Each user, with whether it is read-only (what the oracle must find: else the way was not planted). */
    static final Map<String, Boolean> EXPECTED = new LinkedHashMap<>();
    static String writer;
    static String largeObject;

    @BeforeAll
    static void buildEveryWay() throws SQLException {
        db = AppDatabase.provision("exact");
        major = PgServer.shared().majorVersion();
        writer = Names.user("writes");
        String middle = Names.user("middle");
        String wide = Names.user("wide");
        sql("CREATE SCHEMA exact",
                "CREATE TABLE exact.t (id serial PRIMARY KEY, v text)",
                "CREATE SEQUENCE exact.s",
                "CREATE VIEW exact.v AS SELECT id, v FROM exact.t",
                "CREATE MATERIALIZED VIEW exact.mv AS SELECT 1 AS x",
                "CREATE TABLE exact.p (v int) PARTITION BY RANGE (v)",
                "CREATE TABLE exact.p1 PARTITION OF exact.p FOR VALUES FROM (0) TO (10)",
                "CREATE FOREIGN DATA WRAPPER " + Names.user("fdw"),
                "CREATE ROLE " + writer + " NOLOGIN",
                "GRANT INSERT ON exact.t TO " + writer,
                "GRANT USAGE ON SCHEMA exact TO " + writer,
                "CREATE ROLE " + middle + " NOLOGIN",
                "GRANT " + writer + " TO " + middle,
                "CREATE ROLE " + wide + " NOLOGIN CREATEDB");
        String fdw = db.value("SELECT fdwname FROM pg_foreign_data_wrapper ORDER BY oid DESC LIMIT 1");
        sql("CREATE SERVER exact_srv_" + db.name() + " FOREIGN DATA WRAPPER " + fdw,
                "CREATE FOREIGN TABLE exact.f (v int) SERVER exact_srv_" + db.name());
        largeObject = db.value("SELECT pg_catalog.lo_create(0)");

        // ways to write
        way("direct", false, "GRANT INSERT ON exact.t TO %s");
        way("column", false, "GRANT UPDATE (v) ON exact.t TO %s");
        way("colref", false, "GRANT REFERENCES (v) ON exact.t TO %s");
        way("updates", false, "GRANT UPDATE ON exact.t TO %s");
        way("deletes", false, "GRANT DELETE ON exact.t TO %s");
        way("truncate", false, "GRANT TRUNCATE ON exact.t TO %s");
        way("refers", false, "GRANT REFERENCES ON exact.t TO %s");
        way("trigger", false, "GRANT TRIGGER ON exact.t TO %s");
        if (major >= 17) {
            way("maintain", false, "GRANT MAINTAIN ON exact.t TO %s");
        }
        way("sequsage", false, "GRANT USAGE ON SEQUENCE exact.s TO %s");
        way("sequpdate", false, "GRANT UPDATE ON SEQUENCE exact.s TO %s");
        way("view", false, "GRANT INSERT ON exact.v TO %s");
        way("matview", false, "GRANT INSERT ON exact.mv TO %s");
        way("foreign", false, "GRANT INSERT ON exact.f TO %s");
        way("partitioned", false, "GRANT INSERT ON exact.p TO %s");
        way("schemacreate", false, "GRANT CREATE ON SCHEMA exact TO %s");
        way("dbcreate", false, "GRANT CREATE ON DATABASE \"" + db.name() + "\" TO %s");
        way("owner", false, "CREATE TABLE exact.owned_%1$s (v int)", "ALTER TABLE exact.owned_%1$s OWNER TO %1$s");
        way("ownerbare", false, "CREATE TABLE exact.bare_%1$s (v int)", "ALTER TABLE exact.bare_%1$s OWNER TO %1$s",
                "REVOKE ALL ON exact.bare_%1$s FROM %1$s");
        way("schemaowner", false, "CREATE SCHEMA owned_%1$s AUTHORIZATION %1$s");
        way("inherits", false, "GRANT " + writer + " TO %s");
        way("twolevels", false, "GRANT " + middle + " TO %s");
        way("createdb", false, "GRANT " + wide + " TO %s");
        way("readall", false, "GRANT pg_read_all_stats TO %s"); // a pg_* role that writes nothing: still never read-only
        if (major >= 16) {
            // SET ROLE without inheriting: still a writer
            way("setonly", false, "GRANT " + writer + " TO %s WITH INHERIT FALSE, SET TRUE");
            way("inheritonly", false, "GRANT " + writer + " TO %s WITH INHERIT TRUE, SET FALSE");
            way("neither", true, "GRANT " + writer + " TO %s WITH INHERIT FALSE, SET FALSE");
            String setThenInherit = Names.user("seti");
            String inheritThenSet = Names.user("iset");
            sql("CREATE ROLE " + setThenInherit + " NOLOGIN",
                    "GRANT " + writer + " TO " + setThenInherit + " WITH INHERIT TRUE, SET FALSE",
                    "CREATE ROLE " + inheritThenSet + " NOLOGIN",
                    "GRANT " + writer + " TO " + inheritThenSet + " WITH INHERIT FALSE, SET TRUE");
            // SET ROLE to a role that inherits the writer: writes
            way("setinherit", false, "GRANT " + setThenInherit + " TO %s WITH INHERIT FALSE, SET TRUE");
            // inherits a role that could SET ROLE to the writer, which it cannot itself: reads only
            way("inheritset", true, "GRANT " + inheritThenSet + " TO %s WITH INHERIT TRUE, SET FALSE");
        } else {
            // NOINHERIT: the writer's privileges need SET ROLE, which any membership allows before 16
            way("noinherit", false, "ALTER ROLE %1$s NOINHERIT", "GRANT " + writer + " TO %1$s");
        }

        // ways to stay read-only
        way("selects", true, "GRANT SELECT ON exact.t, exact.v, exact.mv, exact.f, exact.p TO %s",
                "GRANT SELECT (v) ON exact.t TO %s");
        way("seqselect", true, "GRANT SELECT ON SEQUENCE exact.s TO %s");
        way("schemausage", true, "GRANT USAGE ON SCHEMA exact TO %s");
        way("temporary", true, "GRANT TEMPORARY ON DATABASE \"" + db.name() + "\" TO %s");
        way("readers", true, "GRANT \"" + db.name() + "-readers\" TO %s");
        way("nothing", true);
        String reader = Names.user("pgreader");
        db.createUser(reader, true);
        EXPECTED.put(reader, true);
    }

    /** A login user that can connect, and the statements (each with %s for its name) that make it what it is. */
    private static void way(String prefix, boolean readOnly, String... statements) throws SQLException {
        String user = Names.user(prefix);
        List<String> all = new ArrayList<>(List.of("CREATE ROLE " + user + " LOGIN PASSWORD '" + PASSWORD + "'",
                "GRANT CONNECT ON DATABASE \"" + db.name() + "\" TO " + user));
        for (String statement : statements) {
            all.add(statement.replace("%1$s", user).replace("%s", user));
        }
        sql(all.toArray(String[]::new));
        EXPECTED.put(user, readOnly);
    }

    private static void sql(String... statements) throws SQLException {
        try (Connection c = db.superuser(); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    @Test
    void listAndTheLookUpOfOneUserAgreeWithTheServerUserByUser() throws SQLException {
        Map<String, Boolean> oracle = oracle(EXPECTED.keySet());
        assertEquals(new TreeMap<>(EXPECTED), new TreeMap<>(oracle), "each way was planted as meant");
        assertEquals(new TreeMap<>(oracle), only(listed()), "list agrees with the server");
        assertEquals(new TreeMap<>(oracle), new TreeMap<>(lookedUp(oracle)), "the look-up of one user agrees with list");
    }

    /**
     * On large catalogs the ACL query runs in parallel workers (Inspector encourages it). Forced here on this small
     * database (no threshold, the leader only gathering), with a few tables that share an ACL and own sequences:
     * the workers' read returns the rows of the serial one. The plan is checked to have been parallel.
     */
    @Test
    void theParallelReadOfTheAclsIsTheSerialOne() throws SQLException {
        sql("CREATE SCHEMA exact_alike", "CREATE TABLE exact_alike.a (id serial)", "CREATE TABLE exact_alike.b (id serial)",
                "CREATE TABLE exact_alike.c (id int GENERATED ALWAYS AS IDENTITY)");
        try (Connection c = db.superuser(); Statement s = c.createStatement()) {
            s.execute("SET max_parallel_workers_per_gather = 0");
            List<String> serial = rows(new Inspector(c).acls());
            s.execute("SET max_parallel_workers_per_gather = 2");
            s.execute("SET min_parallel_table_scan_size = 0");
            s.execute("SET parallel_leader_participation = off");
            String plan = parallelPlan(c);
            assertTrue(plan.contains("Parallel Seq Scan on pg_class") && plan.matches("(?s).*Workers Launched: [1-9].*"),
                    "the ACLs were read in parallel workers: " + plan);
            assertEquals(serial, rows(new Inspector(c).acls()));
            assertTrue(serial.stream().anyMatch(row -> row.contains("names=[a, b, c]")), "tables sharing an ACL: " + serial);
        } finally {
            sql("DROP SCHEMA exact_alike CASCADE");
        }
    }

    /** Each row as text, sorted: rows the query's ORDER BY leaves tied may come in either order. */
    private static List<String> rows(List<AclRow> acls) {
        return acls.stream().map(AclRow::toString).sorted().toList();
    }

    /** EXPLAIN ANALYZE of privilege-acls.sql (every grantee), in a transaction encouraging parallel plans, as Inspector runs it. */
    private static String parallelPlan(Connection c) throws SQLException {
        c.setAutoCommit(false);
        try (Statement s = c.createStatement();
             PreparedStatement explain = c.prepareStatement("EXPLAIN (ANALYZE) " + SqlFile.of("queries/privilege-acls.sql").query())) {
            s.execute(SqlFile.of("queries/encourage-parallel-query.sql").query());
            explain.setObject(1, null);
            explain.setObject(2, null);
            StringBuilder plan = new StringBuilder();
            try (ResultSet rs = explain.executeQuery()) {
                while (rs.next()) {
                    plan.append(rs.getString(1)).append('\n');
                }
            }
            return plan.toString();
        } finally {
            c.rollback();
            c.setAutoCommit(true);
        }
    }

    @Test
    void aWriteGrantedToPublicMakesEveryoneAWriterAndItsRevokeGivesReadOnlyBack() throws SQLException {
        try {
            sql("GRANT INSERT ON exact.t TO PUBLIC");
            Map<String, Boolean> oracle = oracle(EXPECTED.keySet());
            assertTrue(oracle.values().stream().noneMatch(Boolean::booleanValue), "PUBLIC's INSERT reaches everyone: " + oracle);
            assertEquals(new TreeMap<>(oracle), only(listed()));
        } finally {
            sql("REVOKE INSERT ON exact.t FROM PUBLIC");
        }
        assertEquals(new TreeMap<>(oracle(EXPECTED.keySet())), only(listed()));
    }

    private static Map<String, Boolean> only(Map<String, Boolean> listed) {
        Map<String, Boolean> only = new TreeMap<>(listed);
        only.keySet().retainAll(EXPECTED.keySet());
        return only;
    }

    @Test
    void theAdminOptionOnAWriterIsAWriterEvenWithoutInheritOrSet() throws SQLException {
        String user = Names.user("admin");
        sql("CREATE ROLE " + user + " LOGIN PASSWORD '" + PASSWORD + "'",
                "GRANT CONNECT ON DATABASE \"" + db.name() + "\" TO " + user,
                "GRANT " + writer + " TO " + user + (major >= 16 ? " WITH ADMIN TRUE, INHERIT FALSE, SET FALSE" : " WITH ADMIN OPTION"));
        try (Connection c = db.login(user, PASSWORD); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("GRANT " + writer + " TO " + user);
            s.execute("SET ROLE " + writer);
            assertEquals(1, s.executeUpdate("INSERT INTO exact.t (id, v) VALUES (-1, 'written by a reader?')"), "it writes");
            c.rollback();
        }
        assertEquals(false, listed().get(user));
    }

    @Test
    void largeObjectsAUserMayUpdateOrOwnMakeItAWriter() throws SQLException {
        String updates = Names.user("loupdate");
        String owns = Names.user("loowner");
        String reads = Names.user("loselect");
        String owned = db.value("SELECT pg_catalog.lo_create(0)");
        for (String user : List.of(updates, owns, reads)) {
            sql("CREATE ROLE " + user + " LOGIN PASSWORD '" + PASSWORD + "'",
                    "GRANT CONNECT ON DATABASE \"" + db.name() + "\" TO " + user);
        }
        // lo_put opens the object for writing, which needs SELECT besides UPDATE
        sql("GRANT SELECT, UPDATE ON LARGE OBJECT " + largeObject + " TO " + updates,
                "ALTER LARGE OBJECT " + owned + " OWNER TO " + owns,
                "GRANT SELECT ON LARGE OBJECT " + largeObject + " TO " + reads);
        assertEquals(true, writesLargeObject(updates, largeObject));
        assertEquals(true, writesLargeObject(owns, owned));
        assertEquals(false, writesLargeObject(reads, largeObject));
        Map<String, Boolean> listed = listed();
        assertEquals(false, listed.get(updates));
        assertEquals(false, listed.get(owns));
        assertEquals(true, listed.get(reads));
    }

    /** Whether {@code user} can write large object {@code oid} (tried, then rolled back). */
    private static boolean writesLargeObject(String user, String oid) throws SQLException {
        try (Connection c = db.login(user, PASSWORD); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            try {
                s.execute("SELECT pg_catalog.lo_put(" + oid + ", 0, '\\x00')");
                return true;
            } catch (SQLException e) {
                assertEquals("42501", e.getSQLState(), e::getMessage);
                return false;
            } finally {
                c.rollback();
            }
        }
    }

    // ---------------------------------------------------------------------------------------------

    /** {@code list --json}: the read_only of each user of {@link #EXPECTED} (each must be listed), and of any other. */
    private static Map<String, Boolean> listed() {
        CliRun run = db.cli().run("list", "--json");
        assertEquals(0, run.exitCode(), run::toString);
        Map<String, Boolean> listed = new LinkedHashMap<>();
        for (JsonNode user : AppDatabase.listed(run.out())) {
            listed.put(user.get("name").asText(), user.get("read_only").asBoolean());
        }
        assertTrue(listed.keySet().containsAll(EXPECTED.keySet()), "every user is listed: " + listed);
        return listed;
    }

    /**
     * Each user as {@code update-password --json} returns it (the look-up of one user), for those it may
     * change: not the roles whose power reaches beyond the database, which it refuses.
     */
    private static Map<String, Boolean> lookedUp(Map<String, Boolean> oracle) throws SQLException {
        Map<String, Boolean> lookedUp = new LinkedHashMap<>();
        for (String user : oracle.keySet()) {
            CliRun run = db.cli().stdin(Names.password() + "\n").run("update-password", "--password-stdin", "--json", user);
            if (run.exitCode() == 4 && reachesBeyond(user)) {
                lookedUp.put(user, false); // refused, as it must be: never read-only
                continue;
            }
            assertEquals(0, run.exitCode(), run::toString);
            lookedUp.put(user, AppDatabase.json(run.out()).get("read_only").asBoolean());
        }
        return lookedUp;
    }

    private static boolean reachesBeyond(String user) throws SQLException {
        return "t".equals(db.value("SELECT EXISTS (SELECT FROM pg_roles x WHERE pg_has_role('" + user + "', x.oid, 'MEMBER')"
                + " AND (x.rolname ~ '^pg_' OR x.rolsuper OR x.rolcreatedb OR x.rolcreaterole OR x.rolreplication OR x.rolbypassrls))"));
    }

    /** The server's answer, user by user (see the class comment). */
    private static Map<String, Boolean> oracle(Iterable<String> users) throws SQLException {
        String become = major >= 16 ? "SET" : "MEMBER";
        String tableWrites = "INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER" + (major >= 17 ? ", MAINTAIN" : "");
        String userSchema = "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)'";
        String query = "SELECT NOT (\n"
                + "  EXISTS (SELECT FROM pg_roles x WHERE pg_has_role(u.oid, x.oid, 'MEMBER')\n"
                + "          AND (x.rolname ~ '^pg_' OR x.rolsuper OR x.rolcreatedb OR x.rolcreaterole OR x.rolreplication OR x.rolbypassrls))\n"
                + "  OR EXISTS (SELECT FROM pg_roles b WHERE (b.oid = u.oid OR pg_has_role(u.oid, b.oid, '" + become + "')) AND (\n"
                + "       has_database_privilege(b.oid, current_database(), 'CREATE')\n"
                + "    OR EXISTS (SELECT FROM pg_database d WHERE d.datname = current_database() AND pg_has_role(b.oid, d.datdba, 'USAGE'))\n"
                + "    OR EXISTS (SELECT FROM pg_namespace n WHERE " + userSchema + "\n"
                + "               AND (has_schema_privilege(b.oid, n.oid, 'CREATE') OR pg_has_role(b.oid, n.nspowner, 'USAGE')))\n"
                + "    OR EXISTS (SELECT FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE " + userSchema + "\n"
                + "               AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S') AND (pg_has_role(b.oid, c.relowner, 'USAGE')\n"
                + "                 OR CASE WHEN c.relkind = 'S' THEN has_sequence_privilege(b.oid, c.oid, 'USAGE, UPDATE')\n"
                + "                         ELSE has_table_privilege(b.oid, c.oid, '" + tableWrites + "')\n"
                + "                              OR has_any_column_privilege(b.oid, c.oid, 'INSERT, UPDATE, REFERENCES') END))))\n"
                + ") FROM pg_roles u WHERE u.rolname = ?";
        Map<String, Boolean> answers = new LinkedHashMap<>();
        try (Connection c = db.superuser(); PreparedStatement s = c.prepareStatement(query)) {
            for (String user : users) {
                s.setString(1, user);
                try (ResultSet rs = s.executeQuery()) {
                    assertTrue(rs.next(), user);
                    answers.put(user, rs.getBoolean(1));
                }
            }
        }
        return answers;
    }
}
