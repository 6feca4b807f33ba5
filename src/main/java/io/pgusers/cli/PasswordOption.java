package io.pgusers.cli;

import io.pgusers.core.Password;
import picocli.CommandLine.Option;

/** The {@code --password-stdin} option of the commands that set a password, and reading the password. */
final class PasswordOption {

    @Option(names = "--password-stdin", description = "Read the password from one line of standard input.")
    boolean fromStdin;

    /** The new password: from standard input, the terminal's prompts, or generated. */
    Password read(PgUsersCommand root) {
        return new PasswordInput(root.environment().stdin(), root.environment().terminal()).read(fromStdin);
    }
}
