package io.pgusers.connect;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.postgresql.Driver;
import org.postgresql.PGProperty;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

/**
 * Where and how to connect, resolved once from psql-style options and the environment, as libpq would.
 *
 * <p>Each parameter comes from the first of: the option ({@code -h -p -U -d}); the section of the service file named
 * by {@code PGSERVICE} (see {@link ServiceFile}); the environment ({@code PGHOST PGPORT PGUSER PGDATABASE PGPASSWORD
 * PGSSLMODE PGCONNECT_TIMEOUT}); the default. The service beats the environment because libpq's
 * conninfo_add_defaults() (fe-connect.c) fills what the options left out from the service first and only then from
 * the environment. An empty value counts as unset. Defaults: the socket directory {@code /var/run/postgresql} if it
 * exists, else {@code localhost}; port 5432; the OS user ({@code USER}, else {@code user.name}); a database named
 * after the user; pgjdbc's sslmode; a 10 s connect timeout. Without a password the {@link PgPassFile} is read at
 * {@link #open()}, for the database then being opened.
 *
 * <p>pgjdbc itself reads none of these variables: the host, port and database go into the URL, the rest into
 * connection properties. A host starting with {@code /} is a socket directory, reached through junixsocket.
 *
 * <p>{@code --url} is used as given: a service and {@code -h -p -d} do not apply; the user comes from the URL, else
 * {@code -U}, {@code PGUSER} or the OS user; the password from the URL, else {@code PGPASSWORD}, else the password
 * file.
 */
public final class ConnectionSettings {

    static final String DEFAULT_SOCKET_DIR = "/var/run/postgresql"; // Debian's libpq default
    static final String SYSCONFDIR = "/etc/postgresql-common";       // Debian's pg_config --sysconfdir
    static final String SOCKET_FACTORY = "org.newsclub.net.unix.AFUNIXSocketFactory$FactoryArg";
    private static final String URL_PREFIX = "jdbc:postgresql:";
    private static final int DEFAULT_CONNECT_TIMEOUT = 10;
    private static final Set<String> SSL_MODES =
            Set.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");
    private static final Driver DRIVER = new Driver();
    /** NAMEDATALEN - 1: PostgreSQL cuts longer names silently, and the database would then be another. */
    private static final int MAX_NAME_BYTES = 63;
    /**
     * pgjdbc's own log (java.util.logging, to standard error by default) is silenced: some of its warnings
     * quote the connection URL. Held here so that the logger, weakly referenced by JUL, keeps its level.
     */
    private static final java.util.logging.Logger PGJDBC_LOG = silence(java.util.logging.Logger.getLogger("org.postgresql"));

    private final String url;          // --url as given; null when built from host and port
    private final String host;         // host name or socket directory (--url: the URL's first host)
    private final int port;
    private final String where;        // "localhost:5432" or "socket /dir/.s.PGSQL.5432"
    private final String database;
    private final boolean databaseGiven;
    private final String user;
    private final String password;     // given explicitly; else null and the password file is read at open()
    private final Path passfile;
    private final String sslmode;
    private final int connectTimeout;
    private final SessionOptions session;

    private ConnectionSettings(String url, String host, int port, String where, String database,
            boolean databaseGiven, String user, String password, Path passfile, String sslmode, int connectTimeout,
            SessionOptions session) {
        this.url = url;
        this.host = host;
        this.port = port;
        this.where = where;
        this.database = database;
        this.databaseGiven = databaseGiven;
        this.user = user;
        this.password = password;
        this.passfile = passfile;
        this.sslmode = sslmode;
        this.connectTimeout = connectTimeout;
        this.session = session;
    }

    /** Resolves the request against {@code env} (normally {@code System.getenv()}). */
    public static ConnectionSettings resolve(ConnectionRequest request, Map<String, String> env) {
        return resolve(request, env, Files.isDirectory(Path.of(DEFAULT_SOCKET_DIR)));
    }

