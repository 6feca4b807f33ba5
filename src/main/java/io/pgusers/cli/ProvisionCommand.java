package io.pgusers.cli;

import io.pgusers.core.UserName;
import io.pgusers.ops.ProvisionResult;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pgusers provision [--owner NAME]}. */
@Command(name = "provision",
        description = {
            "Create the application database and its protected default user.",
            "The database is created if missing; the protected user is named by --owner, else random, and "
                    + "gets a generated password, shown once. Changes nothing on a provisioned database; finishes "
                    + "one that was cut short (with a new password, shown once, when the first was never shown)."
        })
final class ProvisionCommand extends Subcommand {

    @Option(names = "--owner", paramLabel = "NAME", description = "The protected user's name.")
    String owner;

    @Override
    public Integer call() {
        Optional<UserName> ownerName = Optional.ofNullable(owner).map(UserName::of);
        Output output = output();
        return root.withDatabaseToProvision(output, users -> {
            // a generated password is shown as soon as it is set, before provision counts it as shown
            ProvisionResult result = users.provision(ownerName, shown -> Provisioned.report(output, shown));
            if (result.password() == null) {
                Provisioned.report(output, result);
            } else {
                result.password().close();
            }
            return 0;
        });
    }
}
