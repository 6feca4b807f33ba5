package io.pgusers.ops;

import io.pgusers.connect.ConnectionSettings;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * Where a facade gets a connection to a database of the instance: a fresh pgjdbc login for a one-shot
 * command ({@link #of(ConnectionSettings)}), or one borrowed from a pool for the service. The facade
 * asks once per database and closes what it got when it closes (for a pool: gives it back).
 */
public interface ConnectionSource {

    /** A connection to {@code database}, autocommit on, which the caller closes. */
    Connection connect(String database) throws SQLException;

    /** For messages: {@code database "app" on localhost:5432 as "postgres"}. */
    String describe(String database);

    /** How long the sessions' statements wait for a lock (their lock_timeout). */
    Duration lockTimeout();

    /**
     * Whether every connection given was told at login never to log a transaction whole ({@code
     * log_transaction_sample_rate=0}, for the session's whole life): the service's pools are. A one-shot login is
     * not: it sets that around the transaction that carries a secret.
     */
    default boolean unsampled() {
        return false;
    }

    /** The same logins, told never to log a transaction whole (superuser only: another role's login fails). */
    default ConnectionSource neverSampled() {
        throw new UnsupportedOperationException("these connections cannot be told so at login");
    }

    /** The same connections as a {@link DataSource}, for Flyway or a pool. */
    default DataSource dataSource(String database) {
        return new SourceDataSource(this, database);
    }

    /** Fresh logins with {@code settings}, to whichever database is asked for. */
    static ConnectionSource of(ConnectionSettings settings) {
        return new ConnectionSource() {
            @Override
            public Connection connect(String database) throws SQLException {
                return settings.withDatabase(database).open();
            }

            @Override
            public String describe(String database) {
                return settings.withDatabase(database).describe();
            }

            @Override
            public Duration lockTimeout() {
                return settings.lockTimeout();
            }

            @Override
            public boolean unsampled() {
                return settings.isNeverSampled();
            }

            @Override
            public ConnectionSource neverSampled() {
                return of(settings.neverSampled());
            }
        };
    }
}