    static ConnectionSettings resolve(ConnectionRequest request, Map<String, String> env, boolean socketDirExists) {
        String osUser = first(env(env, "USER"), System.getProperty("user.name"));
        String passfileName = env(env, "PGPASSFILE");
        Path passfile = passfileName != null ? Path.of(passfileName) : home(env).resolve(".pgpass");
        Found timeout = pick(env(env, "PGCONNECT_TIMEOUT"), "PGCONNECT_TIMEOUT");
        Found sslmode = pick(env(env, "PGSSLMODE"), "PGSSLMODE");
        if (blank(request.url()) != null) {
            if (blank(request.host()) != null || request.port() != null || blank(request.dbname()) != null) {
                throw new IllegalArgumentException("--url cannot be combined with -h, -p or -d");
            }
            return fromUrl(request.url(), first(blank(request.user()), env(env, "PGUSER"), osUser),
                    env(env, "PGPASSWORD"), passfile, sslMode(sslmode), connectTimeout(timeout));
        }

        String service = env(env, "PGSERVICE");
        Map<String, String> svc = service == null ? Map.of() : ServiceFile.lookup(service, serviceFiles(env));
        String inService = "the service \"" + service + "\"";
        String host = first(blank(request.host()), blank(svc.get("host")), env(env, "PGHOST"),
                socketDirExists ? DEFAULT_SOCKET_DIR : "localhost");
        int port = port(pick(request.port() == null ? null : request.port().toString(), "-p",
                blank(svc.get("port")), "port in " + inService, env(env, "PGPORT"), "PGPORT"));
        String user = first(blank(request.user()), blank(svc.get("user")), env(env, "PGUSER"), osUser);
        String givenDatabase = first(blank(request.dbname()), blank(svc.get("dbname")), env(env, "PGDATABASE"));
        String password = first(blank(svc.get("password")), env(env, "PGPASSWORD"));
        timeout = pick(blank(svc.get("connect_timeout")), "connect_timeout in " + inService,
                timeout.value(), timeout.origin());
        sslmode = pick(blank(svc.get("sslmode")), "sslmode in " + inService, sslmode.value(), sslmode.origin());
        String where = isSocket(host) ? "socket " + socketPath(host, port) : hostForUrl(host) + ":" + port;
        return new ConnectionSettings(null, host, port, where, databaseName(givenDatabase != null ? givenDatabase : user),
                givenDatabase != null, user, password, passfile, sslMode(sslmode), connectTimeout(timeout),
                SessionOptions.DEFAULT);
    }

    private static ConnectionSettings fromUrl(String url, String user, String password, Path passfile,
            String sslmode, int connectTimeout) {
        if (hasUserInfo(url)) {
            // not echoed, and checked before pgjdbc parses it (its parser logs the part after the colon)
            throw new IllegalArgumentException("--url must not carry a password (user:password@host): the command "
                    + "line is visible to every user of the host; use PGPASSWORD, a password file (~/.pgpass) or a "
                    + "service file");
        }
        Properties parsed = url.startsWith(URL_PREFIX) ? Driver.parseURL(url, null) : null;
        if (parsed == null) {
            // not echoed: the URL may carry a password
            throw new IllegalArgumentException(
                    "--url is not a valid PostgreSQL JDBC URL (expected jdbc:postgresql://host:port/database)");
        }
        String urlUser = blank(PGProperty.USER.getOrDefault(parsed));
        if (blank(PGProperty.PASSWORD.getOrDefault(parsed)) != null) {
            // a command line is visible to every user of the host (ps, /proc): no secret there
            throw new IllegalArgumentException("--url must not carry a password: the command line is visible to "
                    + "every user of the host; use PGPASSWORD, a password file (~/.pgpass) or a service file");
        }
        for (String owned : List.of("options", "currentSchema")) {
            if (parsed.getProperty(owned) != null) {
                throw new IllegalArgumentException("--url must not set " + owned + ": pgusers sets the search path and "
                        + "the options of its sessions itself (see SessionOptions in the README's security model)");
            }
        }
        user = urlUser != null ? urlUser : user;
        String host = PGProperty.PG_HOST.getOrDefault(parsed).split(",")[0];
        int port = Integer.parseInt(PGProperty.PG_PORT.getOrDefault(parsed).split(",")[0]);
        String socket = PGProperty.SOCKET_FACTORY_ARG.getOrDefault(parsed);
        String where = socket != null ? "socket " + socket
                : PGProperty.PG_HOST.getOrDefault(parsed) + ":" + PGProperty.PG_PORT.getOrDefault(parsed);
        boolean given = !splitUrl(url)[1].isEmpty();
        String database = databaseName(given ? PGProperty.PG_DBNAME.getOrDefault(parsed) : user);
        return new ConnectionSettings(url, host, port, where, database, given, user, password, passfile, sslmode,
                connectTimeout, SessionOptions.DEFAULT);
    }

