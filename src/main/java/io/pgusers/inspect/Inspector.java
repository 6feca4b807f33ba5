package io.pgusers.inspect;

import io.pgusers.sql.Queries;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * Reads the state of the instance from the catalogs into plain records, with the queries of
 * {@code sql/queries}. Reads only: it never changes anything. Its connection is to the application
 * database.
 */
public final class Inspector {
    private final Connection connection;

    public Inspector(Connection connection) {
        this.connection = connection;
    }

    public AgentRole agentRole() throws SQLException {
        return Queries.one(connection, "queries/connecting-role.sql",
                        rs -> new AgentRole(rs.getString("name"), rs.getBoolean("is_superuser"), rs.getInt("server_version_num")))
                .orElseThrow(() -> new SQLException("the current role is not in pg_roles"));
    }

    public Optional<DatabaseInfo> database(String name) throws SQLException {
        return Queries.one(connection, "queries/database.sql",
                rs -> new DatabaseInfo(rs.getString("name"), rs.getString("owner"), rs.getBoolean("owner_is_superuser")),
                name);
    }

    /** The users of the current database, protected flags aside (those come from the registry too). */
    public List<UserRow> users() throws SQLException {
        return Queries.list(connection, "queries/database-users.sql", rs -> new UserRow(rs.getString("name"),
                rs.getBoolean("owns_database"), rs.getString("password_encryption"), rs.getBoolean("read_only")));
    }

    public Optional<RoleInfo> role(String name) throws SQLException {
        return Queries.one(connection, "queries/role.sql", rs -> new RoleInfo(rs.getString("name"),
                rs.getBoolean("is_superuser"), rs.getBoolean("can_login"), rs.getBoolean("is_agent"),
                rs.getBoolean("can_connect")), name);
    }

    /** The other databases where the role owns objects or holds privileges. */
    public List<String> otherDatabasesDependingOn(String role) throws SQLException {
        return Queries.list(connection, "queries/role-databases.sql", rs -> rs.getString("name"), role);
    }

    public List<String> databasesOwnedBy(String role) throws SQLException {
        return Queries.list(connection, "queries/owned-databases.sql", rs -> rs.getString("name"), role);
    }
}
