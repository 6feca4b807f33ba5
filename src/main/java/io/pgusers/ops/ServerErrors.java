package io.pgusers.ops;

import io.pgusers.apply.LockTimeout;
import io.pgusers.core.Failure;
import io.pgusers.core.PgUsersException;
import java.sql.SQLException;
import org.postgresql.util.PSQLException;

/**
 * The one translation of driver and server errors into what a user reads: a {@link Failure} and one clear
 * line. Operations that expect an error (a role created meanwhile) ask here what it is.
 */
final class ServerErrors {
    private static final String DUPLICATE_OBJECT = "42710";
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String ROLE_NAME_INDEX = "pg_authid_rolname_index";
    private static final String QUERY_CANCELED = "57014";
    private static final String PROGRAM_LIMIT_EXCEEDED = "54000";

    /**
     * What a GRANT answers when the ACL of a table would outgrow its row of pg_class (a catalog without TOAST:
     * one 8 kB page). The documented statements give every user an entry on every table and sequence of schema
     * public: about 2,400 users fill it.
     */
    static final String ACL_FULL = "PostgreSQL cannot give one more user the documented privileges: the privileges of"
            + " a table must fit in its row of pg_class (8 kB), and the documented statements give every user an entry"
            + " on every table and sequence of schema public, about 2,400 users at most. Nothing was changed. Delete the"
            + " users no longer needed, or keep the tables in a schema of their own (a schema that a read-write user"
            + " owns gives its tables to the database's two groups, one entry each, whatever the number of users)";

    private ServerErrors() {
    }

    /** {@code e} as the failure of an operation. */
    static PgUsersException translate(SQLException e) {
        if (PROGRAM_LIMIT_EXCEEDED.equals(e.getSQLState()) && String.valueOf(e.getMessage()).contains("row is too big")) {
            return new PgUsersException(Failure.REFUSED, ACL_FULL, e);
        }
        if (e instanceof LockTimeout) {
            return new PgUsersException(Failure.DATABASE, e.getMessage(), e);
        }
        if (QUERY_CANCELED.equals(e.getSQLState())) {
            return new PgUsersException(Failure.DATABASE, "the operation was cancelled (the service is stopping, or "
                    + "a DBA cancelled it): nothing was changed; run it again", e);
        }
        if (isConnectionFailure(e)) {
            return new PgUsersException(Failure.DATABASE, "the connection to the instance was lost: " + Messages.of(e)
                    + "; what was under way rolled back: run it again", e);
        }
        return new PgUsersException(Failure.DATABASE, Messages.of(e), e);
    }

    /**
     * The role was there already: committed before our CREATE ROLE ({@code 42710}), or committed by another
     * session while ours waited on the role name's index entry ({@code 23505} on {@code pg_authid}).
     */
    static boolean isDuplicateRole(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                if (DUPLICATE_OBJECT.equals(sql.getSQLState())) {
                    return true;
                }
                if (UNIQUE_VIOLATION.equals(sql.getSQLState()) && sql instanceof PSQLException psql
                        && psql.getServerErrorMessage() != null
                        && ROLE_NAME_INDEX.equals(psql.getServerErrorMessage().getConstraint())) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Whether the server refused a statement of the transaction, which then rolled back whole, for sure: an error
     * the server sent, not a lost connection, a cancel (57014: a stop under way) or an error of the driver's own,
     * after which whether a commit landed may be unknown.
     */
    static boolean isRefusal(Throwable e) {
        if (isConnectionFailure(e)) {
            return false;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PSQLException psql && psql.getServerErrorMessage() != null) {
                return !QUERY_CANCELED.equals(psql.getSQLState());
            }
        }
        return false;
    }

    /**
     * The connection broke: SQLSTATE class 08, or the server ending the session (57P01 admin_shutdown, as
     * pg_terminate_backend does; 57P02 crash_shutdown; 57P03 cannot_connect_now, while it starts).
     */
    static boolean isConnectionFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().matches("57P0[123]"))) {
                return true;
            }
        }
        return false;
    }
}
