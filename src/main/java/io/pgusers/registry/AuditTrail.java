package io.pgusers.registry;

import io.pgusers.sql.Queries;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** The audit trail, {@code pgusers.audit_event}: one row per operation, never a password. */
public final class AuditTrail {
    private final Connection connection;

    /** {@code connection}: to the maintenance database. */
    public AuditTrail(Connection connection) {
        this.connection = connection;
    }

    public void record(AuditEvent event) throws SQLException {
        Queries.update(connection, "registry/record-audit-event.sql", event.requestId().toString(), event.actor(),
                event.clientAddress(), event.operation(), event.database(), event.targetUser(), event.outcome(),
                event.detail());
    }

    /** The trail of {@code database} (null: every database) from {@code since} on (null: all of it), oldest first. */
    public List<AuditEntry> since(OffsetDateTime since, String database) throws SQLException {
        return Queries.list(connection, "registry/audit-events.sql", rs -> new AuditEntry(
                rs.getObject("occurred_at", OffsetDateTime.class), UUID.fromString(rs.getString("request_id")),
                rs.getString("actor"), rs.getString("client_address"), rs.getString("connecting_role"),
                rs.getString("operation"), rs.getString("database_name"), rs.getString("target_user"),
                rs.getString("outcome"), rs.getString("detail")), since, database, database);
    }
}
