package io.pgusers.registry;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * One row of the audit trail as {@code pgusers audit} shows it: an {@link AuditEvent} with the time it
 * was recorded and the role that was connected.
 */
public record AuditEntry(OffsetDateTime occurredAt, UUID requestId, String actor, String clientAddress,
                         String connectingRole, String operation, String database, String targetUser,
                         String outcome, String detail) {
}
