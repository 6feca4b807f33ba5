package io.pgusers.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgusers.sql.Sql;
import io.pgusers.sql.SqlFile;
import io.pgusers.sql.SqlTemplate;
import io.pgusers.testing.AppDatabase;
import io.pgusers.testing.CliRun;
import io.pgusers.testing.PgServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 8: an instance managed by the version before (what it promised in tables of postgres.pgusers,
 * schema version 1) keeps working after the upgrade. The old state is built here with the old SQL (the V1
 * migration, the old version's registry inserts, the grants it ran, its groups' comments) on a server of this
 * test's own; then the new pgusers is run on it. The old rows become promises on the roles, once.
 */
class UpgradeTest {
    static PgServer old;
    static final String DB = "shop";
    static final String OWNER = "shop_owner";
    static final String WRITER = "rw_anna";
    static final String READER = "ro_bert";
    static final String PASSWORD = "Old_version_password_123456";

    @BeforeAll
    static void buildTheOldState() throws Exception {
        old = PgServer.startAnother();
        Flyway.configure().dataSource(old.jdbcUrl("postgres"), old.superuser(), old.superuserPassword())
                .schemas("pgusers").createSchemas(true).locations("classpath:sql/migrations").target("1").load().migrate();
        try (Connection postgres = old.connectAsSuperuser("postgres"); Statement s = postgres.createStatement()) {
            s.execute("CREATE ROLE " + OWNER + " LOGIN PASSWORD '" + PASSWORD + "'");
            s.execute("CREATE DATABASE " + DB + " OWNER " + OWNER);
            s.execute("REVOKE CONNECT ON DATABASE " + DB + " FROM PUBLIC"); // the new-database.sql of version 1
            for (String group : List.of("readers", "writers")) {
                String role = Sql.identifier(DB + "-" + group);
                s.execute("CREATE ROLE " + role + " NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS");
                s.execute("COMMENT ON ROLE " + role + " IS 'pgusers: the read-" + (group.equals("readers") ? "only" : "write")
                        + " users of database " + DB + "'");
            }
            for (String user : List.of(WRITER, READER)) {
                s.execute("CREATE ROLE " + user + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS "
                        + "INHERIT PASSWORD '" + PASSWORD + "'");
            }
            s.execute("CREATE ROLE gone_user LOGIN"); // recorded, then dropped by hand: its row stays behind
            s.execute("COMMENT ON ROLE " + WRITER + " IS 'Anna, of accounting'");
        }
        try (Connection app = old.connectAsSuperuser(DB)) {
            run(app, "grants/public-schema.sql", Map.of());
            run(app, "grants/read-write.sql", Map.of("username", OWNER, "database", DB, "owner", OWNER));
            run(app, "grants/groups-access.sql", Map.of("database", DB, "readers", DB + "-readers", "writers", DB + "-writers"));
            run(app, "grants/writer-defaults.sql", groups("writer", DB + "-writers"));
            run(app, "grants/schema-access.sql", groups("schema", "public"));
            for (String writer : List.of(OWNER, WRITER)) {
                if (writer.equals(WRITER)) {
                    run(app, "grants/read-write.sql", Map.of("username", WRITER, "database", DB, "owner", OWNER));
                }
                run(app, "grants/read-write-extra.sql", groups("username", writer));
                run(app, "grants/writer-defaults.sql", groups("writer", writer));
            }
            run(app, "grants/read-only.sql", Map.of("username", READER, "database", DB, "owner", OWNER));
            run(app, "grants/read-only-extra.sql", groups("username", READER));
        }
        try (Connection postgres = old.connectAsSuperuser("postgres")) {
            record(postgres, "upgrade/v1/record-protected-user.sql", DB, OWNER);
            record(postgres, "upgrade/v1/record-managed-user.sql", DB, OWNER, "read-write");
            record(postgres, "upgrade/v1/record-managed-user.sql", DB, WRITER, "read-write");
            record(postgres, "upgrade/v1/record-managed-user.sql", DB, READER, "read-only");
            record(postgres, "upgrade/v1/record-managed-user.sql", DB, "gone_user", "read-only");
            try (Statement s = postgres.createStatement()) {
                s.execute("DROP ROLE gone_user");
            }
        }
        try (Connection owner = old.connect(DB, OWNER, PASSWORD); Statement s = owner.createStatement()) {
            s.execute("CREATE TABLE invoices (id serial PRIMARY KEY, total int)");
            s.execute("INSERT INTO invoices (total) VALUES (10), (20)");
        }
    }

