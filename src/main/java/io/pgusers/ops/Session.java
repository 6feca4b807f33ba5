package io.pgusers.ops;

import io.pgusers.apply.Executor;
import io.pgusers.core.Failure;
import io.pgusers.core.PgUsersException;
import io.pgusers.plan.Step;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The connections of one facade: to the maintenance database (opened first), to the application
 * database, and to any other database an operation must visit, each taken from the
 * {@link ConnectionSource} once, when first needed, and closed (or given back to its pool) at the end.
 */
final class Session implements Executor.Connections, AutoCloseable {
    private final ConnectionSource source;
    private final Map<String, Connection> open = new LinkedHashMap<>();
    private String applicationDatabase;

    Session(ConnectionSource source) {
        this.source = source;
    }

    ConnectionSource source() {
        return source;
    }

    void useApplicationDatabase(String database) {
        this.applicationDatabase = database;
    }

    String applicationDatabase() {
        return applicationDatabase;
    }

    Connection maintenance() {
        return to(Step.MAINTENANCE_DATABASE);
    }

    Connection application() {
        return to(applicationDatabase);
    }

    @Override
    public Connection forDatabase(String database) {
        return to(database == null ? applicationDatabase : database);
    }

    private Connection to(String database) {
        Connection connection = open.get(database);
        if (connection == null) {
            try {
                connection = source.connect(database);
            } catch (SQLException e) {
                throw new PgUsersException(Failure.DATABASE,
                        "could not connect to " + source.describe(database) + ": " + Messages.of(e), e);
            }
            open.put(database, connection);
        }
        return connection;
    }

    @Override
    public void close() {
        for (Connection connection : open.values()) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // closing: nothing left to do with it
            }
        }
        open.clear();
    }
}
