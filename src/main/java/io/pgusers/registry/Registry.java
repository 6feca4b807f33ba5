package io.pgusers.registry;

import io.pgusers.core.Access;
import io.pgusers.sql.Queries;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The agent's own schema, {@code pgusers}, in the maintenance database: which user of each application
 * database is protected, which users pgusers created and with what access, and the audit trail.
 * Created and upgraded by Flyway from {@code sql/migrations}, and only when it is behind: a one-shot
 * command on an up-to-date schema pays for one small query, not for Flyway.
 */
public final class Registry {
    /** The highest {@code V<n>__} in {@code sql/migrations}; {@code RegistryTest} keeps the two in step. */
    static final int LATEST_MIGRATION = 2;

    private final Connection connection;

    /** {@code connection}: to the maintenance database, autocommit on. */
    public Registry(Connection connection) {
        this.connection = connection;
    }

    /** Brings the schema up to date; {@code flywayDataSource} is used only when that needs Flyway. */
    public void ensureSchema(DataSource flywayDataSource) throws SQLException {
        if (schemaVersion() >= LATEST_MIGRATION) {
            return;
        }
        Flyway.configure()
                .dataSource(flywayDataSource)
                .schemas("pgusers")
                .createSchemas(true)
                .locations("classpath:sql/migrations")
                .load()
                .migrate();
    }

    int schemaVersion() throws SQLException {
        boolean present = Queries.one(connection, "registry/history-exists.sql", rs -> rs.getBoolean("present"))
                .orElse(false);
        if (!present) {
            return 0;
        }
        return Queries.one(connection, "registry/latest-migration.sql", rs -> rs.getInt("version")).orElse(0);
    }

    public Set<String> protectedUsers(String database) throws SQLException {
        return new HashSet<>(Queries.list(connection, "registry/protected-users.sql",
                rs -> rs.getString("user_name"), database));
    }

    /** The protected users of every database: protection holds whichever database is named. */
    public Set<String> protectedUsersAnywhere() throws SQLException {
        return new HashSet<>(Queries.list(connection, "registry/protected-users-anywhere.sql",
                rs -> rs.getString("user_name")));
    }

    /** The databases pgusers created {@code user} for. */
    public List<String> databasesOfUser(String user) throws SQLException {
        return Queries.list(connection, "registry/user-databases.sql", rs -> rs.getString("database_name"), user);
    }

    public void forgetManagedUser(String database, String user) throws SQLException {
        Queries.update(connection, "registry/forget-managed-user.sql", database, user);
    }

    public void forgetProtectedUser(String database, String user) throws SQLException {
        Queries.update(connection, "registry/forget-protected-user.sql", database, user);
    }

    public void recordProtectedUser(String database, String user) throws SQLException {
        Queries.update(connection, "registry/record-protected-user.sql", database, user);
    }

    public List<String> provisionedDatabases() throws SQLException {
        return Queries.list(connection, "registry/provisioned-databases.sql", rs -> rs.getString("name"));
    }

    public void recordManagedUser(String database, String user, Access access) throws SQLException {
        Queries.update(connection, "registry/record-managed-user.sql", database, user, access.label());
    }

    /** The users pgusers created in {@code database}, each with the access it promised. */
    public Map<String, Access> managedUsers(String database) throws SQLException {
        Map<String, Access> users = new LinkedHashMap<>();
        for (String[] row : Queries.list(connection, "registry/managed-users.sql",
                rs -> new String[] {rs.getString("user_name"), rs.getString("access")}, database)) {
            users.put(row[0], Access.READ_ONLY.label().equals(row[1]) ? Access.READ_ONLY : Access.READ_WRITE);
        }
        return users;
    }

    public void forgetUser(String user) throws SQLException {
        Queries.update(connection, "registry/forget-user.sql", user);
    }

    public void audit(AuditEvent event) throws SQLException {
        Queries.update(connection, "registry/record-audit-event.sql", event.requestId().toString(), event.actor(),
                event.clientAddress(), event.operation(), event.database(), event.targetUser(), event.outcome(),
                event.detail());
    }

    /** The audit trail from {@code since} on (null: all of it), oldest first. */
    public List<AuditEntry> auditTrail(OffsetDateTime since) throws SQLException {
        return Queries.list(connection, "registry/audit-events.sql", rs -> new AuditEntry(
                rs.getObject("occurred_at", OffsetDateTime.class), UUID.fromString(rs.getString("request_id")),
                rs.getString("actor"), rs.getString("client_address"), rs.getString("connecting_role"),
                rs.getString("operation"), rs.getString("database_name"), rs.getString("target_user"),
                rs.getString("outcome"), rs.getString("detail")), since);
    }
}