    @Test
    void theProtectedUserStaysProtectedTheUsersKeepTheirAccessCheckPassesAndDeleteWorks() throws Exception {
        CliRun list = cli().run("list", "--json");
        assertEquals(0, list.exitCode(), list::toString);
        Map<String, JsonNode> users = new HashMap<>();
        AppDatabase.listed(list.out()).forEach(user -> users.put(user.get("name").asText(), user));
        assertTrue(users.get(OWNER).get("protected").asBoolean(), list.out());
        assertEquals(false, users.get(WRITER).get("read_only").asBoolean());
        assertEquals(true, users.get(READER).get("read_only").asBoolean());

        assertNull(value("SELECT to_regclass('pgusers.managed_user')::text"), "the old tables are gone");
        assertNull(value("SELECT to_regclass('pgusers.protected_user')::text"));
        assertEquals("pgusers/1 {\"database\" : \"" + DB + "\", \"role\" : \"protected user\"}", firstLine(comment(OWNER)));
        assertEquals("pgusers/1 {\"database\" : \"" + DB + "\", \"role\" : \"read-write user\"}\nAnna, of accounting",
                comment(WRITER), "the comment a role had stays, after its promise");
        assertEquals("pgusers/1 {\"database\" : \"" + DB + "\", \"role\" : \"readers group\"}", comment(DB + "-readers"));

        CliRun check = cli().run("check");
        assertEquals(0, check.exitCode(), check::toString);
        CliRun deleteOwner = cli().run("delete", OWNER);
        assertEquals(4, deleteOwner.exitCode(), deleteOwner::toString);
        CliRun reset = cli().stdin("New_password_for_anna_1234567\n").run("update-password", "--password-stdin", OWNER);
        assertEquals(4, reset.exitCode(), reset::toString);
        CliRun again = cli().run("create", "--generate-password", "--read-only", "--if-not-exists", READER);
        assertEquals(0, again.exitCode(), "the old users are pgusers' users of the database: " + again);
        CliRun deleteReader = cli().run("delete", READER);
        assertEquals(0, deleteReader.exitCode(), deleteReader::toString);
        CliRun create = cli().run("create", "--generate-password", "--read-only", "ro_carla");
        assertEquals(0, create.exitCode(), create::toString);
        assertEquals(0, cli().run("check").exitCode());
        CliRun provision = cli().run("provision");
        assertEquals(0, provision.exitCode(), provision::toString);
        assertTrue(provision.out().contains("already provisioned, with protected user \"" + OWNER + "\""), provision.out());
        try (Connection c = old.connect(DB, WRITER, PASSWORD); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT sum(total) FROM invoices")) {
            rs.next();
            assertEquals(30, rs.getInt(1), "the writer still writes and reads what the owner made");
        }
    }

    private static CliRun.Builder cli() {
        return CliRun.against(old, DB);
    }

    private static Map<String, String> groups(String name, String value) {
        return Map.of(name, value, "readers", DB + "-readers", "writers", DB + "-writers");
    }

    /** A file of sql/grants that version 1 ran as it is now. */
    private static void run(Connection connection, String file, Map<String, String> values) throws SQLException {
        try (Statement s = connection.createStatement()) {
            for (String statement : SqlTemplate.render(SqlFile.of(file), values)) {
                s.execute(statement);
            }
        }
    }

    private static void record(Connection connection, String resource, Object... values) throws SQLException, IOException {
        String text;
        try (InputStream in = UpgradeTest.class.getResourceAsStream("/" + resource)) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String sql = text.lines().filter(line -> !line.startsWith("--")).reduce("", (a, b) -> a + b + "\n").strip();
        try (PreparedStatement s = connection.prepareStatement(sql.endsWith(";") ? sql.substring(0, sql.length() - 1) : sql)) {
            for (int i = 0; i < values.length; i++) {
                s.setObject(i + 1, values[i]);
            }
            s.executeUpdate();
        }
    }

    private static String value(String query) throws SQLException {
        try (Connection c = old.connectAsSuperuser("postgres"); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static String comment(String role) throws SQLException {
        return value("SELECT shobj_description(oid, 'pg_authid') FROM pg_roles WHERE rolname = '" + role + "'");
    }

    private static String firstLine(String text) {
        return text == null ? null : text.lines().findFirst().orElse(null);
    }
}
