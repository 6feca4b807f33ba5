package io.pgusers.http;

import io.pgusers.connect.ConnectionRequest;
import io.pgusers.connect.ConnectionSettings;
import io.pgusers.ops.ConnectionSource;
import io.pgusers.testing.PgServer;
import java.time.Duration;
import java.util.Map;

/**
 * A real {@code pgusers serve} (the {@link ApiServer}, in this JVM) on a free port of 127.0.0.1, over the
 * shared test PostgreSQL: started once per test JVM, stopped at its end. Requests go to it over real HTTP.
 */
public final class TestService {
    /** The API token of the test services. */
    public static final String TOKEN = "test-token-" + io.pgusers.testing.Names.password();

    private static ApiServer shared;

    private TestService() {
    }

    /** The shared service; its requests wait up to 60 s for a pooled connection (the load test queues 50). */
    public static synchronized ApiClient client() {
        if (shared == null) {
            shared = start(logins(PgServer.shared().host(), PgServer.shared().port()),
                    options(Duration.ofSeconds(60)));
            ApiServer server = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "pgusers-test-service-stop"));
        }
        return new ApiClient("http://127.0.0.1:" + shared.port(), TOKEN);
    }

    public static ApiServer start(ConnectionSource logins, ApiServer.Options options) {
        return ApiServer.start(logins, TokenAuth.load(null, Map.of(TokenAuth.ENV, TOKEN)), options);
    }

    public static ApiServer.Options options(Duration connectionTimeout) {
        return new ApiServer.Options("127.0.0.1", 0, null, null, ApiServer.Options.DEFAULT_POOL_SIZE,
                connectionTimeout, Duration.ofSeconds(10));
    }

    /** Superuser logins to the test server at {@code host:port} (which may be a proxy in front of it). */
    public static ConnectionSource logins(String host, int port) {
        return ConnectionSource.of(settings(host, port));
    }

    private static ConnectionSettings settings(String host, int port) {
        PgServer pg = PgServer.shared();
        return ConnectionSettings.resolve(
                new ConnectionRequest(host, port, pg.superuser(), "postgres", null),
                Map.of("PGPASSWORD", pg.superuserPassword(), "PGPASSFILE", "/nonexistent/pgpass",
                        "PGCONNECT_TIMEOUT", "2"));
    }

    /** A service of its own on a free port, whose sessions give up waiting for a lock after {@code lockTimeout}. */
    public static ApiServer startWithLockTimeout(Duration lockTimeout) {
        PgServer pg = PgServer.shared();
        return start(ConnectionSource.of(settings(pg.host(), pg.port()).withLockTimeout(lockTimeout)),
                options(Duration.ofSeconds(10)));
    }
}
