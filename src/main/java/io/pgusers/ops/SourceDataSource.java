package io.pgusers.ops;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/** The connections of a {@link ConnectionSource} to one database, as a {@link DataSource}: for Flyway and pools. */
final class SourceDataSource implements DataSource {
    private final ConnectionSource source;
    private final String database;
    private volatile int loginTimeout;

    SourceDataSource(ConnectionSource source, String database) {
        this.source = source;
        this.database = database;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return source.connect(database);
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("the login comes from the connection source");
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // not used
    }

    @Override
    public void setLoginTimeout(int seconds) {
        // kept for callers that read it back (a pool waits that long for logins under way when it
        // closes); the source applies its own connect timeout
        this.loginTimeout = seconds;
    }

    @Override
    public int getLoginTimeout() {
        return loginTimeout;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        throw new SQLException("not a wrapper of " + type.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return type.isInstance(this);
    }
}
