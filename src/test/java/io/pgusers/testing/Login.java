package io.pgusers.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * One user logged in with its own password (scram-sha-256 over TCP), trying statements one by one in
 * autocommit: a refused statement leaves the session usable for the next.
 */
public final class Login implements AutoCloseable {
    /** insufficient_privilege */
    public static final String REFUSED = "42501";

    private final String user;
    private final Connection connection;

    private Login(String user, Connection connection) {
        this.user = user;
        this.connection = connection;
    }

    public static Login as(AppDatabase db, String user, String password) throws SQLException {
        return new Login(user, db.login(user, password));
    }

    public String user() {
        return user;
    }

    /** Runs a statement that must succeed. */
    public void can(String sql) {
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            fail(user + " could not run: " + sql + " (" + e.getSQLState() + " " + e.getMessage() + ")");
        }
    }

    /** Runs a statement that must be refused for lack of privilege. */
    public void cannot(String sql) {
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
            fail(user + " could run, and must not: " + sql);
        } catch (SQLException e) {
            assertEquals(REFUSED, e.getSQLState(), user + ": " + sql + ": " + e.getMessage());
        }
    }

    /** The single value of a query that must succeed. */
    public String value(String query) {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(query)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            throw new AssertionError(user + " could not run: " + query + " (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
