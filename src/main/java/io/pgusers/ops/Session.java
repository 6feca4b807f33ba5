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
 * The connections of one facade, each taken from the {@link ConnectionSource} once, when first needed, and
 * closed (or given back to its pool) at the end:
 * <ul>
 *   <li>the <em>control</em> connection, to the maintenance database: the agent's own schema (its lock,
 *       its audit trail) and what it reads of the whole instance. While an operation holds the agents'
 *       lock, this connection is in the transaction that holds it, so no statement of the plan runs here;</li>
 *   <li>a <em>work</em> connection per database a plan runs in: the application database, the other
 *       databases a delete visits, and, for provision, the maintenance database again (a connection of its
 *       own: CREATE DATABASE cannot run inside the lock's transaction).</li>
 * </ul>
 */
final class Session implements Executor.Connections, AutoCloseable {
    private final ConnectionSource source;
    private final Map<String, Connection> work = new LinkedHashMap<>();
    private Connection control;
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

    /** The control connection, to the maintenance database. */
    Connection maintenance() {
        if (control == null) {
            control = open(Step.MAINTENANCE_DATABASE);
        }
        return control;
    }

    Connection application() {
        return forDatabase(applicationDatabase);
    }

    @Override
    public Connection forDatabase(String database) {
        String name = database == null ? applicationDatabase : database;
        Connection connection = work.get(name);
        if (connection == null) {
            connection = open(name);
            work.put(name, connection);
        }
        return connection;
    }

    @Override
    public boolean unsampled() {
        return source.unsampled();
    }

    @Override
    public void disconnect(String database) {
        Connection connection = work.remove(database == null ? applicationDatabase : database);
        if (connection != null) {
            closeQuietly(connection);
        }
    }

    private Connection open(String database) {
        try {
            return source.connect(database);
        } catch (SQLException e) {
            String why = database.equals(Step.MAINTENANCE_DATABASE)
                    ? " (the maintenance database, which pgusers reaches first whatever -d says: its own schema"
                            + " and the instance's roles are read there)"
                    : "";
            throw new PgUsersException(Failure.DATABASE,
                    "could not connect to " + source.describe(database) + why + ": " + Messages.ofConnection(e), e);
        }
    }

    /** Closes every connection; those needed next are opened again (from a pool: fresh ones). */
    void reset() {
        close();
    }

    @Override
    public void close() {
        for (Connection connection : work.values()) {
            closeQuietly(connection);
        }
        work.clear();
        if (control != null) {
            closeQuietly(control);
            control = null;
        }
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // closing: nothing left to do with it
        }
    }
}
