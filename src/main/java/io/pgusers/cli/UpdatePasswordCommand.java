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
            "The user's password becomes SCRAM-SHA-256, even if it was MD5.",
            "The password comes from a hidden prompt, or one line of standard input with --password-stdin;",
            "left empty (or with no terminal), it is generated and shown once."
        })
final class UpdatePasswordCommand extends Subcommand {

    @Parameters(paramLabel = "NAME")
    String name;

    @Mixin
    PasswordOption newPassword;

    @Override
    public Integer call() {
        UserName user = UserName.existing(name);
        Output output = output();
        return root.withUsers(output, users -> {
            try (Password password = newPassword.read(root)) {
                DatabaseUser updated = users.updatePassword(user, password);
                output.userResult(user.value(), updated, "updated", password);
                return 0;
            }
        });
    }
}