    /** The database that will be connected to. */
    public String database() {
        return database;
    }

    /** True when the database came from -d, --url, PGDATABASE or a service; false when it is the user's name. */
    public boolean databaseGiven() {
        return databaseGiven;
    }

    /** The role to log in as. */
    public String user() {
        return user;
    }

    /** Same server and login, another database. */
    public ConnectionSettings withDatabase(String database) {
        if (blank(database) == null) {
            throw new IllegalArgumentException("database name must not be empty");
        }
        databaseName(database);
        String newUrl = null;
        if (url != null) {
            String[] parts = splitUrl(url);
            newUrl = parts[0] + encode(database) + parts[2];
        }
        return new ConnectionSettings(newUrl, host, port, where, database, true, user, password, passfile,
                sslmode, connectTimeout, session);
    }

    /** Same server and login; every lock the sessions wait on is given up after {@code lockTimeout}. */
    public ConnectionSettings withLockTimeout(Duration lockTimeout) {
        return new ConnectionSettings(url, host, port, where, database, databaseGiven, user, password, passfile,
                sslmode, connectTimeout, new SessionOptions(lockTimeout, session.neverSampled()));
    }

    /**
     * Same server and login; no transaction of the sessions is ever logged whole ({@code
     * log_transaction_sample_rate=0} at login, superuser only: see {@link SessionOptions}).
     */
    public ConnectionSettings neverSampled() {
        return new ConnectionSettings(url, host, port, where, database, databaseGiven, user, password, passfile,
                sslmode, connectTimeout, new SessionOptions(session.lockTimeout(), true));
    }

    /** Whether the sessions were told at login never to log a transaction whole ({@link #neverSampled()}). */
    public boolean isNeverSampled() {
        return session.neverSampled();
    }

    /** How long a statement waits for a lock before it fails (lock_timeout). */
    public Duration lockTimeout() {
        return session.lockTimeout();
    }

    /**
     * A fresh connection, autocommit on. pgjdbc's own password file reader, which runs whenever no password
     * property is given, is pointed at an empty file through {@code org.postgresql.pgpassfile} (it reads that
     * property before PGPASSFILE and ~/.pgpass), so that {@link PgPassFile} stays the only reader.
     */
    public Connection open() throws SQLException {
        System.setProperty("org.postgresql.pgpassfile", "/dev/null");
        Connection connection = DRIVER.connect(jdbcUrl(), connectionProperties());
        if (connection == null) {
            throw new PSQLException("not a PostgreSQL JDBC URL", PSQLState.CONNECTION_UNABLE_TO_CONNECT);
        }
        return connection;
    }

    /** For messages: {@code database "app" on localhost:5432 as "postgres"}. */
    /** Where the server is, for messages: {@code localhost:5432} or {@code socket /run/postgresql/.s.PGSQL.5432}. */
    public String instance() {
        return where;
    }

    public String describe() {
        return "database \"" + database + "\" on " + where + " as \"" + user + "\"";
    }

    @Override
    public String toString() {
        return describe();
    }

    /** The URL handed to pgjdbc: never holds a password that pgusers put there. */
    String jdbcUrl() {
        if (url != null) {
            return url;
        }
        if (isSocket(host)) {
            return "jdbc:postgresql://localhost:" + port + "/" + encode(database)
                    + "?socketFactory=" + encode(SOCKET_FACTORY)
                    + "&socketFactoryArg=" + encode(socketPath(host, port)) + "&sslmode=disable";
        }
        return "jdbc:postgresql://" + hostForUrl(host) + ":" + port + "/" + encode(database);
    }

    /** The connection properties, with the password of the password file looked up now. */
    Properties connectionProperties() {
        Properties props = new Properties();
        props.setProperty("user", user);
        // as libpq: a socket in the default directory matches "localhost", another socket its directory
        String passHost = host.equals(DEFAULT_SOCKET_DIR) ? "localhost" : host;
        String pw = password != null ? password : PgPassFile.find(passfile, passHost, port, database, user);
        if (pw != null) {
            props.setProperty("password", pw);
        }
        if (sslmode != null && !(url == null && isSocket(host))) {
            props.setProperty("sslmode", sslmode);
        }
        // libpq's connect_timeout bounds the whole connection, login included: pgjdbc's loginTimeout does that
        props.setProperty("connectTimeout", String.valueOf(connectTimeout));
        props.setProperty("loginTimeout", String.valueOf(connectTimeout));
        props.setProperty("ApplicationName", "pgusers");
        props.setProperty("options", session.startupOptions());
        return props;
    }

