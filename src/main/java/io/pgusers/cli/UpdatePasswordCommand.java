package io.pgusers.cli;

import io.pgusers.core.DatabaseUser;
import io.pgusers.core.Password;
import io.pgusers.core.UserName;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code pgusers update-password NAME}. */
@Command(name = "update-password", aliases = {"database-users-update-password", "database-update-user-password"},
        description = {
            "Update password for unprotected database user.",
            "The user's password becomes SCRAM-SHA-256, even if it was MD5. The password comes from the hidden "
                    + "prompts on the terminal (both left empty: generated and shown once), from one line of "
                    + "standard input with --password-stdin, or is generated with --generate-password."
        })
final class UpdatePasswordCommand extends Subcommand {

    @Parameters(paramLabel = "NAME", description = "The user whose password changes (not the protected user).")
    String name;

    @Mixin
    PasswordOption newPassword;

    @Override
    public Integer call() {
        UserName user = UserName.existing(name);
        Output output = output();
        try (Password password = newPassword.read(root)) {
            return root.withUsers(output, users -> {
                DatabaseUser updated = users.updatePassword(user, password);
                output.userResult(user.value(), updated, "updated", password);
                return 0;
            });
        }
    }
}
