package io.pgusers.testing;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import org.postgresql.Driver;

/**
 * The real PostgreSQL server of this test JVM, started on first use and stopped by a shutdown hook.
 *
 * <p>Which server: the one named by {@code PGUSERS_TEST_JDBC_URL} (with {@code PGUSERS_TEST_USER} and
 * {@code PGUSERS_TEST_PASSWORD} for a superuser) if set; else a Testcontainers {@code postgres:<major>} if a Docker
 * engine is there; else an embedded zonky server. The major version is system property {@code pgusers.test.postgres}
 * (default 18), set by each Surefire execution of the pom.
 */
public final class PgServer {

    static final String VERSION_PROPERTY = "pgusers.test.postgres";

    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private static PgServer shared;
    private static RuntimeException sharedFailure;

    private final String host;
    private final int port;
    private final String superuser;
    private final String superuserPassword;
    private final Path serverLog;
    private final Path socketDirectory;
    private final boolean embedded;
    private final int majorVersion;

    PgServer(String host, int port, String superuser, String superuserPassword,
             Path serverLog, Path socketDirectory, boolean embedded) throws SQLException {
        this.host = host;
        this.port = port;
        this.superuser = superuser;
        this.superuserPassword = superuserPassword;
        this.serverLog = serverLog;
        this.socketDirectory = socketDirectory;
        this.embedded = embedded;
        try (Connection c = connectAsSuperuser("postgres");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_setting('server_version_num')::int / 10000")) {
            rs.next();
            this.majorVersion = rs.getInt(1);
        }
    }

    /**
     * For a benchmark, before anything else: the one server of this JVM, embedded, configured as a production
     * server would be (no statement logged, durable commits), not as the tests want it.
     */
    public static synchronized PgServer forBenchmark() {
        if (shared != null) {
            throw new IllegalStateException("the server is started already, configured for the tests");
        }
        System.setProperty(EmbeddedServer.BENCHMARK_PROPERTY, "true");
        return shared();
    }

    /** The one server of this test JVM; the first call starts it, and a failure to start is rethrown to every caller. */
    public static synchronized PgServer shared() {
        if (shared == null && sharedFailure == null) {
            try {
                shared = start();
            } catch (Exception | LinkageError e) {
                sharedFailure = new IllegalStateException("Could not start the test PostgreSQL server: " + e.getMessage(), e);
            }
        }
        if (sharedFailure != null) {
            throw sharedFailure;
        }
        return shared;
    }

    private static PgServer start() throws Exception {
        String url = System.getenv("PGUSERS_TEST_JDBC_URL");
        if (url != null && !url.isBlank()) {
            Properties parsed = Driver.parseURL(url, null);
            if (parsed == null) {
                throw new IllegalArgumentException("PGUSERS_TEST_JDBC_URL is not a pgjdbc URL: " + url);
            }
            return new PgServer(parsed.getProperty("PGHOST").split(",")[0],
                    Integer.parseInt(parsed.getProperty("PGPORT").split(",")[0]),
                    System.getenv().getOrDefault("PGUSERS_TEST_USER", "postgres"),
                    System.getenv("PGUSERS_TEST_PASSWORD"), null, null, false);
        }
        int major = requestedMajorVersion();
        if (ContainerServer.dockerAvailable()) {
            return ContainerServer.start(major);
        }
        return EmbeddedServer.start(major);
    }

    /**
     * A server of this test JVM's own, besides the shared one, for a test that needs an instance nobody else
     * touched (an agent's schema of an earlier version, say): embedded, of the requested major version. It is
     * stopped when the JVM ends.
     */
    public static PgServer startAnother() throws Exception {
        return EmbeddedServer.start(requestedMajorVersion());
    }

    /** The major version the build asked for (system property {@value #VERSION_PROPERTY}, default 18). */
    static int requestedMajorVersion() {
        return Integer.parseInt(System.getProperty(VERSION_PROPERTY, "18").trim());
    }

    /** A random string of lower-case letters and digits, fit for names and passwords. */
    public static String randomToken(int length) {
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            b.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return b.toString();
    }

    public int majorVersion() {
        return majorVersion;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String superuser() {
        return superuser;
    }

    public String superuserPassword() {
        return superuserPassword;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    /** A plain pgjdbc login over TCP with that user name and password. */
    public Connection connect(String database, String user, String password) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        if (password != null) {
            props.setProperty("password", password);
        }
        return DriverManager.getConnection(jdbcUrl(database), props);
    }

    public Connection connectAsSuperuser(String database) throws SQLException {
        return connect(database, superuser, superuserPassword);
    }

    /** Creates a database named {@code prefix_xxxxxxxx} (8 random lower-case letters or digits) and returns the name. */
    public String createDatabase(String prefix) {
        if (!prefix.matches("[a-z][a-z0-9_]{0,40}")) {
            throw new IllegalArgumentException("Database prefix must be lower-case letters, digits, _: " + prefix);
        }
        String name = prefix + "_" + randomToken(8);
        try (Connection c = connectAsSuperuser("postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create database " + name, e);
        }
        return name;
    }

    /** PGHOST, PGPORT, PGUSER, PGPASSWORD and PGDATABASE of the superuser, for a child process or libpq tool. */
    public Map<String, String> libpqEnvironment(String database) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PGHOST", host);
        env.put("PGPORT", Integer.toString(port));
        env.put("PGUSER", superuser);
        if (superuserPassword != null) {
            env.put("PGPASSWORD", superuserPassword);
        }
        env.put("PGDATABASE", database);
        return env;
    }

    /** The file the server writes its log to (every statement is logged); embedded servers only. */
    public Optional<Path> serverLog() {
        return Optional.ofNullable(serverLog);
    }

    /** The directory holding the server's Unix socket {@code .s.PGSQL.<port>}; embedded servers only. */
    public Optional<Path> socketDirectory() {
        return Optional.ofNullable(socketDirectory);
    }

    public boolean isEmbedded() {
        return embedded;
    }

    @Override
    public String toString() {
        return "PostgreSQL " + majorVersion + " at " + host + ":" + port + (embedded ? " (embedded)" : "");
    }
}
