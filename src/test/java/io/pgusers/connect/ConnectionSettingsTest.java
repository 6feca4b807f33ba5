package io.pgusers.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.Driver;

class ConnectionSettingsTest {

    @TempDir
    Path dir;
    Map<String, String> env;

    @BeforeEach
    void cleanEnvironment() {
        // HOME and PGSYSCONFDIR point into the temp dir so that no file of this machine is read
        env = new HashMap<>(Map.of("USER", "alice", "HOME", dir.toString(), "PGSYSCONFDIR", dir.toString()));
    }

    private static ConnectionRequest options(String host, Integer port, String user, String dbname) {
        return new ConnectionRequest(host, port, user, dbname, null);
    }

    private static ConnectionRequest url(String url) {
        return new ConnectionRequest(null, null, null, null, url);
    }

    private static final ConnectionRequest NOTHING = options(null, null, null, null);

    private ConnectionSettings resolve(ConnectionRequest request) {
        return ConnectionSettings.resolve(request, env, false);
    }

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    // --- defaults and precedence ---

    @Test
    void defaultsAreThoseOfPsql() {
        ConnectionSettings tcp = resolve(NOTHING);
        assertEquals("alice", tcp.user());
        assertEquals("alice", tcp.database());
        assertFalse(tcp.databaseGiven());
        assertEquals("jdbc:postgresql://localhost:5432/alice", tcp.jdbcUrl());
        assertEquals("database \"alice\" on localhost:5432 as \"alice\"", tcp.describe());

        ConnectionSettings socket = ConnectionSettings.resolve(NOTHING, env, true);
        assertEquals("database \"alice\" on socket /var/run/postgresql/.s.PGSQL.5432 as \"alice\"", socket.describe());
    }

    @Test
    void databaseDefaultsToTheResolvedUser() {
        env.put("PGUSER", "bob");
        ConnectionSettings settings = resolve(NOTHING);
        assertEquals("bob", settings.database());
        assertFalse(settings.databaseGiven());
        assertEquals("carol", resolve(options(null, null, "carol", null)).database());
    }

    @Test
    void environmentIsUsedWhenNoOptionIsGiven() {
        env.putAll(Map.of("PGHOST", "db.example.com", "PGPORT", "5433", "PGUSER", "bob", "PGDATABASE", "app"));
        ConnectionSettings settings = resolve(NOTHING);
        assertEquals("jdbc:postgresql://db.example.com:5433/app", settings.jdbcUrl());
        assertEquals("bob", settings.user());
        assertTrue(settings.databaseGiven());
    }

    @Test
    void optionsBeatTheEnvironment() {
        env.putAll(Map.of("PGHOST", "db.example.com", "PGPORT", "5433", "PGUSER", "bob", "PGDATABASE", "app"));
        ConnectionSettings settings = resolve(options("other.example.com", 6000, "carol", "sales"));
        assertEquals("jdbc:postgresql://other.example.com:6000/sales", settings.jdbcUrl());
        assertEquals("carol", settings.user());
    }

    @Test
    void emptyValuesCountAsUnset() {
        env.putAll(Map.of("PGHOST", "", "PGUSER", "", "PGDATABASE", ""));
        ConnectionSettings settings = resolve(options("", null, "", ""));
        assertEquals("jdbc:postgresql://localhost:5432/alice", settings.jdbcUrl());
        assertFalse(settings.databaseGiven());
    }

    @Test
    void serviceBeatsEnvironmentAndOptionsBeatService() throws IOException {
        write(".pg_service.conf", "[prod]\nhost=svc.example.com\nport=6432\nuser=svcuser\ndbname=svcdb\n");
        env.putAll(Map.of("PGSERVICE", "prod", "PGHOST", "env.example.com", "PGPORT", "5433",
                "PGUSER", "envuser", "PGDATABASE", "envdb"));
        ConnectionSettings fromService = resolve(NOTHING);
        assertEquals("jdbc:postgresql://svc.example.com:6432/svcdb", fromService.jdbcUrl());
        assertEquals("svcuser", fromService.user());
        assertTrue(fromService.databaseGiven());

        ConnectionSettings fromOptions = resolve(options("opt.example.com", 7000, "optuser", "optdb"));
        assertEquals("jdbc:postgresql://opt.example.com:7000/optdb", fromOptions.jdbcUrl());
        assertEquals("optuser", fromOptions.user());
    }

    @Test
    void environmentFillsWhatTheServiceLeavesOut() throws IOException {
        write(".pg_service.conf", "[prod]\nhost=svc.example.com\n");
        env.putAll(Map.of("PGSERVICE", "prod", "PGPORT", "5433", "PGUSER", "envuser"));
        ConnectionSettings settings = resolve(NOTHING);
        assertEquals("jdbc:postgresql://svc.example.com:5433/envuser", settings.jdbcUrl());
        assertFalse(settings.databaseGiven());
    }

