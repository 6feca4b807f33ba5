package io.pgusers.http;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.pgusers.apply.Executor;
import io.pgusers.ops.ConnectionSource;
import io.pgusers.plan.Step;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's connections: one HikariCP pool per database that requests use (the maintenance database
 * {@code postgres} from the start, each application database when first asked for), all logging in the
 * way the one-shot commands do. A request's facade borrows at most one connection per database, the
 * maintenance one first, and gives them back when it closes.
 *
 * <p>Every borrowed connection is checked first (one round trip): one that the server ended meanwhile
 * (pg_terminate_backend, a restart, a failover) is replaced before a request sees it, and the service
 * answers again as soon as the server does.
 *
 * <p>Sizing: writes serialize on the agents' lock anyway, so a few connections per database keep the
 * instance busy; more would only wait in PostgreSQL instead of here. Idle application pools shrink to
 * nothing, so a database that is dropped later is not held open.
 */
final class Pools implements ConnectionSource, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Pools.class);
    private static final Duration IDLE = Duration.ofMinutes(1);

    static {
        // HikariCP skips the check of a connection used less than this long ago: check every one
        System.setProperty("com.zaxxer.hikari.aliveBypassWindowMs", "0");
    }

    private final ConnectionSource logins;
    private final int size;
    private final Duration connectionTimeout;
    private final Map<String, HikariDataSource> pools = new ConcurrentHashMap<>();
    /** The connections requests have borrowed and not given back: what {@link #cancelAll} reaches. */
    private final Set<Connection> borrowed = ConcurrentHashMap.newKeySet();
    /**
     * The pools that have lent a connection. Only one of these, found empty, was emptied by the server (or by
     * idling); a new pool holds none until it has made its first, and the requests that wait on it must not
     * take it for a stale one and replace it under each other's feet (those waiting on the replaced pool would
     * wait out the connection timeout).
     */
    private final Set<HikariDataSource> served = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /**
     * @param logins            fresh logins, from the connection options
     * @param size              the most connections per database
     * @param connectionTimeout how long a request waits for a connection before it fails with 503
     */
    Pools(ConnectionSource logins, int size, Duration connectionTimeout) {
        this.logins = logins;
        this.size = size;
        this.connectionTimeout = connectionTimeout;
    }

    /**
     * A connection of the database's pool. When a pool that has served holds none at all (idle, or after an
     * outage, when HikariCP may be waiting out a backoff of seconds before it tries again), the instance is asked
     * directly, with a login of its own: when it does not answer, the request fails at once; when it does, a new
     * pool serves it at once, so that the service answers as soon as the server does.
     */
    @Override
    public Connection connect(String database) throws SQLException {
        HikariDataSource pool = pool(database);
        if (served.contains(pool) && pool.getHikariPoolMXBean() != null
                && pool.getHikariPoolMXBean().getTotalConnections() == 0) {
            logins.connect(database).close();
            pool = renew(database, pool);
        }
        Connection connection = pool.getConnection();
        served.add(pool);
        borrowed.add(connection);
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("close") && method.getParameterCount() == 0) {
                        borrowed.remove(connection);
                    }
                    try {
                        return method.invoke(connection, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Override
    public String describe(String database) {
        return logins.describe(database);
    }

    @Override
    public Duration lockTimeout() {
        return logins.lockTimeout();
    }

    /**
     * Whether the instance answers: a login of its own to the maintenance database that passes a round trip.
     * Not a pooled connection: the pool's state (sessions the server ended, a pool waiting out its backoff after
     * an outage) is not the instance's, and a login that cannot be made fails within the connect timeout.
     */
    boolean instanceAnswers() {
        try (Connection connection = logins.connect(Step.MAINTENANCE_DATABASE)) {
            return connection.isValid(2);
        } catch (SQLException | RuntimeException e) {
            LOG.debug("the instance does not answer: {}", e.toString());
            return false;
        }
    }

    /**
     * Cancels the statement each borrowed connection is running (pgjdbc's cancel request, as psql's Ctrl-C):
     * it fails, its transaction rolls back, and the request under way ends, nothing half made.
     */
    void cancelAll() {
        for (Connection connection : borrowed) {
            try {
                connection.unwrap(PGConnection.class).cancelQuery();
            } catch (SQLException | RuntimeException e) {
                LOG.debug("could not cancel a statement under way: {}", e.toString());
            }
        }
    }

    @Override
    public boolean unsampled() {
        return true;
    }

    private HikariDataSource pool(String database) throws SQLException {
        if (closed) {
            throw new SQLException("the service is stopping", "57P01");
        }
        return pools.computeIfAbsent(database, this::newPool);
    }

    /** A new pool in place of {@code stale} (unless another request renewed it already), the stale one closed. */
    private HikariDataSource renew(String database, HikariDataSource stale) {
        HikariDataSource fresh = pools.compute(database, (name, current) -> current == stale ? newPool(name) : current);
        if (fresh != stale) {
            served.remove(stale);
            stale.close();
        }
        return fresh;
    }

    private HikariDataSource newPool(String database) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("pgusers-" + database);
        config.setDataSource(logins.dataSource(database));
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(Step.MAINTENANCE_DATABASE.equals(database) ? 1 : 0);
        config.setIdleTimeout(IDLE.toMillis());
        config.setConnectionTimeout(connectionTimeout.toMillis());
        config.setValidationTimeout(Math.max(250, Math.min(connectionTimeout.toMillis() / 2, 2_000)));
        config.setInitializationFailTimeout(-1); // an unreachable instance is a 503 per request, not a crash
        // each connection's transactions are never sampled, for its whole life (superuser only: Instance.prepare
        // refused any other role): those that carry a secret need not set it and reset it around themselves
        config.setConnectionInitSql(Executor.NO_TRANSACTION_SAMPLING);
        return new HikariDataSource(config);
    }

    @Override
    public void close() {
        closed = true;
        pools.values().forEach(HikariDataSource::close);
        pools.clear();
        served.clear();
    }
}
