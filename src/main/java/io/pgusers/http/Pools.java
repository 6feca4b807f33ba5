package io.pgusers.http;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
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
import java.util.concurrent.atomic.AtomicInteger;
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
    private final Map<String, Pool> pools = new ConcurrentHashMap<>();
    /** Pools replaced by a new one, each closed once no request borrows from it or uses a connection of it. */
    private final Set<Pool> retired = ConcurrentHashMap.newKeySet();
    /** The connections requests have borrowed and not given back: what {@link #cancelAll} reaches. */
    private final Set<Connection> borrowed = ConcurrentHashMap.newKeySet();
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
     * A connection of the database's pool. When the pool holds none at all (new, idle, or after an outage, when
     * HikariCP may be waiting out a backoff of seconds before it tries again), the instance is asked directly,
     * with a login of its own: when it does not answer, the request fails at once. When it does, a pool that
     * has served before (emptied by the server or by idling) is replaced by a new one, which serves at once, so
     * that the service answers as soon as the server does; a new pool is only filling, and is kept (a burst of
     * first requests would otherwise replace it under each other's feet).
     */
    @Override
    public Connection connect(String database) throws SQLException {
        closeIdleRetired();
        Pool pool = pool(database);
        if (pool.empty()) {
            logins.connect(database).close();
            if (pool.served) {
                pool = renew(database, pool);
            }
        }
        Connection connection = borrow(database, pool);
        borrowed.add(connection);
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    boolean closing = method.getName().equals("close") && method.getParameterCount() == 0;
                    if (closing) {
                        borrowed.remove(connection);
                    }
                    try {
                        return method.invoke(connection, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    } finally {
                        if (closing) {
                            closeIdleRetired(); // the last connection of a replaced pool given back: close it now
                        }
                    }
                });
    }

    /**
     * A connection of {@code pool}; of its successor, when another request replaced it and has begun closing it
     * meanwhile. While a request is in here, the pool is not closed (see {@link Pool#closeIfIdle}).
     */
    private Connection borrow(String database, Pool pool) throws SQLException {
        if (!pool.enter()) {
            Pool current = pool(database);
            if (current == pool) {
                throw new SQLException("the pool of database \"" + database + "\" is closed", "08003");
            }
            return borrow(database, current);
        }
        try {
            Connection connection = pool.source.getConnection();
            pool.served = true;
            return connection;
        } catch (SQLException e) {
            throw closed ? stopping() : e;
        } finally {
            pool.leave();
        }
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

    private Pool pool(String database) throws SQLException {
        if (closed) {
            throw stopping();
        }
        return pools.computeIfAbsent(database, name -> new Pool(newPool(name)));
    }

    private static SQLException stopping() {
        return new SQLException("the service is stopping", "57P01");
    }

    /**
     * A new pool in place of {@code stale}, or the one another request put there meanwhile. The request that
     * replaced it retires it: it is closed once no request borrows from it or uses a connection of it (HikariCP's
     * close would abort the connections in use, and leave the requests waiting to their connection timeout).
     */
    private Pool renew(String database, Pool stale) throws SQLException {
        boolean[] replaced = {false};
        Pool fresh = pools.compute(database, (name, current) -> {
            if (current != stale) {
                return current;
            }
            replaced[0] = true;
            return new Pool(newPool(name));
        });
        if (fresh == null) {
            throw stopping(); // close() cleared the pools meanwhile
        }
        if (replaced[0]) {
            retired.add(stale);
            closeIdleRetired();
        }
        return fresh;
    }

    private void closeIdleRetired() {
        for (Pool pool : retired) {
            if (pool.source.isClosed() || pool.closeIfIdle()) {
                retired.remove(pool);
            }
        }
    }

    private HikariDataSource newPool(String database) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("pgusers-" + database);
        // logins told never to log a transaction whole (superuser only: Instance.prepare refused any other
        // role): those that carry a secret need not set that and reset it around themselves
        config.setDataSource(logins.neverSampled().dataSource(database));
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(Step.MAINTENANCE_DATABASE.equals(database) ? 1 : 0);
        config.setIdleTimeout(IDLE.toMillis());
        config.setConnectionTimeout(connectionTimeout.toMillis());
        config.setValidationTimeout(Math.max(250, Math.min(connectionTimeout.toMillis() / 2, 2_000)));
        config.setInitializationFailTimeout(-1); // an unreachable instance is a 503 per request, not a crash
        return new HikariDataSource(config);
    }

    /** A database's pool, whether it has lent a connection yet, and the requests borrowing from it now. */
    private static final class Pool {
        private static final int CLOSING = -1;
        final HikariDataSource source;
        volatile boolean served;
        /**
         * The requests inside {@link #borrow} on this pool, from before they ask HikariCP for a connection until it
         * has given them one (HikariCP's own counts miss some of that: a connection its thread-local list gives
         * back is never waited for, and a request is counted nowhere before it enters the pool's borrow);
         * {@link #CLOSING} once it is being closed. A request that chose the pool earlier and comes to borrow
         * from it once it is closing goes to its successor.
         */
        private final AtomicInteger borrowing = new AtomicInteger();

        Pool(HikariDataSource source) {
            this.source = source;
        }

        /** Counts a request in, unless the pool is being closed. */
        boolean enter() {
            while (true) {
                int now = borrowing.get();
                if (now == CLOSING) {
                    return false;
                }
                if (borrowing.compareAndSet(now, now + 1)) {
                    return true;
                }
            }
        }

        void leave() {
            borrowing.decrementAndGet();
        }

        /** Holds no connection at all. */
        boolean empty() {
            HikariPoolMXBean state = source.getHikariPoolMXBean();
            return state != null && state.getTotalConnections() == 0;
        }

        /**
         * Closes it if no request is borrowing from it or uses one of its connections: first no request is let
         * in, then the connections in use are counted (a request that got one before counts among them), and the
         * pool is closed only when there are none; else requests are let in again. Returns whether it closed.
         */
        boolean closeIfIdle() {
            if (!borrowing.compareAndSet(0, CLOSING)) {
                return false;
            }
            HikariPoolMXBean state = source.getHikariPoolMXBean();
            if (state != null && state.getActiveConnections() > 0) {
                borrowing.set(0);
                return false;
            }
            source.close();
            return true;
        }
    }

    @Override
    public void close() {
        closed = true;
        pools.values().forEach(pool -> pool.source.close());
        pools.clear();
        retired.forEach(pool -> pool.source.close());
        retired.clear();
    }
}