    // --- sockets ---

    @Test
    void socketDirectoryBecomesAJunixsocketUrl() {
        ConnectionSettings settings = resolve(options("/tmp/pg sock", 5433, null, "my db"));
        assertEquals("jdbc:postgresql://localhost:5433/my+db"
                + "?socketFactory=org.newsclub.net.unix.AFUNIXSocketFactory%24FactoryArg"
                + "&socketFactoryArg=%2Ftmp%2Fpg+sock%2F.s.PGSQL.5433&sslmode=disable", settings.jdbcUrl());
        assertEquals("database \"my db\" on socket /tmp/pg sock/.s.PGSQL.5433 as \"alice\"", settings.describe());

        Properties parsed = Driver.parseURL(settings.jdbcUrl(), null);
        assertEquals("my db", parsed.getProperty("PGDBNAME"));
        assertEquals(ConnectionSettings.SOCKET_FACTORY, parsed.getProperty("socketFactory"));
        assertEquals("/tmp/pg sock/.s.PGSQL.5433", parsed.getProperty("socketFactoryArg"));
        assertEquals("disable", parsed.getProperty("sslmode"));
    }

    @Test
    void sslmodeIsNotSentOverASocket() {
        env.put("PGSSLMODE", "require");
        assertEquals("require", resolve(NOTHING).connectionProperties().getProperty("sslmode"));
        assertNull(resolve(options("/run/postgresql", null, null, null)).connectionProperties().getProperty("sslmode"));
    }

    @Test
    void ipv6HostIsBracketed() {
        assertEquals("jdbc:postgresql://[::1]:5432/alice", resolve(options("::1", null, null, null)).jdbcUrl());
    }

    // --- properties and invalid input ---

    @Test
    void propertiesCarryUserTimeoutSslmodeAndApplicationName() {
        Properties defaults = resolve(NOTHING).connectionProperties();
        assertEquals("alice", defaults.getProperty("user"));
        assertEquals("10", defaults.getProperty("connectTimeout"));
        assertEquals("pgusers", defaults.getProperty("ApplicationName"));
        assertNull(defaults.getProperty("sslmode"));
        assertNull(defaults.getProperty("password"));

        env.putAll(Map.of("PGCONNECT_TIMEOUT", "1", "PGSSLMODE", "verify-full"));
        Properties fromEnv = resolve(NOTHING).connectionProperties();
        assertEquals("2", fromEnv.getProperty("connectTimeout")); // libpq's minimum
        assertEquals("verify-full", fromEnv.getProperty("sslmode"));
    }

