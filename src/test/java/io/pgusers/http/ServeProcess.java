package io.pgusers.http;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgusers.Main;
import io.pgusers.testing.PgServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code pgusers serve} as a process of its own, over the shared test server, as a service manager runs it:
 * its standard error is kept, line by line, and it is stopped with SIGTERM.
 */
public final class ServeProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("on (https?://[^/ ]+:(\\d+))/");

    private final Process process;
    private final List<String> stderr = Collections.synchronizedList(new ArrayList<>());
    private String base;

    private ServeProcess(Process process) {
        this.process = process;
    }

    /** Starts {@code pgusers serve ARGS}, with the test token, and waits until it listens. */
    public static ServeProcess start(String... args) throws IOException, InterruptedException {
        return start(Map.of(), args);
    }

    public static ServeProcess start(Map<String, String> extraEnv, String... args) throws IOException, InterruptedException {
        PgServer pg = PgServer.shared();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, Main.class.getName(), "serve"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Map<String, String> env = builder.environment();
        env.putAll(pg.libpqEnvironment("postgres"));
        env.put("PGPASSFILE", "/nonexistent/pgpass");
        env.put(TokenAuth.ENV, TestService.TOKEN);
        env.putAll(extraEnv);
        ServeProcess serve = new ServeProcess(builder.start());
        serve.readStderr();
        serve.awaitListening();
        return serve;
    }

    private void readStderr() {
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    stderr.add(line);
                }
            } catch (IOException e) {
                stderr.add("(reading stderr: " + e + ")");
            }
        }, "serve-stderr");
        reader.setDaemon(true);
        reader.start();
    }

    private void awaitListening() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            synchronized (stderr) {
                for (String line : stderr) {
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        base = m.group(1);
                        return;
                    }
                }
            }
            assertTrue(process.isAlive(), () -> "serve exited: " + stderr());
            Thread.sleep(50);
        }
        throw new AssertionError("serve did not say where it listens: " + stderr());
    }

    /** {@code http://127.0.0.1:PORT}, as serve printed it. */
    public String base() {
        return base;
    }

    public int port() {
        return Integer.parseInt(base.substring(base.lastIndexOf(':') + 1));
    }

    public ApiClient api() {
        return new ApiClient(base.replace("0.0.0.0", "127.0.0.1"), TestService.TOKEN);
    }

    public Process process() {
        return process;
    }

    /** Everything it wrote on standard error so far, a line each. */
    public String stderr() {
        synchronized (stderr) {
            return String.join("\n", stderr);
        }
    }

    public List<String> stderrLines() {
        synchronized (stderr) {
            return List.copyOf(stderr);
        }
    }

    /** Waits until it has written {@code line} on standard error. */
    public void awaitLine(String line, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!stderrLines().contains(line)) {
            assertTrue(System.nanoTime() < deadline, () -> "\"" + line + "\" in\n" + stderr());
            Thread.sleep(20);
        }
    }

    /** SIGTERM, as systemd sends it (Process.destroy() would close its streams too). */
    public void terminate() {
        assertTrue(process.toHandle().destroy(), "SIGTERM sent");
    }

    /** The exit status once it has stopped, within {@code within}. */
    public int awaitExit(Duration within) throws InterruptedException {
        assertTrue(process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS), () -> "serve stops: " + stderr());
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
