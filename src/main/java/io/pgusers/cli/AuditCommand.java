package io.pgusers.cli;

import java.time.Clock;
import java.time.OffsetDateTime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pgusers audit [--since WHEN]}: the audit trail, oldest first. */
@Command(name = "audit",
        description = {
            "Print the audit trail, oldest first.",
            "One row per operation, from the CLI or the API, of the database (-d, or the only one pgusers "
                    + "manages) or, with --all-databases, of every database: time, who (the OS user and, under "
                    + "sudo, who ran sudo; or the API caller and its address), the connecting role, operation, "
                    + "user, request id, and the outcome with its message. Never a password. The table fits 120 "
                    + "columns (long values end with ~); --json prints a JSON array of the whole rows."
        })
final class AuditCommand extends Subcommand {

    @Option(names = "--since", paramLabel = "WHEN",
            description = "Only from then on: a duration back from now (30m, 2h, 7d) or a time "
                    + "(2026-11-26, 2026-11-26T10:00, 2026-11-26T10:00:00Z).")
    String since;

    @Option(names = "--all-databases", description = "The trail of every database, with a DATABASE column.")
    boolean allDatabases;

    @Override
    public Integer call() {
        OffsetDateTime from = since == null ? null : Since.parse(since, Clock.systemDefaultZone());
        Output output = output();
        return root.withInstance(output, (instance, settings) -> {
            String database = allDatabases ? null : PgUsersCommand.chooseDatabase(settings, instance);
            output.audit(instance.auditTrail(from, database), allDatabases);
            if (database != null) {
                output.target(database, settings.instance());
                output.targetNote();
            }
            return 0;
        });
    }
}
