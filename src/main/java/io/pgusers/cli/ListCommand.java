package io.pgusers.cli;

import picocli.CommandLine.Command;

/** {@code pgusers list}: the users table. */
@Command(name = "list", aliases = {"database-users-list", "database-list-users"},
        description = "List the database users: username, read-only, protected, password encryption.")
final class ListCommand extends Subcommand {

    @Override
    public Integer call() {
        Output output = output();
        return root.withUsers(output, users -> {
            output.users(users.list());
            return 0;
        });
    }
}
