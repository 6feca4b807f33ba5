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
            "The database is created if missing; the protected user is named by --owner, else random, and",
            "gets a generated password, shown once. Changes nothing on a provisioned database."
        })
final class ProvisionCommand extends Subcommand {

    @Option(names = "--owner", paramLabel = "NAME", description = "The protected user's name.")
    String owner;

    @Override
    public Integer call() {
        Optional<UserName> ownerName = Optional.ofNullable(owner).map(UserName::of);
        Output output = output();
        return root.withUsers(output, users -> {
            ProvisionResult result = users.provision(ownerName);
            try {
                Provisioned.report(output, result);
            } finally {
                if (result.password() != null) {
                    result.password().close();
                }
            }
            return 0;
        });
    }
}
