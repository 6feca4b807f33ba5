package io.pgusers.ops;

import io.pgusers.apply.Executor;
import io.pgusers.core.Failure;
import io.pgusers.core.PgUsersException;
import io.pgusers.plan.Step;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

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
 * A one-shot command that knows its database can have that connection opened in the background (
 * {@link #openInBackground}) while it reads the maintenance database: a login costs a round trip to the server, a
 * new backend and a SCRAM exchange, tens of milliseconds the command need not wait for.
 */
final class Session implements Executor.Connections, AutoCloseable {
    private final ConnectionSource source;
    private final Map<String, Connection> work = new LinkedHashMap<>();
    /** Work connections being opened in the background, by database: none taken yet. */
    private final Map<String, FutureTask<Connection>> opening = new LinkedHashMap<>();
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

    /**
     * Starts opening the work connection to {@code database} on a thread of its own. {@link #forDatabase} takes
     * it when the operation needs it, or reports why it could not be opened, in the same words and at the same
     * point as if it were opened then; {@link #close} closes it when nothing took it. Call it once the control
     * connection is open, so that a refused login is tried once only.
     */
    void openInBackground(String database) {
        if (work.containsKey(database) || opening.containsKey(database)) {
            return;
        }
        FutureTask<Connection> task = new FutureTask<>(() -> source.connect(database));
        Thread thread = new Thread(task, "pgusers-connect");
        thread.setDaemon(true);
        opening.put(database, task);
        thread.start();
    }

    @Override
    public boolean unsampled() {
        return source.unsampled();
    }

    @Override
    public void disconnect(String database) {
        String name = database == null ? applicationDatabase : database;
        Connection connection = work.remove(name);
        if (connection != null) {
            closeQuietly(connection);
        }
        FutureTask<Connection> task = opening.remove(name);
        if (task != null) {
            closeWhenOpen(task);
        }
    }

    private Connection open(String database) {
        try {
            FutureTask<Connection> task = opening.remove(database);
            return task == null ? source.connect(database) : opened(task);
        } catch (SQLException e) {
            String why = database.equals(Step.MAINTENANCE_DATABASE)
                    ? " (the maintenance database, which pgusers reaches first whatever -d says: its own schema"
                            + " and the instance's roles are read there)"
                    : "";
            throw new PgUsersException(Failure.DATABASE,
                    "could not connect to " + source.describe(database) + why + ": " + Messages.ofConnection(e), e);
        }
    }

    /** What a background login gave: its connection, or its failure as it would have been thrown here. */
    private static Connection opened(FutureTask<Connection> task) throws SQLException {
        try {
            return task.get();
        } catch (InterruptedException e) {
            // a one-shot command being stopped: what the login may still give closes with the process
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while connecting", "08006", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Closes what a background login gives once it has given it (a login's own timeout bounds the wait). */
    private static void closeWhenOpen(FutureTask<Connection> task) {
        try {
            closeQuietly(task.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            // it failed: nothing to close
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
        opening.values().forEach(Session::closeWhenOpen);
        opening.clear();
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
