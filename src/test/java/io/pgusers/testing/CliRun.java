package io.pgusers.testing;

import io.pgusers.cli.Cli;
import io.pgusers.cli.Terminal;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the pgusers command line in-process, as a user would from a shell whose environment points at
 * the test server, and keeps what it printed and its exit code.
 */
public final class CliRun {
    private final int exitCode;
    private final String out;
    private final String err;

    private CliRun(int exitCode, String out, String err) {
        this.exitCode = exitCode;
        this.out = out;
        this.err = err;
    }

    /** A command line against {@code database} of the shared server. */
    public static Builder against(String database) {
        return against(PgServer.shared(), database);
    }

    /** A command line against {@code database} of {@code server}. */
    public static Builder against(PgServer server, String database) {
        return new Builder(server.libpqEnvironment(database));
    }

    public int exitCode() {
        return exitCode;
    }

    public String out() {
        return out;
    }

    public String err() {
        return err;
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }

    /** The environment, standard input and terminal of one run. */
    public static final class Builder {
        private final Map<String, String> env;
        private byte[] stdin = new byte[0];
        private Terminal terminal;

        Builder(Map<String, String> env) {
            this.env = new HashMap<>(env);
            this.env.put("PGPASSFILE", "/nonexistent/pgpass");
        }

        public Builder env(String name, String value) {
            if (value == null) {
                env.remove(name);
            } else {
                env.put(name, value);
            }
            return this;
        }

        public Builder stdin(String text) {
            this.stdin = text.getBytes(StandardCharsets.UTF_8);
            return this;
        }

        /** Standard input as bytes, which need not be UTF-8. */
        public Builder stdinBytes(byte[] bytes) {
            this.stdin = bytes.clone();
            return this;
        }

        /** A terminal that answers the prompts, in order, with {@code answers}; it records what it said. */
        public Builder terminal(ScriptedTerminal terminal) {
            this.terminal = terminal;
            return this;
        }

        public CliRun run(String... args) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = Cli.run(args, env, new ByteArrayInputStream(stdin),
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                    terminal);
            return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }
    }

    /** A stand-in terminal: answers prompts from a script and records prompts and messages. */
    public static final class ScriptedTerminal implements Terminal {
        private final Deque<String> answers;
        private final List<String> transcript = new ArrayList<>();

        public ScriptedTerminal(String... answers) {
            this.answers = new ArrayDeque<>(List.of(answers));
        }

        @Override
        public char[] readPassword(String prompt) {
            transcript.add(prompt);
            String answer = answers.poll();
            return answer == null ? null : answer.toCharArray();
        }

        @Override
        public String readLine(String prompt) {
            transcript.add(prompt);
            return answers.poll();
        }

        @Override
        public void say(String message) {
            transcript.add(message);
        }

        public List<String> transcript() {
            return transcript;
        }
    }
}
