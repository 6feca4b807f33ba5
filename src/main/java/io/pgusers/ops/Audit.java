package io.pgusers.ops;

import io.pgusers.core.PgUsersException;
import io.pgusers.registry.AuditEvent;
import io.pgusers.registry.AuditTrail;
import java.sql.SQLException;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;

/**
 * The one place that writes the audit trail: one row per operation, whatever its outcome, with the request
 * id of the API request (or a new one per CLI operation), who asked, and never a password.
 */
final class Audit {
    /** The operations, as the audit trail names them. */
    enum Operation {
        PROVISION("provision"),
        LIST("list"),
        CREATE("create"),
        UPDATE_PASSWORD("update-password"),
        /** An update with a password pgusers generated. */
        RESET_PASSWORD("reset-password"),
        DELETE("delete"),
        CHECK("check"),
        REPAIR("repair");

        private final String name;

        Operation(String name) {
            this.name = name;
        }
    }

    /** The audit row of an operation that returned: its outcome and a detail, which may be null. */
    record Outcome(String outcome, String detail) {
        static final Outcome SUCCESS = new Outcome("success", null);
    }

    private final Session session;
    private final Actor actor;
    private final Supplier<UUID> requestIds;

    Audit(Session session, Actor actor, Supplier<UUID> requestIds) {
        this.session = session;
        this.actor = actor;
        this.requestIds = requestIds;
    }

    /** Runs {@code work} and records it: its outcome when it returns, its failure when it throws. */
    <T> T recorded(Operation operation, String database, String target, Supplier<T> work,
                   java.util.function.Function<T, Outcome> outcome) {
        UUID requestId = requestIds.get();
        try {
            T result = work.get();
            Outcome recorded = outcome.apply(result);
            write(requestId, operation, database, target, recorded.outcome(), recorded.detail());
            return result;
        } catch (PgUsersException e) {
            write(requestId, operation, database, target, e.failure().name().toLowerCase(), e.getMessage());
            throw e;
        }
    }

    <T> T recorded(Operation operation, String database, String target, Supplier<T> work) {
        return recorded(operation, database, target, work, result -> Outcome.SUCCESS);
    }

    private void write(UUID requestId, Operation operation, String database, String target, String outcome, String detail) {
        try {
            new AuditTrail(session.maintenance()).record(new AuditEvent(requestId, actor.name(), actor.address(),
                    operation.name, database, target, outcome, detail));
        } catch (SQLException | RuntimeException e) {
            // the logger asked for here, not held: a list or a check, which log nothing else, loads no logging
            LoggerFactory.getLogger(Audit.class)
                    .warn("could not write the audit row for {} {}: {}", operation.name, target, e.getMessage());
        }
    }
}
