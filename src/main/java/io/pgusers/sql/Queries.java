package io.pgusers.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Runs the query of a {@link SqlFile} with bound parameters and maps its rows. */
public final class Queries {
    private Queries() {
    }

    /** Maps the current row of a result set. */
    @FunctionalInterface
    public interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    public static <T> List<T> list(Connection connection, String file, Row<T> row, Object... parameters)
            throws SQLException {
        try (PreparedStatement statement = prepare(connection, file, parameters);
             ResultSet rs = statement.executeQuery()) {
            List<T> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(row.read(rs));
            }
            return rows;
        }
    }

    public static <T> Optional<T> one(Connection connection, String file, Row<T> row, Object... parameters)
            throws SQLException {
        List<T> rows = list(connection, file, row, parameters);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    public static int update(Connection connection, String file, Object... parameters) throws SQLException {
        try (PreparedStatement statement = prepare(connection, file, parameters)) {
            return statement.executeUpdate();
        }
    }

    private static PreparedStatement prepare(Connection connection, String file, Object... parameters)
            throws SQLException {
        PreparedStatement statement = connection.prepareStatement(SqlFile.of(file).query());
        try {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            return statement;
        } catch (SQLException e) {
            statement.close();
            throw e;
        }
    }
}
