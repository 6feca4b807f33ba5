package io.pgusers.cli;

import io.pgusers.core.Failure;
import io.pgusers.ops.CheckResult;
import picocli.CommandLine.Command;

/** {@code pgusers check}: does every managed user have exactly what its access level promises? */
@Command(name = "check",
        description = {
            "Check that each user can do exactly what its access level promises.",
            "Compares the database, the schemas, every table, view and sequence, default",
            "privileges, role attributes and memberships. Exit 0 when all is as promised;",
            "else list each difference and exit 6 (see repair)."
        })
final class CheckCommand extends Subcommand {

    @Override
    public Integer call() {
        Output output = output();
        return root.withUsers(output, users -> {
            CheckResult result = users.check();
            output.check(result);
            return result.drift() ? Failure.DRIFT.exitCode() : 0;
        });
    }
}
