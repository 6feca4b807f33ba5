package io.pgusers.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Proves the fixture on every PostgreSQL version of the build: right version, real passwords, socket, server log. */
@Tag("privileges")
class PgServerTest {

    private static PgServer server;
    private static String role;
    private static String password;

    @BeforeAll
    static void createRole() throws SQLException {
        server = PgServer.shared();
        role = "fixture_" + PgServer.randomToken(8);
        password = PgServer.randomToken(16);
        execute(server.connectAsSuperuser("postgres"), "CREATE ROLE " + role + " LOGIN PASSWORD '" + password + "'");
    }

    @Test
    void runsTheRequestedMajorVersion() {
        assumeTrue(System.getenv("PGUSERS_TEST_JDBC_URL") == null, "an existing server was named");
        assertEquals(PgServer.requestedMajorVersion(), server.majorVersion(), server.toString());
    }

    @Test
    void aRoleLogsInOverTcpWithItsPassword() throws SQLException {
        try (Connection c = server.connect("postgres", role, password)) {
            assertEquals(role, queryString(c, "SELECT current_user"));
        }
    }

    @Test
    void aWrongPasswordIsRefused() {
        SQLException e = assertThrows(SQLException.class, () -> server.connect("postgres", role, "not-" + password).close());
        assertEquals("28P01", e.getSQLState(), e.toString());
        SQLException su = assertThrows(SQLException.class,
                () -> server.connect("postgres", server.superuser(), "not-" + server.superuserPassword()).close());
        assertEquals("28P01", su.getSQLState(), su.toString());
    }

    @Test
    void passwordsAreStoredAsScramVerifiers() throws SQLException {
        try (Connection c = server.connectAsSuperuser("postgres")) {
            assertEquals("scram-sha-256", queryString(c, "SHOW password_encryption"));
            String stored = queryString(c, "SELECT rolpassword FROM pg_authid WHERE rolname = '" + role + "'");
            assertTrue(stored.startsWith("SCRAM-SHA-256$"), stored);
        }
    }

    @Test
    void theEmbeddedServerHasTheFixtureSettings() throws SQLException {
        assumeTrue(server.isEmbedded(), "not an embedded server");
        try (Connection c = server.connectAsSuperuser("postgres")) {
            assertEquals("200", queryString(c, "SHOW max_connections"));
            assertEquals("all", queryString(c, "SHOW log_statement"));
            assertEquals("off", queryString(c, "SHOW fsync"));
        }
    }

    @Test
    void aRoleLogsInThroughTheUnixSocketWithItsPassword() throws SQLException {
        assumeTrue(server.socketDirectory().isPresent(), "no Unix socket");
        Path socket = server.socketDirectory().get().resolve(".s.PGSQL." + server.port());
        assertTrue(Files.exists(socket), socket + " exists");
        String url = "jdbc:postgresql://localhost/postgres"
                + "?socketFactory=org.newsclub.net.unix.AFUNIXSocketFactory$FactoryArg"
                + "&socketFactoryArg=" + socket + "&sslmode=disable";
        try (Connection c = DriverManager.getConnection(url, credentials(role, password))) {
            assertEquals(role, queryString(c, "SELECT current_user"));
            assertNull(queryString(c, "SELECT inet_server_addr()::text"), "connected through a Unix socket");
        }
        SQLException e = assertThrows(SQLException.class,
                () -> DriverManager.getConnection(url, credentials(role, "not-" + password)).close());
        assertEquals("28P01", e.getSQLState(), e.toString());
    }

    @Test
    void theServerLogHasTheStatementsRun() throws Exception {
        assumeTrue(server.serverLog().isPresent(), "no server log file");
        String marker = "fixture-marker-" + PgServer.randomToken(12);
        try (Connection c = server.connectAsSuperuser("postgres")) {
            assertEquals(marker, queryString(c, "SELECT '" + marker + "'"));
        }
        Path log = server.serverLog().get();
        long deadline = System.currentTimeMillis() + 5_000; // the logging collector writes asynchronously
        while (!(Files.exists(log) && Files.readString(log, StandardCharsets.UTF_8).contains(marker))) {
            assertTrue(System.currentTimeMillis() < deadline, log + " should contain " + marker);
            Thread.sleep(50);
        }
        assertTrue(!Files.readString(log, StandardCharsets.UTF_8).contains(server.superuserPassword()),
                "the superuser's password is not logged");
    }

    @Test
    void createsFreshDatabases() throws SQLException {
        String name = server.createDatabase("fixture");
        assertTrue(name.matches("fixture_[a-z0-9]{8}"), name);
        try (Connection c = server.connectAsSuperuser(name)) {
            assertEquals(name, queryString(c, "SELECT current_database()"));
        }
        assertEquals(name, server.libpqEnvironment(name).get("PGDATABASE"));
    }

    private static Properties credentials(String user, String pass) {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", pass);
        return p;
    }

    private static String queryString(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (c; Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