    @Test
    void invalidValuesAreExplained() {
        env.put("PGPORT", "54x2");
        IllegalArgumentException port = assertThrows(IllegalArgumentException.class, () -> resolve(NOTHING));
        assertEquals("invalid port \"54x2\" (from PGPORT): not a number", port.getMessage());

        assertThrows(IllegalArgumentException.class, () -> resolve(options(null, 70000, null, null)));

        env.remove("PGPORT");
        env.put("PGSSLMODE", "on");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> resolve(NOTHING)).getMessage()
                .startsWith("invalid sslmode \"on\" (from PGSSLMODE)"));

        env.remove("PGSSLMODE");
        env.put("PGCONNECT_TIMEOUT", "ten");
        assertThrows(IllegalArgumentException.class, () -> resolve(NOTHING));
    }

    // --- service file ---

    @Test
    void serviceFileParsing() throws IOException {
        write(".pg_service.conf", String.join("\n",
                "# comment",
                "[other]",
                "host=wrong.example.com",
                "",
                "[prod]",
                "  # indented comment",
                "hostaddr=10.0.0.5",
                "port = 6432",
                "application_name=ignored",
                "options=-c search_path=x",
                "user=first",
                "user=second",
                "[later]",
                "dbname=wrong"));
        env.put("PGSERVICE", "prod");
        ConnectionSettings settings = resolve(NOTHING);
        assertEquals("jdbc:postgresql://10.0.0.5:6432/first", settings.jdbcUrl());
        assertEquals("first", settings.user());
    }

    @Test
    void hostBeatsHostaddrInTheService() throws IOException {
        write(".pg_service.conf", "[prod]\nhostaddr=10.0.0.5\nhost=db.example.com\n");
        env.put("PGSERVICE", "prod");
        assertEquals("jdbc:postgresql://db.example.com:5432/alice", resolve(NOTHING).jdbcUrl());
    }

    @Test
    void serviceFileLocations() throws IOException {
        write("pg_service.conf", "[prod]\nhost=system.example.com\n[sysonly]\nhost=sysonly.example.com\n");
        write(".pg_service.conf", "[prod]\nhost=user.example.com\n");
        env.put("PGSERVICE", "prod");
        assertEquals("jdbc:postgresql://user.example.com:5432/alice", resolve(NOTHING).jdbcUrl());
        env.put("PGSERVICE", "sysonly");
        assertEquals("jdbc:postgresql://sysonly.example.com:5432/alice", resolve(NOTHING).jdbcUrl());

        Path custom = write("custom.conf", "[prod]\nhost=custom.example.com\n");
        env.putAll(Map.of("PGSERVICEFILE", custom.toString(), "PGSERVICE", "prod"));
        assertEquals("jdbc:postgresql://custom.example.com:5432/alice", resolve(NOTHING).jdbcUrl());
    }

    @Test
    void unknownServiceIsAnError() throws IOException {
        write(".pg_service.conf", "[prod]\nhost=db.example.com\n");
        env.put("PGSERVICE", "nope");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> resolve(NOTHING));
        assertEquals("service \"nope\" not found in " + dir.resolve(".pg_service.conf") + " or "
                + dir.resolve("pg_service.conf"), e.getMessage());
    }

    @Test
    void lineWithoutEqualsInTheServiceIsAnError() throws IOException {
        write(".pg_service.conf", "[prod]\nhost db.example.com\n");
        env.put("PGSERVICE", "prod");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> resolve(NOTHING));
        assertEquals("syntax error in service file " + dir.resolve(".pg_service.conf") + ", line 2", e.getMessage());
    }

    // --- passwords ---

    @Test
    void passwordFromEnvironmentOrService() throws IOException {
        env.put("PGPASSWORD", "from-env");
        assertEquals("from-env", resolve(NOTHING).connectionProperties().getProperty("password"));

        write(".pg_service.conf", "[prod]\npassword=from-service\n");
        env.put("PGSERVICE", "prod");
        assertEquals("from-service", resolve(NOTHING).connectionProperties().getProperty("password"));
    }

    @Test
    void passwordFromThePasswordFile() throws IOException {
        write(".pgpass", String.join("\n",
                "# host:port:database:user:password",
                "db.example.com:5432:app:alice:app-secret",
                "db.example.com:5432:*:alice:any-db",
                "*:*:*:bob:pa\\:ss\\\\word",
                "localhost:5432:*:carol:socket-or-tcp",
                "/tmp/sock:5432:*:carol:other-socket"));
        assertEquals("app-secret", password(options("db.example.com", null, null, "app")));
        assertEquals("any-db", password(options("db.example.com", null, null, "sales")));
        assertNull(password(options("db.example.com", 5433, null, "app")));
        assertEquals("pa:ss\\word", password(options("anywhere", 1234, "bob", null)));
        // as in libpq: the default socket directory matches "localhost", another one its own path
        assertEquals("socket-or-tcp", password(options("localhost", null, "carol", null)));
        assertEquals("socket-or-tcp", password(options("/var/run/postgresql", null, "carol", null)));
        assertEquals("other-socket", password(options("/tmp/sock", null, "carol", null)));
        assertNull(password(options("/run/postgresql", null, "carol", null)));
    }

    @Test
    void passwordFileIsReadForTheDatabaseBeingOpened() throws IOException {
        write(".pgpass", "db.example.com:5432:app:alice:app-secret\n*:*:*:alice:fallback\n");
        ConnectionSettings settings = resolve(options("db.example.com", null, null, null));
        assertEquals("fallback", settings.connectionProperties().getProperty("password"));
        assertEquals("app-secret", settings.withDatabase("app").connectionProperties().getProperty("password"));
    }

    @Test
    void explicitPasswordBeatsThePasswordFile() throws IOException {
        write(".pgpass", "*:*:*:*:from-file\n");
        env.put("PGPASSWORD", "from-env");
        assertEquals("from-env", password(NOTHING));
    }

    @Test
    void passwordFileFromPgpassfileAndIgnoredWhenOthersMayReadIt() throws IOException {
        Path file = write("elsewhere", "*:*:*:*:from-file\n");
        env.put("PGPASSFILE", file.toString());
        assertEquals("from-file", password(NOTHING));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        assertNull(password(NOTHING));
    }

    private String password(ConnectionRequest request) {
        return resolve(request).connectionProperties().getProperty("password");
    }

    @Test
    void passwordNeverShows() throws IOException {
        env.put("PGPASSWORD", "s3cret-env");
        ConnectionSettings settings = resolve(NOTHING);
        assertFalse(settings.toString().contains("s3cret"));
        assertFalse(settings.describe().contains("s3cret"));
        assertFalse(settings.jdbcUrl().contains("s3cret"));

        env.remove("PGPASSWORD");
        write(".pgpass", "*:*:*:*:s3cret-file\n");
        settings = resolve(NOTHING);
        assertEquals("s3cret-file", settings.connectionProperties().getProperty("password"));
        assertFalse(settings.toString().contains("s3cret"));
        assertFalse(settings.jdbcUrl().contains("s3cret"));
    }

    // --- --url ---

    @Test
    void urlIsUsedAsGiven() {
        env.putAll(Map.of("PGHOST", "ignored.example.com", "PGDATABASE", "ignored", "PGUSER", "bob",
                "PGPASSWORD", "pw"));
        ConnectionSettings settings = resolve(url("jdbc:postgresql://db.example.com:6543/app?tcpKeepAlive=true"));
        assertEquals("jdbc:postgresql://db.example.com:6543/app?tcpKeepAlive=true", settings.jdbcUrl());
        assertEquals("app", settings.database());
        assertTrue(settings.databaseGiven());
        assertEquals("bob", settings.user());
        assertEquals("pw", settings.connectionProperties().getProperty("password"));
        assertEquals("database \"app\" on db.example.com:6543 as \"bob\"", settings.describe());
    }

    @Test
    void urlUserWinsAndAPasswordInTheUrlIsRefused() {
        env.putAll(Map.of("PGUSER", "bob", "PGPASSWORD", "env-pw"));
        ConnectionSettings settings = resolve(new ConnectionRequest(null, null, "carol", null,
                "jdbc:postgresql://db.example.com/app?user=dave"));
        assertEquals("dave", settings.user());
        assertEquals("env-pw", settings.connectionProperties().getProperty("password"));
        assertEquals("carol", resolve(new ConnectionRequest(null, null, "carol", null,
                "jdbc:postgresql://db.example.com/app")).user());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> resolve(new ConnectionRequest(
                null, null, null, null, "jdbc:postgresql://db.example.com/app?user=dave&password=url-pw")));
        assertTrue(e.getMessage().startsWith("--url must not carry a password"), e.getMessage());
        assertFalse(e.getMessage().contains("url-pw"));
    }

    @Test
    void urlWithoutDatabase() {
        ConnectionSettings settings = resolve(url("jdbc:postgresql://db.example.com:5433/?ssl=true"));
        assertEquals("alice", settings.database());
        assertFalse(settings.databaseGiven());
        assertEquals("jdbc:postgresql://db.example.com:5433/sales?ssl=true",
                settings.withDatabase("sales").jdbcUrl());
        assertEquals("jdbc:postgresql://db.example.com/sales",
                resolve(url("jdbc:postgresql://db.example.com/")).withDatabase("sales").jdbcUrl());
    }

    @Test
    void withDatabaseReplacesTheUrlPath() {
        ConnectionSettings settings = resolve(url("jdbc:postgresql://h1:5432,h2:5433/app?targetServerType=primary"));
        ConnectionSettings other = settings.withDatabase("my db");
        assertEquals("jdbc:postgresql://h1:5432,h2:5433/my+db?targetServerType=primary", other.jdbcUrl());
        assertEquals("my db", other.database());
        assertEquals("my db", Driver.parseURL(other.jdbcUrl(), null).getProperty("PGDBNAME"));
        assertEquals("jdbc:postgresql:sales", resolve(url("jdbc:postgresql:app")).withDatabase("sales").jdbcUrl());
    }

    @Test
    void urlPasswordFileLookupUsesTheUrlHost() throws IOException {
        write(".pgpass", "db.example.com:6543:app:alice:url-file\n");
        assertEquals("url-file", password(url("jdbc:postgresql://db.example.com:6543/app")));
    }

    @Test
    void badUrlsAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> resolve(url("jdbc:mysql://db/app?password=secret")));
        assertFalse(e.getMessage().contains("secret"));
        // pgjdbc wants a slash after the host
        assertThrows(IllegalArgumentException.class, () -> resolve(url("jdbc:postgresql://db.example.com")));
        assertThrows(IllegalArgumentException.class,
                () -> resolve(new ConnectionRequest("h", null, null, null, "jdbc:postgresql://db/app")));
    }

    // --- withDatabase ---

    @Test
    void withDatabaseKeepsServerAndLogin() {
        env.putAll(Map.of("PGPASSWORD", "pw", "PGSSLMODE", "require"));
        ConnectionSettings settings = resolve(options("db.example.com", 5433, "bob", null));
        ConnectionSettings other = settings.withDatabase("sales");
        assertEquals("jdbc:postgresql://db.example.com:5433/sales", other.jdbcUrl());
        assertEquals("bob", other.user());
        assertTrue(other.databaseGiven());
        assertEquals(settings.connectionProperties(), other.connectionProperties());
        assertEquals("bob", settings.database()); // unchanged: immutable
    }
}
