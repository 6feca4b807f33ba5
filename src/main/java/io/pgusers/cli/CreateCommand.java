package io.pgusers.cli;

import io.pgusers.core.Access;
import io.pgusers.core.Password;
import io.pgusers.core.UserName;
import io.pgusers.ops.CreateResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pgusers create [--read-only] NAME}. */
@Command(name = "create", aliases = {"database-users-create", "database-create-user"},
        description = {
            "Create a user, read-write or --read-only.",
            "The password comes from the hidden prompts on the terminal (both left empty: generated and "
                    + "shown once), from one line of standard input with --password-stdin, or is generated with "
                    + "--generate-password."
        })
final class CreateCommand extends Subcommand {

    @Parameters(paramLabel = "NAME", description = "6 to 32 letters, digits or _, starting with a letter.")
    String name;

    @Option(names = "--read-only", description = "Create a user with read-only rights.")
    boolean readOnly;

    @Option(names = "--if-not-exists",
            description = "Succeed without change when a user of the same access already exists.")
    boolean ifNotExists;

    @Mixin
    PasswordOption newPassword;

    @Override
    public Integer call() {
        UserName user = UserName.of(name);
        Output output = output();
        try (Password password = newPassword.read(root)) {
            return root.withUsers(output, users -> {
                CreateResult result = users.create(user, Access.readOnly(readOnly), password, ifNotExists);
                if (result.created()) {
                    output.userResult(user.value(), result.user(), "created", password);
                    if (user.foldsInSql()) {
                        output.note("The name has capital letters: SQL and psql must quote it, as \""
                                + user.value() + "\" (unquoted, PostgreSQL reads " + user.value().toLowerCase(java.util.Locale.ROOT) + ").");
                    }
                } else {
                    output.userResult(user.value(), result.user(), "unchanged", null);
                }
                return 0;
            });
        }
    }
}
