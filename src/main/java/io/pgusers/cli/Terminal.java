package io.pgusers.cli;

/**
 * The person at the keyboard: where hidden password prompts and the delete confirmation go. The real one
 * is the controlling terminal itself ({@link ControllingTerminal}, {@code /dev/tty}, as ssh and sudo use),
 * whatever standard output is; tests give a stand-in.
 */
public interface Terminal {

    /** Prompts without echo; null at end of input (Ctrl-D). */
    char[] readPassword(String prompt);

    /** Prompts with echo; null at end of input (Ctrl-D). */
    String readLine(String prompt);

    /** A message on the terminal itself (prompt errors). */
    void say(String message);

    /** The controlling terminal when standard input is one, else null (a pipe, a file, a hook). */
    static Terminal ofStandardInput() {
        return ControllingTerminal.ifStandardInputIsOne();
    }
}
