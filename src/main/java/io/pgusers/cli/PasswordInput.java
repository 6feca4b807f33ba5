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
 * ({@code --password-stdin}, for hooks), the platform's generated password ({@code --generate-password}),
 * else the platform's hidden prompt on the terminal, with confirmation and three tries. Nothing else: with
 * no terminal and neither option, or an empty or missing line, it refuses rather than guess.
 */
final class PasswordInput {
    static final String PROMPT = "Password (Will be generated if left empty): ";
    static final String CONFIRMATION = "Password Confirmation: ";
    static final String NO_TERMINAL = "no terminal to ask for a password: give --password-stdin or --generate-password";
    private static final int TRIES = 3;
    private static final int MAX_LINE = 1024;

    /** Where the caller said the password comes from. */
    enum Source { STANDARD_INPUT, GENERATED, TERMINAL }

    private final InputStream stdin;
    private final Terminal terminal;

    PasswordInput(InputStream stdin, Terminal terminal) {
        this.stdin = stdin;
        this.terminal = terminal;
    }

    Password read(Source source) {
        switch (source) {
            case STANDARD_INPUT:
                return fromStandardInput();
            case GENERATED:
                return Password.generate();
            default:
                if (terminal == null) {
                    throw PgUsersException.invalid(NO_TERMINAL);
                }
                return prompt();
        }
    }

    private Password fromStandardInput() {
        char[] line = readLine();
        if (line == null) {
            throw PgUsersException.invalid("--password-stdin: standard input ended before a password line");
        }
        if (line.length == 0) {
            throw PgUsersException.invalid("--password-stdin: the password line is empty (for a generated password,"
                    + " give --generate-password)");
        }
        return Password.of(line);
    }

    /** Both prompts left empty mean generated; the rules are checked on the first entry, before the second. */
    private Password prompt() {
        for (int attempt = 1; ; attempt++) {
            char[] first = terminal.readPassword(PROMPT);
            if (first == null) {
                throw aborted();
            }
            String problem = first.length == 0 ? null : Password.problem(first);
            if (problem == null) {
                char[] second = terminal.readPassword(CONFIRMATION);
                if (second == null) {
                    Arrays.fill(first, '\0');
                    throw aborted();
                }
                try {
                    return Password.confirmed(first, second);
                } catch (PgUsersException e) {
                    problem = e.getMessage();
                }
            } else {
                Arrays.fill(first, '\0');
            }
            if (attempt == TRIES) {
                throw PgUsersException.invalid(problem + ". Too many retries");
            }
            terminal.say(problem + ". Remaining retries: " + (TRIES - attempt));
        }
    }

    /** End of input at a prompt (Ctrl-D) aborts the command. */
    private static PgUsersException aborted() {
        return PgUsersException.invalid("no password given (end of input at the prompt): nothing was changed");
    }

    private char[] readLine() {
        // bytes that are not UTF-8 are refused, not replaced (a replaced byte would set another password)
        Reader reader = new InputStreamReader(stdin, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
        char[] buffer = new char[MAX_LINE];
        int length = 0;
        boolean sawEnd = false;
        try {
            int c;
            while ((c = reader.read()) != -1) {
                if (c == '\n') {
                    sawEnd = true;
                    break;
                }
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
        if (length == 0 && !sawEnd) {
            return null;
        }
        char[] line = Arrays.copyOf(buffer, length);
        Arrays.fill(buffer, '\0');
        return line;
    }
}
