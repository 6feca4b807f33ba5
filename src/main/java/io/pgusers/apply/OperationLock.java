package io.pgusers.apply;

import io.pgusers.sql.Queries;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * The agents' lock of one database: the row of {@code pgusers.operation_lock} that an operation locks, in a
 * transaction of the control connection that stays open until the operation's plan has committed or rolled
 * back. Another agent's operation on the same database waits for it, at most lock_timeout; no role but a
 * superuser can take it (nothing of the agent's schema is granted to anyone).
 *
 * <p>Statements the operation sends on the control connection meanwhile (reads of the agent's schema,
 * records) belong to this transaction: they commit when the lock is {@linkplain #release() released}, and
 * roll back with it when the operation fails ({@link #close()} without release).
 */
public final class OperationLock implements AutoCloseable {
    private final Connection control;
    private boolean open;

    private OperationLock(Connection control) {
        this.control = control;
        this.open = true;
    }

    /**
     * Takes the lock of {@code database} on {@code control} (autocommit on, to the maintenance database).
     *
     * @throws LockTimeout when another session held it longer than lock_timeout
     */
    public static OperationLock take(Connection control, String database) throws SQLException {
        control.setAutoCommit(false);
        try {
            lockRow(control, database);
            return new OperationLock(control);
        } catch (SQLException e) {
            rollback(control);
            if (LockTimeout.is(e)) {
                throw new LockTimeout(LockTimeout.setting(control), "the agents' lock of database \"" + database + "\" (pgusers.operation_lock)",
                        holder(control, database), e);
            }
            throw e;
        }
    }

    /**
     * Takes the lock of {@code name} too, in the same transaction: provision holds the lock of template1 as
     * well, since it may connect to template1 and CREATE DATABASE copies it (both fail while another session
     * is connected to it).
     */
    public void alsoLock(String name) throws SQLException {
        try {
            lockRow(control, name);
        } catch (SQLException e) {
            if (LockTimeout.is(e)) {
                rollback(control);
                open = false;
                throw new LockTimeout(LockTimeout.setting(control), "the agents' lock of \"" + name
                        + "\" (pgusers.operation_lock)", holder(control, name), e);
            }
            throw e;
        }
    }

    /**
     * Locks the row of {@code name}, making it first when there is none; the lock's transaction then commits
     * without waiting for the disk (it holds nothing worth a flush).
     */
    private static void lockRow(Connection control, String name) throws SQLException {
        if (Queries.one(control, "registry/lock-operation.sql", rs -> true, name).isEmpty()) {
            Queries.update(control, "registry/operation-lock-row.sql", name);
            Queries.one(control, "registry/lock-operation.sql", rs -> true, name)
                    .orElseThrow(() -> new SQLException("the row of the agents' lock of " + name + " did not come"));
        }
    }

    /** Commits what was done under the lock, and lets the next operation on the database go. */
    public void release() throws SQLException {
        if (open) {
            open = false;
            try {
                control.commit();
            } finally {
                control.setAutoCommit(true);
            }
        }
    }

    /** Without {@link #release()}: rolls back, and lets the next operation go. */
    @Override
    public void close() {
        if (open) {
            open = false;
            rollback(control);
        }
    }

    private static void rollback(Connection control) {
        try {
            control.rollback();
            control.setAutoCommit(true);
        } catch (SQLException ignored) {
            // the connection is gone: so is its transaction, and the lock with it
        }
    }

    /** Who held the lock when the wait timed out, in words, if it can still be told. */
    private static String holder(Connection control, String database) {
        try {
            Optional<String> who = Queries.one(control, "registry/operation-lock-holder.sql", rs -> {
                OffsetDateTime since = rs.getObject("xact_start", OffsetDateTime.class);
                String address = rs.getString("client_address");
                return "session " + rs.getInt("pid") + " of role \"" + rs.getString("role_name") + "\" ("
                        + rs.getString("application_name") + (address == null ? "" : ", from " + address)
                        + (since == null ? "" : ", in a transaction since " + since.toLocalTime().withNano(0)) + ")";
            }, database);
            return who.orElse(null);
        } catch (SQLException e) {
            return null;
        }
    }
}
