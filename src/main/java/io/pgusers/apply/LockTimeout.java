package io.pgusers.apply;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * A wait for a lock that lasted longer than lock_timeout (SQLSTATE 55P03): the statement was cancelled and
 * its transaction rolled back. The message says what was waited on, and who held it when that can be told.
 */
public final class LockTimeout extends SQLException {
    private static final long serialVersionUID = 1L;
    /** lock_not_available: what the server answers when lock_timeout expires. */
    static final String LOCK_NOT_AVAILABLE = "55P03";

    LockTimeout(String waited, String what, String holder, SQLException cause) {
        super("gave up after " + waited + " waiting for " + what + (holder == null ? "" : ", held by " + holder)
                + ": nothing was changed; try again later, or wait longer with --lock-timeout", LOCK_NOT_AVAILABLE, cause);
    }

    /**
     * A wait in this process, for {@code what}, that lasted longer than {@code waited}: the wait it stands for
     * would have been one for a lock in the server, and ends as one.
     */
    public static LockTimeout inProcess(Duration waited, String what) {
        long ms = waited.toMillis();
        return new LockTimeout(ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms", what, null, null);
    }

    static boolean is(SQLException e) {
        return LOCK_NOT_AVAILABLE.equals(e.getSQLState());
    }

    /** The session's lock_timeout, for messages ({@code 5s}). */
    static String setting(Connection connection) {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SHOW lock_timeout")) {
            return rs.next() ? rs.getString(1) : "lock_timeout";
        } catch (SQLException e) {
            return "lock_timeout";
        }
    }
}
