package io.pgusers.http;

import io.javalin.Javalin;
import io.javalin.util.JavalinBindException;
import io.pgusers.core.PgUsersException;
import io.pgusers.ops.ConnectionSource;
import io.pgusers.ops.Instance;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * {@code pgusers serve}: the database-users API and the Database Users page on one port, over HTTP or,
 * with a certificate and key, HTTPS (Javalin on Jetty). It checks the instance once at start (a superuser,
 * the agent's schema up to date), then serves each request with a facade over pooled connections.
 * Stopping it stops taking requests, lets those under way finish, and closes the pools.
 */
public final class ApiServer implements AutoCloseable {
    /** Bodies are a few hundred bytes; anything much larger is not a request of this API. */
    private static final long MAX_REQUEST_BYTES = 64 * 1024;
    private static final long HSTS_MAX_AGE_SECONDS = 365L * 24 * 3600;

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ApiServer.class);
    /** How long requests get to end once their statements were cancelled. */
    private static final Duration CANCEL_GRACE = Duration.ofSeconds(5);

    private final Javalin app;
    private final Pools pools;
    private final Instance instance;
    private final boolean tls;
    private final Duration stopTimeout;

    /**
     * Where and how to listen.
     *
     * @param host              the address to bind, e.g. {@code 127.0.0.1}
     * @param port              the port, 0 for any free one
     * @param tlsCert           the PEM certificate chain for HTTPS, or null for HTTP
     * @param tlsKey            its PEM private key, or null
     * @param poolSize          the most connections per database
     * @param connectionTimeout how long a request waits for a connection before a 503
     * @param stopTimeout       how long requests under way may take to finish once stopping
     */
    public record Options(String host, int port, Path tlsCert, Path tlsKey, int poolSize,
                          Duration connectionTimeout, Duration stopTimeout, Duration requestDeadline,
                          boolean allowPlainHttp) {
        public static final int DEFAULT_POOL_SIZE = 8;
        public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(10);
        public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(30);
        /** How long a client has to send a whole request: a few seconds, far more than any client needs. */
        public static final Duration DEFAULT_REQUEST_DEADLINE = Duration.ofSeconds(5);

        public Options {
            if ((tlsCert == null) != (tlsKey == null)) {
                throw PgUsersException.invalid("HTTPS needs both --tls-cert and --tls-key");
            }
            if (poolSize < 1) {
                throw PgUsersException.invalid("the pool size must be at least 1");
            }
            if (tlsCert == null && !isLoopback(host) && !allowPlainHttp) {
                throw PgUsersException.invalid("serve would listen on " + host + ", which other hosts can reach, "
                        + "over plain HTTP: the API token and the generated passwords would cross the network in "
                        + "clear. Give --tls-cert and --tls-key; or listen on 127.0.0.1 behind a TLS proxy; or, "
                        + "with such a proxy on another host, --allow-plain-http");
            }
        }

        public Options(String host, int port, Path tlsCert, Path tlsKey, int poolSize, Duration connectionTimeout,
                       Duration stopTimeout) {
            this(host, port, tlsCert, tlsKey, poolSize, connectionTimeout, stopTimeout, DEFAULT_REQUEST_DEADLINE, false);
        }

        boolean tls() {
            return tlsCert != null;
        }

        /** Plain HTTP on an address other hosts may reach: refused unless allowed, and then warned about. */
        public boolean plainHttpOffLoopback() {
            return tlsCert == null && !isLoopback(host);
        }

        private static boolean isLoopback(String host) {
            try {
                return java.net.InetAddress.getByName(host).isLoopbackAddress();
            } catch (java.net.UnknownHostException e) {
                return false;
            }
        }
    }

    private ApiServer(Javalin app, Pools pools, Instance instance, boolean tls, Duration stopTimeout) {
        this.app = app;
        this.pools = pools;
        this.instance = instance;
        this.tls = tls;
        this.stopTimeout = stopTimeout;
    }

    /**
     * Opens the pools over {@code logins}, checks the instance, and listens.
     *
     * @throws PgUsersException when the instance is unfit (not a superuser, unreachable), the TLS files
     *                          cannot be used, or the address is taken
     */
    public static ApiServer start(ConnectionSource logins, TokenAuth auth, Options options) {
        KeyStore keyStore = null;
        char[] keyStorePassword = null;
        if (options.tlsCert() != null) {
            keyStorePassword = randomPassword();
            keyStore = PemKeyStore.load(options.tlsCert(), options.tlsKey(), keyStorePassword);
        }
        Pools pools = new Pools(logins, options.poolSize(), options.connectionTimeout());
        try {
            Instance instance = Instance.prepare(logins, pools);
            UsersApi api = new UsersApi(instance, pools, auth, new WebPage());
            refuseTakenAddress(options);
            Javalin app = create(api, options, keyStore, keyStorePassword);
            try {
                app.start();
            } catch (JavalinBindException e) {
                throw PgUsersException.invalid("could not listen on " + options.host() + ":" + options.port()
                        + ": " + e.getMessage() + " Choose another with --listen HOST:PORT.");
            }
            return new ApiServer(app, pools, instance, keyStore != null, options.stopTimeout());
        } catch (RuntimeException e) {
            pools.close();
            throw e;
        }
    }

    /**
     * Tries the address first, so that a port in use gets pgusers' one clear message rather than Javalin's
     * error log before it (a race with another process that takes it in between still ends the same way).
     */
    private static void refuseTakenAddress(Options options) {
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new java.net.InetSocketAddress(options.host(), options.port()));
        } catch (java.io.IOException e) {
            throw PgUsersException.invalid("could not listen on " + options.host() + ":" + options.port()
                    + ": " + e.getMessage() + ". Choose another with --listen HOST:PORT.");
        }
    }

    private static Javalin create(UsersApi api, Options options, KeyStore keyStore, char[] keyStorePassword) {
        RequestGuard guard = new RequestGuard(options.requestDeadline(), (int) MAX_REQUEST_BYTES);
        return Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.startup.startupWatcherEnabled = false;
            config.http.maxRequestSize = MAX_REQUEST_BYTES;
            config.jetty.modifyServer(server -> {
                // Jetty 12 waits for requests under way only behind a GracefulHandler, for stopTimeout at most.
                server.insertHandler(new GracefulHandler());
                server.insertHandler(guard);
                // then a little more: what is left is cancelled at stopTimeout, and ends at once
                server.setStopTimeout(options.stopTimeout().plus(CANCEL_GRACE).toMillis());
                server.setErrorHandler(new JsonErrorHandler());
            });
            config.jetty.modifyServletContextHandler(context -> context.setErrorHandler(new JsonErrorHandler()));
            config.jetty.addConnector((server, http) -> {
                ServerConnector connector;
                if (keyStore != null) {
                    SslContextFactory.Server ssl = new SslContextFactory.Server();
                    ssl.setKeyStore(keyStore);
                    ssl.setKeyStorePassword(new String(keyStorePassword));
                    ssl.setCertAlias(PemKeyStore.ALIAS);
                    // clients may connect by address, which TLS does not name in SNI: do not insist on it;
                    // HSTS: browsers that saw the page over HTTPS never fall back to plain HTTP for a year
                    http.addCustomizer(new SecureRequestCustomizer(false, false, HSTS_MAX_AGE_SECONDS, false));
                    connector = new ServerConnector(server, ssl, new HttpConnectionFactory(http));
                } else {
                    connector = new ServerConnector(server, new HttpConnectionFactory(http));
                }
                connector.setHost(options.host());
                connector.setPort(options.port());
                connector.setIdleTimeout(options.requestDeadline().toMillis());
                connector.addEventListener(guard.connectionListener());
                return connector;
            });
            api.register(config.routes);
        });
    }

    /** The port listened on (the one chosen when 0 was asked for). */
    public int port() {
        return app.port();
    }

    /** {@code http://host:port} or {@code https://...}, for a browser or curl. */
    public String url(String host) {
        String shown = host.contains(":") ? "[" + host + "]" : host;
        return (tls ? "https" : "http") + "://" + shown + ":" + port();
    }

    /**
     * Stops taking requests and lets those under way finish, for the stop timeout at most; then cancels, in the
     * server, the statements still running, so that their transactions roll back and their requests end
     * (503, nothing half made: what they did is finished by running them again), and the creates still waiting
     * for a transaction of creates end the same way; then closes the pools.
     */
    @Override
    public void close() {
        java.util.concurrent.ScheduledExecutorService timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
                r -> new Thread(r, "pgusers-serve-cancel"));
        timer.schedule(() -> {
            LOG.info("requests still under way after {}: cancelling their statements", stopTimeout);
            instance.stopCreates();
            pools.cancelAll();
        }, stopTimeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        try {
            app.stop();
        } catch (RuntimeException e) {
            LOG.warn("stopping: {}", e.toString());
        } finally {
            timer.shutdownNow();
            pools.close();
        }
    }

    private static char[] randomPassword() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes).toCharArray();
    }
}
