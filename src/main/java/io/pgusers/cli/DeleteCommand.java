package io.pgusers.cli;

import io.pgusers.core.PgUsersException;
import io.pgusers.core.UserName;
import io.pgusers.core.Visible;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pgusers delete NAME}. */
@Command(name = "delete", aliases = {"database-users-delete", "database-delete-user"},
        description = {
            "Delete a database user; its tables stay.",
            "Its sessions end; what it owns, in every database, passes to that database's owner. On a "
                    + "terminal it asks for the user's name again (--yes does not ask)."
        })
final class DeleteCommand extends Subcommand {
    static final String CONFIRMATION_FAILED = "Confirmation failed: usernames do not match.";

    @Parameters(paramLabel = "NAME", description = "The user to delete (not the protected user).")
    String name;

    @Option(names = "--if-exists", description = "Succeed without change when the user does not exist.")
    boolean ifExists;

    @Option(names = {"-y", "--yes"}, description = "Do not ask for the user's name on a terminal.")
    boolean yes;

    @Override
    public Integer call() {
        UserName user = UserName.existing(name);
        Output output = output();
        confirm(user);
        return root.withUsers(output, users -> {
            if (users.delete(user, ifExists)) {
                output.userResult(user.value(), null, "deleted", null);
            } else {
                output.absent(user.value());
            }
            return 0;
        });
    }

    /** On a terminal the person types the name again, as the platform's CLI asks; hooks are not asked. */
    private void confirm(UserName user) {
        Terminal terminal = root.environment().terminal();
        if (yes || terminal == null) {
            return;
        }
        String typed = terminal.readLine("Type the name of the user to delete (\"" + Visible.escape(user.value())
                + "\") to confirm: ");
        if (typed == null || !typed.equals(user.value())) {
            throw PgUsersException.invalid(CONFIRMATION_FAILED);
        }
    }
}
