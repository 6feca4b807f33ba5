package io.pgusers.cli;

import io.pgusers.core.Password;
import io.pgusers.core.PgUsersException;
import picocli.CommandLine.Option;

/** The options of the commands that set a password, and reading the password. */
final class PasswordOption {

    @Option(names = "--password-stdin",
            description = "Read the password from one line of standard input (an empty line or no input: exit 2).")
    boolean fromStdin;

    @Option(names = "--generate-password",
            description = "Generate the password (64 letters, digits or _) and show it once.")
    boolean generate;

    /**
     * The new password: from standard input, generated, or from the terminal's prompts; with none of
     * those, a usage error. Read before connecting, so that a refusal or an abort touches nothing.
     */
    Password read(PgUsersCommand root) {
        if (fromStdin && generate) {
            throw PgUsersException.invalid("--password-stdin and --generate-password cannot go together");
        }
        PasswordInput.Source source = fromStdin ? PasswordInput.Source.STANDARD_INPUT
                : generate ? PasswordInput.Source.GENERATED : PasswordInput.Source.TERMINAL;
        return new PasswordInput(root.environment().stdin(), root.environment().terminal()).read(source);
    }
}
