package io.pgusers.cli;

import java.io.Console;

/** Where hidden password prompts go: the process's console, or a stand-in in tests. */
public interface Terminal {

    /** Prompts without echo; null at end of input. */
    char[] readPassword(String prompt);

    /** A message on the terminal itself (prompt errors). */
    void say(String message);

    /** The console of this process, or null when it has none (not a terminal). */
    static Terminal console() {
        Console console = System.console();
        if (console == null) {
            return null;
        }
        return new Terminal() {
            @Override
            public char[] readPassword(String prompt) {
                return console.readPassword("%s", prompt);
            }

            @Override
            public void say(String message) {
                console.printf("%s%n", message);
                console.flush();
            }
        };
    }
}
