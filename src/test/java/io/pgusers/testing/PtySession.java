package io.pgusers.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgusers.Main;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code pgusers ARGS} run on a real pseudo-terminal (by {@code src/test/resources/pty/session.py}, Python's
 * {@code pty} module), standard output optionally redirected to a file, its prompts answered as a person
 * types. Without python3 the test fails: its setup did not happen.
 */
public final class PtySession {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectNode script = JSON.createObjectNode();
    private final ArrayNode steps = script.putArray("steps");

    private PtySession(String database, String... args) {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ArrayNode argv = script.putArray("argv");
        argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List.of("-XX:TieredStopAtLevel=1", "-cp", classpath, Main.class.getName()).forEach(argv::add);
        List.of(args).forEach(argv::add);
        ObjectNode env = script.putObject("env");
        PgServer.shared().libpqEnvironment(database).forEach(env::put);
        env.put("PGPASSFILE", "/nonexistent/pgpass");
        script.put("timeout", 90);
    }

    /** {@code pgusers ARGS} against {@code database} of the shared server. */
    public static PtySession of(String database, String... args) {
        return new PtySession(database, args);
    }

    /** Standard output to {@code file} instead of the terminal. */
    public PtySession stdoutTo(Path file) {
        script.put("stdout", file.toString());
        return this;
    }

    /** Waits for {@code text} on the terminal, then types {@code keys} (\u0004 is Ctrl-D, \u0003 Ctrl-C). */
    public PtySession expect(String text, String keys) {
        steps.addObject().put("expect", text).put("send", keys);
        return this;
    }

    public Result run() throws IOException, InterruptedException {
        Path scriptFile = Files.createTempFile("pgusers-pty", ".json");
        Path driver = Files.createTempFile("pgusers-pty", ".py");
        try (InputStream in = PtySession.class.getResourceAsStream("/pty/session.py")) {
            Files.write(driver, in.readAllBytes());
            Files.writeString(scriptFile, JSON.writeValueAsString(script));
            Process process;
            try {
                process = new ProcessBuilder(new ArrayList<>(List.of("python3", driver.toString(), scriptFile.toString())))
                        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            } catch (IOException e) {
                throw new AssertionError("a pseudo-terminal needs python3 on the PATH: " + e.getMessage(), e);
            }
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new AssertionError("the pty driver failed: " + new String(out, StandardCharsets.UTF_8));
            }
            JsonNode result = JSON.readTree(out);
            return new Result(result.get("exit_code").asInt(), result.get("transcript").asText(),
                    result.get("unmatched").isNull() ? -1 : result.get("unmatched").asInt());
        } finally {
            Files.deleteIfExists(scriptFile);
            Files.deleteIfExists(driver);
        }
    }

    /** What the session ended with: the exit code, what the terminal showed, the first step never reached (-1: none). */
    public record Result(int exitCode, String transcript, int unmatchedStep) {
        @Override
        public String toString() {
            return "exit " + exitCode + (unmatchedStep >= 0 ? ", step " + unmatchedStep + " never came" : "")
                    + "\n--- terminal\n" + transcript;
        }
    }
}