    // --- helpers ---

    /** A value with where it came from, for error messages. */
    private record Found(String value, String origin) {}

    /** The first non-null of value/origin pairs. */
    private static Found pick(String... valueOriginPairs) {
        for (int i = 0; i < valueOriginPairs.length; i += 2) {
            if (valueOriginPairs[i] != null) {
                return new Found(valueOriginPairs[i], valueOriginPairs[i + 1]);
            }
        }
        return new Found(null, null);
    }

    /** The first non-null value. */
    private static String first(String... values) {
        for (String value : values) {
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    private static int port(Found found) {
        if (found.value() == null) {
            return 5432;
        }
        int port = integer(found, "port");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(
                    "invalid port \"" + found.value() + "\" (from " + found.origin() + "): must be 1 to 65535");
        }
        return port;
    }

    /** Seconds, as libpq: 0 or less waits forever, 1 means 2. */
    private static int connectTimeout(Found found) {
        if (found.value() == null) {
            return DEFAULT_CONNECT_TIMEOUT;
        }
        int seconds = integer(found, "connect timeout");
        return seconds <= 0 ? 0 : Math.max(seconds, 2);
    }

    private static String sslMode(Found found) {
        if (found.value() != null && !SSL_MODES.contains(found.value())) {
            throw new IllegalArgumentException("invalid sslmode \"" + found.value() + "\" (from " + found.origin()
                    + "): use disable, allow, prefer, require, verify-ca or verify-full");
        }
        return found.value();
    }

    private static int integer(Found found, String what) {
        try {
            return Integer.parseInt(found.value().strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid " + what + " \"" + found.value() + "\" (from "
                    + found.origin() + "): not a number", e);
        }
    }

    private static boolean isSocket(String host) {
        return host.startsWith("/");
    }

    private static String socketPath(String dir, int port) {
        return (dir.endsWith("/") ? dir : dir + "/") + ".s.PGSQL." + port;
    }

    private static String hostForUrl(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /**
     * {before the database, the database as written, after it} of a URL that pgjdbc accepted: either
     * {@code jdbc:postgresql://hosts/[database][?args]} or {@code jdbc:postgresql:database[?args]}.
     */
    static String[] splitUrl(String url) {
        int end = url.indexOf('?') < 0 ? url.length() : url.indexOf('?');
        int start = url.startsWith("//", URL_PREFIX.length())
                ? url.indexOf('/', URL_PREFIX.length() + 2) + 1
                : URL_PREFIX.length();
        return new String[] {url.substring(0, start), url.substring(start, end), url.substring(end)};
    }

    private static java.util.logging.Logger silence(java.util.logging.Logger logger) {
        logger.setLevel(java.util.logging.Level.OFF);
        return logger;
    }

    /** A database name PostgreSQL keeps as it is: 1 to 63 bytes, no NUL. */
    static String databaseName(String name) {
        if (name.indexOf('\0') >= 0 || name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            throw new IllegalArgumentException("a database name has at most " + MAX_NAME_BYTES + " bytes and no NUL "
                    + "character (PostgreSQL would cut a longer one, and name another database)");
        }
        return name;
    }

    /** Whether the authority of a {@code jdbc:postgresql://} URL holds a {@code user[:password]@} part. */
    private static boolean hasUserInfo(String url) {
        if (!url.startsWith("//", URL_PREFIX.length())) {
            return false;
        }
        int start = URL_PREFIX.length() + 2;
        int end = start;
        while (end < url.length() && "/?#".indexOf(url.charAt(end)) < 0) {
            end++;
        }
        return url.substring(start, end).indexOf('@') >= 0;
    }

    /** libpq's order: the user's file (PGSERVICEFILE, else ~/.pg_service.conf), then the system one. */
    private static List<Path> serviceFiles(Map<String, String> env) {
        String userFile = env(env, "PGSERVICEFILE");
        return List.of(userFile != null ? Path.of(userFile) : home(env).resolve(".pg_service.conf"),
                Path.of(first(env(env, "PGSYSCONFDIR"), SYSCONFDIR), "pg_service.conf"));
    }

    private static String env(Map<String, String> env, String name) {
        return blank(env.get(name));
    }

    private static Path home(Map<String, String> env) {
        return Path.of(first(env(env, "HOME"), System.getProperty("user.home")));
    }

    private static String blank(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
