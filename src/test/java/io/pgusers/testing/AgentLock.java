package io.pgusers.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The agents' lock of a database (its row of {@code pgusers.operation_lock}), held by the test as another
 * agent's operation would hold it, until closed.
 */
public final class AgentLock implements AutoCloseable {
    private final Connection connection;

    private AgentLock(Connection connection) {
        this.connection = connection;
    }

    public static AgentLock hold(String database) throws SQLException {
        Connection connection = PgServer.shared().connectAsSuperuser("postgres");
        connection.setAutoCommit(false);
        try (PreparedStatement s = connection.prepareStatement("INSERT INTO pgusers.operation_lock (database_name) "
                + "VALUES (?) ON CONFLICT (database_name) DO UPDATE SET locked_at = now()")) {
            s.setString(1, database);
            s.executeUpdate();
        }
        return new AgentLock(connection);
    }

    /** How many sessions of pgusers wait for a lock held by a transaction (row locks are waited on that way). */
    public static int agentsWaiting() throws SQLException {
        try (Connection c = PgServer.shared().connectAsSuperuser("postgres");
             ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM pg_stat_activity "
                     + "WHERE wait_event = 'transactionid' AND application_name = 'pgusers'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Override
    public void close() throws SQLException {
        try {
            connection.rollback();
        } finally {
            connection.close();
        }
    }
}
