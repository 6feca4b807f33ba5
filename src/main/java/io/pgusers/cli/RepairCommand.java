package io.pgusers.cli;

import io.pgusers.core.Failure;
import io.pgusers.ops.RepairResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pgusers repair [--dry-run]}: the statements that make check pass, printed and applied. */
@Command(name = "repair",
        description = {
            "Print and apply the fewest statements that make check pass.",
            "GRANT, REVOKE, ALTER DEFAULT PRIVILEGES (ALTER ROLE for attributes), in one",
            "transaction. Drops nothing; what a read-only user owns passes to the database",
            "owner. A second run changes nothing."
        })
final class RepairCommand extends Subcommand {

    @Option(names = "--dry-run", description = "Print the statements and change nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
        Output output = output();
        return root.withUsers(output, users -> {
            RepairResult result = users.repair(dryRun);
            output.repair(result, dryRun);
            return result.remaining().isEmpty() ? 0 : Failure.DRIFT.exitCode();
        });
    }
}
