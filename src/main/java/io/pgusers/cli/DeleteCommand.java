package io.pgusers.cli;

import io.pgusers.core.UserName;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pgusers delete NAME}. */
@Command(name = "delete", aliases = {"database-users-delete", "database-delete-user"},
        description = {
            "Delete a database user; its tables stay.",
            "Its sessions end; what it owns, in every database, passes to that database's owner."
        })
final class DeleteCommand extends Subcommand {

    @Parameters(paramLabel = "NAME")
    String name;

    @Option(names = "--if-exists", description = "Succeed without change when the user does not exist.")
    boolean ifExists;

    @Override
    public Integer call() {
        UserName user = UserName.existing(name);
        Output output = output();
        return root.withUsers(output, users -> {
            boolean deleted = users.delete(user, ifExists);
            output.userResult(user.value(), null, deleted ? "deleted" : "unchanged", null);
            return 0;
        });
    }
}
