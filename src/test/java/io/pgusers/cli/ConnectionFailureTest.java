package io.pgusers.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgusers.testing.AppDatabase;
import io.pgusers.testing.CliRun;
import io.pgusers.testing.Names;
import io.pgusers.testing.PgServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** How pgusers connects (psql's conventions) and how it fails: one clear line on stderr, exit 1. */
class ConnectionFailureTest {
    static AppDatabase db;

    @BeforeAll
    static void provision() {
        db = AppDatabase.provision("conn");
    }

    @Test
    void aRefusedConnectionIsOneLineAndExit1() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        CliRun run = db.cli().env("PGPORT", Integer.toString(closedPort)).env("PGHOST", "127.0.0.1").run("list");
        assertOneLineFailure(run);
        assertTrue(run.err().contains("could not connect"), run.err());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // else: hangs for ever
    void aServerThatNeverAnswersTimesOutWithOneLineAndExit1() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            CliRun run = db.cli().env("PGHOST", "127.0.0.1").env("PGPORT", Integer.toString(silent.getLocalPort()))
                    .env("PGCONNECT_TIMEOUT", "2").run("list");
            assertOneLineFailure(run);
            assertTrue(run.err().contains("could not connect"), run.err());
        }
    }

    @Test
    void anUnknownHostAndAMissingSocketSaySoAsPsqlDoes(@org.junit.jupiter.api.io.TempDir java.nio.file.Path empty) {
        CliRun host = db.cli().env("PGHOST", "no-such-host.invalid").run("list");
        assertOneLineFailure(host);
        assertTrue(host.err().startsWith("pgusers: could not connect to database \"postgres\" on no-such-host.invalid:"),
                host.err());
        assertTrue(host.err().contains("could not translate host name \"no-such-host.invalid\" to address"), host.err());
        assertTrue(host.err().contains("the maintenance database"), host.err());
        CliRun socket = db.cli().env("PGHOST", empty.toString()).env("PGPORT", "5999").run("list");
        assertOneLineFailure(socket);
        assertTrue(socket.err().contains("on socket " + empty + "/.s.PGSQL.5999 as \""), socket.err());
        assertTrue(socket.err().contains("No such file or directory. Is the server running locally and accepting "
                + "connections on that socket?"), socket.err());
    }

    @Test
    void aWrongPasswordIsOneLineAndExit1() {
        CliRun run = db.cli().env("PGPASSWORD", "not-the-password").run("list");
        assertOneLineFailure(run);
        assertTrue(run.err().contains("password authentication failed"), run.err());
    }

    @Test
    void anUnknownDatabaseIsExit1() {
        CliRun run = CliRun.against("no_such_database_here").run("list", "--json");
        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(AppDatabase.json(run.err()).get("error").asText().contains("does not exist"), run.err());
    }

    @Test
    void aRoleThatIsNotASuperuserIsStoppedWithAClearMessage() throws SQLException {
        String role = Names.user("weak");
        String password = Names.password();
        db.sql("CREATE ROLE " + role + " LOGIN PASSWORD '" + password + "'");
        CliRun run = db.cli().env("PGUSER", role).env("PGPASSWORD", password).run("list");
        assertOneLineFailure(run);
        assertEquals("pgusers: pgusers must connect as a superuser, and role \"" + role
                + "\" is not one: connect as postgres (-U postgres) or another superuser\n", run.err());
    }

    @Test
    void debugShowsTheStackTrace() {
        CliRun run = db.cli().env("PGPASSWORD", "not-the-password").run("list", "--debug");
        assertEquals(1, run.exitCode());
        assertTrue(run.err().contains("    at org.postgresql."), run.err());
    }

    @Test
    void connectsThroughTheUnixSocketDirectoryGivenAsHost() {
        PgServer pg = PgServer.shared();
        if (pg.socketDirectory().isEmpty()) {
            return;
        }
        CliRun run = db.cli().env("PGHOST", null)
                .run("-h", pg.socketDirectory().get().toString(), "-p", Integer.toString(pg.port()), "list");
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains(db.owner()));
    }

    @Test
    void takesThePasswordFromPgpassAndTheRestFromAServiceFile() throws IOException {
        Path dir = Files.createTempDirectory("pgusers-conn");
        try {
            connectThroughFiles(dir);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private static void connectThroughFiles(Path dir) throws IOException {
        PgServer pg = PgServer.shared();
        Path pgpass = dir.resolve("pgpass");
        Files.writeString(pgpass, "*:" + pg.port() + ":*:" + pg.superuser() + ":" + pg.superuserPassword() + "\n");
        Files.setPosixFilePermissions(pgpass, PosixFilePermissions.fromString("rw-------"));
        Path services = dir.resolve("pg_service.conf");
        Files.writeString(services, "[appdb]\nhost=" + pg.host() + "\nport=" + pg.port() + "\ndbname=" + db.name()
                + "\nuser=" + pg.superuser() + "\napplication_name=ignored_by_us\n");
        CliRun run = CliRun.against(db.name())
                .env("PGHOST", null).env("PGPORT", null).env("PGUSER", null).env("PGPASSWORD", null).env("PGDATABASE", null)
                .env("PGPASSFILE", pgpass.toString()).env("PGSERVICEFILE", services.toString()).env("PGSERVICE", "appdb")
                .run("list", "--json");
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains(db.owner()));
    }

    @Test
    void acceptsAJdbcUrl() {
        PgServer pg = PgServer.shared();
        CliRun run = CliRun.against("postgres").env("PGHOST", null).env("PGPORT", null).env("PGDATABASE", null)
                .run("--url", pg.jdbcUrl(db.name()), "list");
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains(db.owner()));
    }

    private static void assertOneLineFailure(CliRun run) {
        assertEquals(1, run.exitCode(), run::toString);
        assertEquals("", run.out());
        assertTrue(run.err().startsWith("pgusers: "), run.err());
        assertEquals(1, run.err().split("\n").length, "one line: " + run.err());
        assertFalse(run.err().contains("\tat "), "no stack trace");
    }
}
