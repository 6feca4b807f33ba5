package io.pgusers.cli;

import io.pgusers.core.PgUsersException;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * {@code /dev/tty}, read and written directly so that prompts appear even when standard output goes to a
 * file or a pipe. Echo is turned off with {@code stty -echo} for a hidden prompt and restored afterwards,
 * also when the process is interrupted (Ctrl-C) while it waits.
 */
final class ControllingTerminal implements Terminal {
    private static final File TTY = new File("/dev/tty");
    private static final int MAX_LINE = 4096;

    private ControllingTerminal() {
    }

    static Terminal ifStandardInputIsOne() {
        if (!standardInputIsTerminal() || !TTY.canRead() || !TTY.canWrite()) {
            return null;
        }
        return new ControllingTerminal();
    }

    /** Linux names the terminal behind file descriptor 0; elsewhere the JVM's console says as much. */
    private static boolean standardInputIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/0")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return System.console() != null;
        }
    }

    @Override
    public char[] readPassword(String prompt) {
        String saved = stty("-g").trim();
        Thread restore = new Thread(() -> sttyQuietly(saved));
        Runtime.getRuntime().addShutdownHook(restore);
        try {
            stty("-echo");
            write(prompt);
            char[] line = readLineChars();
            write("\n");
            return line;
        } finally {
            sttyQuietly(saved);
            try {
                Runtime.getRuntime().removeShutdownHook(restore);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
        }
    }

    @Override
    public String readLine(String prompt) {
        write(prompt);
        char[] line = readLineChars();
        if (line == null) {
            write("\n");
            return null;
        }
        String text = new String(line);
        Arrays.fill(line, '\0');
        return text;
    }

    @Override
    public void say(String message) {
        write(message + "\n");
    }

    private static void write(String text) {
        try (OutputStream out = new FileOutputStream(TTY)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw PgUsersException.invalid("could not write to the terminal: " + e.getMessage());
        }
    }

    /** One line without its end; null when input ends first (Ctrl-D), or a line that is not UTF-8. */
    private static char[] readLineChars() {
        byte[] bytes = new byte[MAX_LINE];
        int length = 0;
        try (InputStream in = new FileInputStream(TTY)) {
            int b;
            while ((b = in.read()) != '\n') {
                if (b == -1) {
                    Arrays.fill(bytes, (byte) 0);
                    return null;
                }
                if (length < bytes.length) {
                    bytes[length++] = (byte) b;
                }
            }
        } catch (IOException e) {
            throw PgUsersException.invalid("could not read from the terminal: " + e.getMessage());
        }
        if (length > 0 && bytes[length - 1] == '\r') {
            length--;
        }
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, length));
            char[] line = new char[chars.remaining()];
            chars.get(line);
            Arrays.fill(chars.array(), '\0');
            return line;
        } catch (CharacterCodingException e) {
            throw PgUsersException.invalid("what was typed is not valid UTF-8 text");
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** Runs {@code stty ARG} on the terminal; refuses to prompt when echo cannot be controlled. */
    private static String stty(String argument) {
        try {
            Process stty = new ProcessBuilder("stty", argument).redirectInput(TTY)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] out = stty.getInputStream().readAllBytes();
            if (!stty.waitFor(5, TimeUnit.SECONDS) || stty.exitValue() != 0) {
                throw PgUsersException.invalid("could not turn off echo on the terminal (stty " + argument
                        + " failed): give the password with --password-stdin or --generate-password");
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw PgUsersException.invalid("could not turn off echo on the terminal (" + e.getMessage()
                    + "): give the password with --password-stdin or --generate-password");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw PgUsersException.invalid("interrupted while setting up the terminal");
        }
    }

    private static void sttyQuietly(String saved) {
        try {
            new ProcessBuilder("stty", saved).redirectInput(TTY).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start().waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            // nothing more can be done for the terminal
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
