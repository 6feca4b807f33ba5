package io.pgusers.registry;

import java.util.UUID;

/**
 * One operation, as the audit trail keeps it. There is no field for a password, and {@code detail} is
 * the message shown to the user, which never holds one either.
 */
public record AuditEvent(UUID requestId, String actor, String clientAddress, String operation, String database,
                         String targetUser, String outcome, String detail) {
}
