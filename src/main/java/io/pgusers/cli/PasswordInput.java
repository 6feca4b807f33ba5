package io.pgusers.cli;

import io.pgusers.core.Password;
import io.pgusers.core.PgUsersException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Where a new password comes from, never from a command-line argument: one line of standard input
 * ({@code --password-stdin}, for hooks), else the platform's hidden prompt with confirmation and three
 * tries on a terminal. Empty, or neither of those, means a generated password.
 */
final class PasswordInput {
    static final String PROMPT = "Password (Will be generated if left empty): ";
    static final String CONFIRMATION = "Password Confirmation: ";
    private static final int TRIES = 3;
    private static final int MAX_LINE = 1024;

    private final InputStream stdin;
    private final Terminal terminal;

    PasswordInput(InputStream stdin, Terminal terminal) {
        this.stdin = stdin;
        this.terminal = terminal;
    }

    Password read(boolean fromStdin) {
        if (fromStdin) {
            char[] line = readLine();
            return line.length == 0 ? Password.generate() : Password.of(line);
        }
        if (terminal == null) {
            return Password.generate();
        }
        return prompt();
    }

    private Password prompt() {
        for (int attempt = 1; ; attempt++) {
            char[] first = terminal.readPassword(PROMPT);
            char[] second = terminal.readPassword(CONFIRMATION);
            try {
                return Password.confirmed(first, second);
            } catch (PgUsersException e) {
                if (attempt == TRIES) {
                    throw PgUsersException.invalid(e.getMessage() + ". Too many retries");
                }
                terminal.say(e.getMessage() + ". Remaining retries: " + (TRIES - attempt));
            }
        }
    }

    private char[] readLine() {
        // bytes that are not UTF-8 are refused, not replaced (a replaced byte would set another password)
        Reader reader = new InputStreamReader(stdin, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
        char[] buffer = new char[MAX_LINE];
        int length = 0;
        try {
            int c;
            while ((c = reader.read()) != -1 && c != '\n') {
                if (length == buffer.length) {
                    Arrays.fill(buffer, '\0');
                    throw PgUsersException.invalid("Password must contain between 24 and 64 characters");
                }
                buffer[length++] = (char) c;
            }
        } catch (CharacterCodingException e) {
            Arrays.fill(buffer, '\0');
            throw PgUsersException.invalid("the password on standard input is not valid UTF-8 text");
        } catch (IOException e) {
            Arrays.fill(buffer, '\0');
            throw PgUsersException.invalid("could not read the password from standard input: " + e.getMessage());
        }
        if (length > 0 && buffer[length - 1] == '\r') {
            length--;
        }
        char[] line = Arrays.copyOf(buffer, length);
        Arrays.fill(buffer, '\0');
        return line;
    }
}
