package io.pgusers.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** What a role's comment says, as a DBA reads it: where pgusers keeps its promise about the role. */
public final class RoleComments {
    private RoleComments() {
    }

    /** The role's whole comment, or null when it has none (or the role does not exist). */
    public static String of(String role) throws SQLException {
        try (Connection c = PgServer.shared().connectAsSuperuser("postgres");
             PreparedStatement s = c.prepareStatement("SELECT shobj_description(oid, 'pg_authid') FROM pg_roles WHERE rolname = ?")) {
            s.setString(1, role);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** The first line, pgusers' promise, or null. */
    public static String promise(String role) throws SQLException {
        String comment = of(role);
        return comment == null || !comment.startsWith("pgusers/1 ") ? null : comment.lines().findFirst().orElse(null);
    }

    /** How many roles' comments promise anything about {@code database}. */
    public static int promisesAbout(String database) throws SQLException {
        try (Connection c = PgServer.shared().connectAsSuperuser("postgres");
             PreparedStatement s = c.prepareStatement("SELECT count(*) FROM pg_shdescription "
                     + "WHERE description LIKE 'pgusers/1 %' AND description LIKE '%\"database\":' || to_json(?::text)::text || '%'")) {
            s.setString(1, database);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
