package io.pgusers.apply;

import io.pgusers.plan.Plan;
import io.pgusers.plan.Statement;
import io.pgusers.plan.Step;
import io.pgusers.sql.Queries;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only code that sends DDL. Runs a plan step by step, each transactional step in its own transaction.
 * Operations that change something hold the agents' {@link OperationLock} of their database meanwhile, so
 * that agents and CLI calls working on one database never interleave their changes. A transaction that
 * fails on a concurrency error is retried whole; a step that fails for good rolls back, and the committed
 * steps before it are undone, newest first.
 *
 * <p>Every wait is bounded by the sessions' lock_timeout: a statement that waited longer fails as a
 * {@link LockTimeout} that names the statement and the sessions that may hold what it waited for.
 *
 * <p>A statement that carries a password verifier is sent so that nobody else ever sees it: before it, the
 * transaction turns statement logging, activity tracking and pg_stat_statements off for itself
 * ({@code SET LOCAL}, superuser only; transaction sampling for the session around it, unless the session was
 * set never to sample, as the service's pooled ones are). And it never waits
 * on a lock: plans take what it needs first, in the same transaction (a lock held by a statement of the
 * plan without a secret), so that no lock-wait report or deadlock report ever quotes it.
 *
 * <p>Within a transaction, consecutive statements without parameters or secrets go to the server as one
 * JDBC batch: one round trip for a whole plan of grants, however many statements it holds. (Such
 * statements must not return rows: plans hold DDL, and the few queries they send take parameters.)
 */
public final class Executor {
    private static final Logger LOG = LoggerFactory.getLogger(Executor.class);
    private static final int ATTEMPTS = 5;

    /**
     * Settings that would otherwise let a statement's text be seen elsewhere: in the server log, in
     * pg_stat_activity (track_activities off shows the session as "disabled", without a query), in
     * pg_stat_statements (a custom setting: accepted whether the extension is loaded or not).
     */
    private static final List<String> SILENCE_STATEMENT = List.of(
            "SET LOCAL log_statement = 'none'",
            "SET LOCAL log_min_duration_statement = -1",
            "SET LOCAL log_min_duration_sample = -1",
            "SET LOCAL log_min_error_statement = 'panic'",
            "SET LOCAL track_activities = off",
            "SET LOCAL pg_stat_statements.track_utility = off");

    /**
     * Whether to log a whole transaction is drawn when it begins, so this one is set for the session before
     * a transaction that carries a secret, and reset after it; or once for a session's whole life, when its
     * connections are {@linkplain Connections#unsampled() unsampled}.
     */
    private static final String NO_TRANSACTION_SAMPLING = "SET log_transaction_sample_rate = 0";
    private static final String RESET_TRANSACTION_SAMPLING = "RESET log_transaction_sample_rate";

    /** Gives the connection for a step's database (null: the application database). */
    public interface Connections {
        Connection forDatabase(String database) throws SQLException;

        /** Closes the connection to {@code database}, if one is open; the next {@link #forDatabase} opens another. */
        void disconnect(String database);

        /**
         * Whether every connection given was told at login, for its whole session, never to log a transaction
         * whole ({@code log_transaction_sample_rate=0}): then a transaction that carries a secret does not set it
         * and reset it around itself (two round trips).
         */
        default boolean unsampled() {
            return false;
        }
    }

    private final Connections connections;

    public Executor(Connections connections) {
        this.connections = connections;
    }

    /** Runs every step of {@code plan}; on failure, undoes the committed steps and rethrows. */
    public void apply(Plan plan) throws SQLException {
        List<Step> steps = plan.steps();
        for (int i = 0; i < steps.size(); i++) {
            try {
                run(steps.get(i));
            } catch (SQLException | RuntimeException e) {
                undo(steps.subList(0, i));
                throw e;
            }
        }
    }

    private void run(Step step) throws SQLException {
        try {
            runOn(connections.forDatabase(step.database()), step);
        } finally {
            if (step.disconnect()) {
                connections.disconnect(step.database());
            }
        }
    }

    private void runOn(Connection connection, Step step) throws SQLException {
        try {
            if (!step.transactional()) {
                for (Statement statement : step.statements()) {
                    execute(connection, statement);
                }
                return;
            }
            for (int attempt = 1; ; attempt++) {
                try {
                    inTransaction(connection, step.statements());
                    return;
                } catch (SQLException e) {
                    if (attempt >= ATTEMPTS || !Retry.isTransient(e)) {
                        throw e;
                    }
                    LOG.debug("retrying after a concurrency error ({}), attempt {}", e.getSQLState(), attempt + 1);
                    Retry.pause(attempt);
                }
            }
        } catch (Waited e) {
            throw new LockTimeout(LockTimeout.setting(connection), "a lock that " + e.statement.summary() + " needs",
                    holders(connection), e.cause);
        }
    }

    private void inTransaction(Connection connection, List<Statement> statements) throws SQLException {
        boolean secret = statements.stream().anyMatch(Statement::isSecret);
        boolean unsample = secret && !connections.unsampled();
        boolean autoCommit = connection.getAutoCommit();
        if (unsample) {
            execute(connection, Statement.of(NO_TRANSACTION_SAMPLING));
        }
        connection.setAutoCommit(false);
        try {
            boolean silenced = false;
            List<Statement> batch = new ArrayList<>();
            for (Statement statement : statements) {
                if (statement.parameters().isEmpty() && !statement.isSecret()) {
                    batch.add(statement);
                    continue;
                }
                if (statement.isSecret() && !silenced) {
                    SILENCE_STATEMENT.forEach(setting -> batch.add(Statement.of(setting)));
                    silenced = true;
                }
                executeBatch(connection, batch);
                execute(connection, statement);
            }
            executeBatch(connection, batch);
            connection.commit();
        } catch (SQLException | RuntimeException | Error e) {
            // before restore(): turning autocommit back on would commit what the transaction holds (pgjdbc does)
            rollbackQuietly(connection);
            throw e;
        } finally {
            restore(connection, autoCommit, unsample);
        }
    }

    /** Puts the connection back as it was; a failure here must not hide the transaction's own error. */
    private static void restore(Connection connection, boolean autoCommit, boolean resample) {
        try {
            connection.setAutoCommit(autoCommit);
            if (resample) {
                execute(connection, Statement.of(RESET_TRANSACTION_SAMPLING));
            }
        } catch (SQLException e) {
            LOG.debug("could not restore the connection after a transaction: {}", e.getMessage());
        }
    }

    private void undo(List<Step> committed) {
        for (int i = committed.size() - 1; i >= 0; i--) {
            Step step = committed.get(i);
            if (step.undo().isEmpty()) {
                continue;
            }
            try {
                Connection connection = connections.forDatabase(step.database());
                for (Statement statement : step.undo()) {
                    execute(connection, statement);
                }
            } catch (SQLException e) {
                LOG.warn("could not undo a step after a failure: {}", e.getMessage());
                step.undo().forEach(s -> LOG.warn("  left to undo by hand: {};", s.shown()));
            }
        }
    }

    private static void execute(Connection connection, Statement statement) throws SQLException {
        LOG.debug("{}", statement.shown());
        try (PreparedStatement prepared = connection.prepareStatement(statement.sql())) {
            List<Object> parameters = statement.parameters();
            for (int i = 0; i < parameters.size(); i++) {
                prepared.setObject(i + 1, parameters.get(i));
            }
            prepared.execute();
        } catch (SQLException e) {
            throw LockTimeout.is(e) ? new Waited(statement, e) : e;
        }
    }

    /** Sends {@code batch} in one round trip and empties it; a failure is the server's own error. */
    private static void executeBatch(Connection connection, List<Statement> batch) throws SQLException {
        if (batch.isEmpty()) {
            return;
        }
        if (batch.size() == 1) {
            execute(connection, batch.get(0));
            batch.clear();
            return;
        }
        try (java.sql.Statement jdbc = connection.createStatement()) {
            for (Statement statement : batch) {
                LOG.debug("{}", statement.shown());
                jdbc.addBatch(statement.sql());
            }
            jdbc.executeBatch();
        } catch (BatchUpdateException e) {
            SQLException cause = e.getNextException() != null ? e.getNextException() : e;
            throw LockTimeout.is(cause) ? new Waited(failedStatement(batch, e), cause) : cause;
        } finally {
            batch.clear();
        }
    }

    /**
     * The statement of a batch that failed: the first one marked failed, else the first without an update
     * count (drivers differ on which they report).
     */
    private static Statement failedStatement(List<Statement> batch, BatchUpdateException e) {
        int[] counts = e.getUpdateCounts() == null ? new int[0] : e.getUpdateCounts();
        int failed = counts.length;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == java.sql.Statement.EXECUTE_FAILED) {
                failed = i;
                break;
            }
        }
        return batch.get(Math.min(failed, batch.size() - 1));
    }

    /** The sessions that may hold what a statement of {@code connection} waited for, in words. */
    private static String holders(Connection connection) {
        try {
            List<String> sessions = Queries.list(connection, "queries/lock-holders.sql", rs -> {
                OffsetDateTime since = rs.getObject("xact_start", OffsetDateTime.class);
                java.sql.Array relations = rs.getArray("relations");
                String[] names = relations == null ? new String[0] : (String[]) relations.getArray();
                return "session " + rs.getInt("pid") + " of role \"" + rs.getString("role_name") + "\" ("
                        + rs.getString("state") + ", in a transaction since " + since.toLocalTime().withNano(0)
                        + (names.length == 0 ? "" : ", holding locks on " + String.join(", ", names)) + ")";
            });
            return sessions.isEmpty() ? null : "one of: " + String.join("; ", sessions);
        } catch (SQLException e) {
            return null;
        }
    }

    /**
     * Rolls back; when that fails, closes the connection, so that nothing (autocommit turned back on, pgjdbc's commit
     * of what is open) can commit what the transaction holds: the server rolls back a session that ends.
     */
    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException | RuntimeException | Error e) {
            LOG.debug("rollback failed, closing the connection: {}", e.toString());
            try {
                connection.close();
            } catch (SQLException | RuntimeException closing) {
                LOG.debug("could not close it: {}", closing.toString());
            }
        }
    }

    /** A statement of the plan that gave up waiting for a lock; becomes a {@link LockTimeout} once rolled back. */
    private static final class Waited extends SQLException {
        private static final long serialVersionUID = 1L;
        private final transient Statement statement;
        private final SQLException cause;

        Waited(Statement statement, SQLException cause) {
            super(cause.getMessage(), cause.getSQLState(), cause);
            this.statement = statement;
            this.cause = cause;
        }
    }
}
