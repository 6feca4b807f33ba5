package io.pgusers.apply;

import io.pgusers.plan.Plan;
import io.pgusers.plan.Statement;
import io.pgusers.plan.Step;
import java.sql.Connection;
import java.sql.BatchUpdateException;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only code that sends DDL. Runs a plan step by step, each transactional step in its own
 * transaction that first takes the agent's advisory lock, so that agents and CLI calls working on one
 * database serialize their changes (advisory locks belong to a database; role names to the instance,
 * where a concurrent CREATE ROLE of one name fails as a duplicate). A transaction that fails on a concurrency error is retried whole; a step
 * that fails for good rolls back, and the committed steps before it are undone, newest first.
 *
 * <p>Before a statement that carries a password verifier, the transaction turns statement logging off
 * for itself ({@code SET LOCAL}, superuser only; transaction sampling for the session around it), so
 * that not even the verifier reaches the server log.
 *
 * <p>Within a transaction, consecutive statements without parameters or secrets go to the server as one
 * JDBC batch: one round trip for a whole plan of grants, however many statements it holds. (Such
 * statements must not return rows: plans hold DDL, and the few queries they send take parameters.)
 */
public final class Executor {
    /** Every pgusers agent takes this transaction-level advisory lock before changing anything. */
    public static final long ADVISORY_LOCK_KEY = 0x7067_7573_6572_73L; // "pgusers"

    private static final Logger LOG = LoggerFactory.getLogger(Executor.class);
    private static final int ATTEMPTS = 5;

    /** Settings that would otherwise write a statement's text to the server log (13+: all we support). */
    private static final List<String> SILENCE_STATEMENT_LOG = List.of(
            "SET LOCAL log_statement = 'none'",
            "SET LOCAL log_min_duration_statement = -1",
            "SET LOCAL log_min_duration_sample = -1",
            "SET LOCAL log_min_error_statement = 'panic'");

    /**
     * Whether to log a whole transaction is drawn when it begins, so this one is set for the session before
     * a transaction that carries a secret, and reset after it.
     */
    private static final String NO_TRANSACTION_SAMPLING = "SET log_transaction_sample_rate = 0";
    private static final String RESET_TRANSACTION_SAMPLING = "RESET log_transaction_sample_rate";

    /** Gives the connection for a step's database (null: the application database). */
    @FunctionalInterface
    public interface Connections {
        Connection forDatabase(String database) throws SQLException;
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
        Connection connection = connections.forDatabase(step.database());
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
    }

    private void inTransaction(Connection connection, List<Statement> statements) throws SQLException {
        boolean secret = statements.stream().anyMatch(Statement::isSecret);
        boolean autoCommit = connection.getAutoCommit();
        if (secret) {
            execute(connection, Statement.of(NO_TRANSACTION_SAMPLING));
        }
        connection.setAutoCommit(false);
        try {
            execute(connection, Statement.of("SELECT pg_advisory_xact_lock(?)", ADVISORY_LOCK_KEY));
            boolean silenced = false;
            List<Statement> batch = new ArrayList<>();
            for (Statement statement : statements) {
                if (statement.parameters().isEmpty() && !statement.isSecret()) {
                    batch.add(statement);
                    continue;
                }
                executeBatch(connection, batch);
                if (statement.isSecret() && !silenced) {
                    for (String setting : SILENCE_STATEMENT_LOG) {
                        execute(connection, Statement.of(setting));
                    }
                    silenced = true;
                }
                execute(connection, statement);
            }
            executeBatch(connection, batch);
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(connection);
            throw e;
        } finally {
            restore(connection, autoCommit, secret);
        }
    }

    /** Puts the connection back as it was; a failure here must not hide the transaction's own error. */
    private static void restore(Connection connection, boolean autoCommit, boolean secret) {
        try {
            connection.setAutoCommit(autoCommit);
            if (secret) {
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
            SQLException cause = e.getNextException();
            throw cause != null ? cause : e;
        } finally {
            batch.clear();
        }
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            LOG.debug("rollback failed: {}", e.getMessage());
        }
    }
}
