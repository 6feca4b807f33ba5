package io.pgusers.http;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.pgusers.ops.ConnectionSource;
import io.pgusers.plan.Step;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The service's connections: one HikariCP pool per database that requests use (the maintenance database
 * {@code postgres} from the start, each application database when first asked for), all logging in the
 * way the one-shot commands do. A request's facade borrows at most one connection per database, the
 * maintenance one first, and gives them back when it closes.
 *
 * <p>Sizing: writes serialize on the agent's advisory lock anyway, so a few connections per database
 * keep the instance busy; more would only wait in PostgreSQL instead of here. Idle application pools
 * shrink to nothing, so a database that is dropped later is not held open.
 */
final class Pools implements ConnectionSource, AutoCloseable {
    private static final Duration IDLE = Duration.ofMinutes(1);

    private final ConnectionSource logins;
    private final int size;
    private final Duration connectionTimeout;
    private final Map<String, HikariDataSource> pools = new ConcurrentHashMap<>();
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

    @Override
    public Connection connect(String database) throws SQLException {
        return pool(database).getConnection();
    }

    @Override
    public String describe(String database) {
        return logins.describe(database);
    }

    /** Whether the instance answers: a connection of the maintenance pool that passes a round trip. */
    boolean instanceAnswers() {
        try (Connection connection = connect(Step.MAINTENANCE_DATABASE)) {
            return connection.isValid(2);
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    private HikariDataSource pool(String database) throws SQLException {
        if (closed) {
            throw new SQLException("the service is stopping");
        }
        return pools.computeIfAbsent(database, this::newPool);
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
        return new HikariDataSource(config);
    }

    @Override
    public void close() {
        closed = true;
        pools.values().forEach(HikariDataSource::close);
        pools.clear();
    }
}
