package io.pgusers.cli;

import java.time.Clock;
import java.time.OffsetDateTime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pgusers audit [--since WHEN]}: the audit trail, oldest first. */
@Command(name = "audit",
        description = {
            "Print the audit trail: one row per operation, from the CLI or the API, oldest first:",
            "time, who (OS user, or the API caller and its address), connecting role, operation,",
            "database, user, outcome, request id, and the message shown. Never a password."
        })
final class AuditCommand extends Subcommand {

    @Option(names = "--since", paramLabel = "WHEN",
            description = "Only from then on: a duration back from now (30m, 2h, 7d) or a time "
                    + "(2026-11-26, 2026-11-26T10:00, 2026-11-26T10:00:00Z).")
    String since;

    @Override
    public Integer call() {
        OffsetDateTime from = since == null ? null : Since.parse(since, Clock.systemDefaultZone());
        Output output = output();
        return root.withInstance(output, (instance, settings) -> {
            output.audit(instance.auditTrail(from));
            return 0;
        });
    }
}
