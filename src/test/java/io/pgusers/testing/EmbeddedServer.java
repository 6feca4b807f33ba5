package io.pgusers.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a zonky embedded PostgreSQL of a given major version with real password authentication: zonky starts it
 * with {@code trust} (its start-up check logs in without a password), then {@code postgres} gets a random password
 * and {@code pg_hba.conf} is rewritten to {@code scram-sha-256} everywhere and reloaded.
 */
final class EmbeddedServer {

    static final String SUPERUSER = "postgres";
    static final String LOG_FILE = "postgresql.log";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedServer.class);
    private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);
    private static final Duration RELOAD_WAIT = Duration.ofSeconds(10);

    private EmbeddedServer() {
    }

    /**
     * Set (to true) by the benchmarks: the server runs as a production one would, every statement unlogged and
     * every commit durable, not as the tests want it (every statement in the log, fsync off).
     */
    public static final String BENCHMARK_PROPERTY = "pgusers.bench";

    static PgServer start(int major) throws Exception {
        long started = System.nanoTime();
        PgBinaries binaries = new PgBinaries(major);
        Path logs = Files.createDirectories(Path.of("target", "pg-logs").toAbsolutePath());
        Path logDirectory = Files.createTempDirectory(logs, "pg" + major + "-");
        // Unix socket paths are limited to ~107 characters: keep the directory short.
        Path socketDirectory = Files.createTempDirectory(Path.of("/tmp"), "pgu-");
        Path dataDirectory = Files.createTempDirectory("pgusers-pgdata-");

        Map<String, String> config = new LinkedHashMap<>();
        config.put("password_encryption", "scram-sha-256"); // the default from 14 on, md5 in 13
        boolean benchmark = Boolean.getBoolean(BENCHMARK_PROPERTY);
        if (!benchmark) {
            config.put("log_statement", "all");
            config.put("log_connections", "on"); // which logins a command made, on every version
        }
        config.put("logging_collector", "on");
        config.put("log_directory", logDirectory.toString());
        config.put("log_filename", LOG_FILE);
        config.put("log_rotation_age", "0");
        config.put("log_rotation_size", "0");
        config.put("unix_socket_directories", socketDirectory.toString());
        config.put("max_connections", "200");
        if (!benchmark) {
            config.put("fsync", "off");
            config.put("synchronous_commit", "off");
        }

        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setPgBinaryResolver(binaries)
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(true) // and zonky's own shutdown hook stops a server that started half-way
                .setPGStartupWait(STARTUP_WAIT)
                // Our settings go into postgresql.conf, the file a reload reads again. zonky passes its own
                // max_connections (300) on the command line, which outranks the file: pass ours there too.
                .setServerConfig("max_connections", config.get("max_connections"))
                .setDataDirectoryCustomizer(dir -> appendConfig(dir.toPath(), config));

        EmbeddedPostgres pg;
        try {
            pg = builder.start();
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("PostgreSQL " + major + " from " + binaries.jar() + " did not start;"
                    + " its log, if any, is in " + logDirectory, e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(pg, socketDirectory), "pgusers-postgres-stop"));

        String password = PgServer.randomToken(24);
        requirePasswords(pg, dataDirectory, password);
        PgServer server = new PgServer("localhost", pg.getPort(), SUPERUSER, password,
                logDirectory.resolve(LOG_FILE), socketDirectory, true);
        LOG.info("PostgreSQL {} ({}) started in {} ms on port {}, log {}", server.majorVersion(),
                binaries.jar().getFileName(), (System.nanoTime() - started) / 1_000_000, pg.getPort(),
                server.serverLog().orElseThrow());
        return server;
    }

    /** Gives postgres a password, allows only scram-sha-256 logins, and waits until the server enforces it. */
    private static void requirePasswords(EmbeddedPostgres pg, Path dataDirectory, String password)
            throws SQLException, IOException, InterruptedException {
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("SET log_statement = 'none'"); // keeps the password out of the server log
            s.execute("ALTER ROLE " + SUPERUSER + " PASSWORD '" + password + "'");
            s.execute("RESET log_statement");
            Files.write(dataDirectory.resolve("pg_hba.conf"), List.of(
                    "# Written by the pgusers test fixture: password logins only.",
                    "local all all scram-sha-256",
                    "host  all all 127.0.0.1/32 scram-sha-256",
                    "host  all all ::1/128 scram-sha-256"));
            s.execute("SELECT pg_reload_conf()");
        }
        // The reload is asynchronous: wait until a wrong password is refused.
        String url = "jdbc:postgresql://localhost:" + pg.getPort() + "/postgres";
        long deadline = System.nanoTime() + RELOAD_WAIT.toNanos();
        while (!refuses(url, "not-" + password)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("The server still lets a wrong password in after " + RELOAD_WAIT
                        + ": pg_hba.conf was not reloaded");
            }
            Thread.sleep(20);
        }
    }

    private static boolean refuses(String url, String wrongPassword) throws SQLException {
        try {
            DriverManager.getConnection(url, SUPERUSER, wrongPassword).close();
            return false;
        } catch (SQLException e) {
            if ("28P01".equals(e.getSQLState())) {
                return true;
            }
            throw e;
        }
    }

    private static void stop(EmbeddedPostgres pg, Path socketDirectory) {
        try {
            pg.close(); // pg_ctl stop -m fast, then deletes the data directory; a second close does nothing
        } catch (IOException e) {
            LOG.error("Could not stop the test PostgreSQL server", e);
        }
        deleteRecursively(socketDirectory);
    }

    private static void appendConfig(Path dataDirectory, Map<String, String> config) {
        StringBuilder text = new StringBuilder("\n# pgusers test fixture\n");
        config.forEach((name, value) -> text.append(name).append(" = '")
                .append(value.replace("'", "''")).append("'\n"));
        try {
            Files.writeString(dataDirectory.resolve("postgresql.conf"), text, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warn("Could not delete {}", dir, e);
        }
    }
}
