package io.pgusers.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgusers.testing.CliProcess;
import io.pgusers.testing.CliRun;
import io.pgusers.testing.Names;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code pgusers sandbox start|status|env|stop}, psql reaching the sandbox as its superuser and as a user made
 * there, and two {@code --sandbox} commands at once sharing one server.
 */
class SandboxLifecycleTest {
    private Path dir;

    @BeforeEach
    void directory() throws IOException {
        dir = Files.createTempDirectory("pgusers-sandbox-life");
    }

    @AfterEach
    void remove() throws IOException {
        sandbox("stop");
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    @Test
    void startLeavesItRunningForPsqlAndStopStopsIt() throws Exception {
        CliRun start = sandbox("start");
        assertEquals(0, start.exitCode(), start::toString);
        assertTrue(start.out().startsWith("Sandbox running on 127.0.0.1:"), start.out());
        assertEquals(0, sandbox("status").exitCode());
        CliRun env = sandbox("env");
        assertEquals(0, env.exitCode(), env::toString);
        Map<String, String> libpq = exports(env.out());
        assertEquals(List.of("PGHOST", "PGPORT", "PGUSER", "PGDATABASE", "PGPASSFILE"), List.copyOf(libpq.keySet()));
        assertEquals("postgres", psql(libpq, "SELECT current_user").strip());

        String name = Names.user("sandboxed");
        CliRun create = CliRun.against("postgres").env("PGUSERS_SANDBOX", dir.toString())
                .run("create", "--generate-password", name);
        assertEquals(0, create.exitCode(), create::toString);
        String password = create.out().replaceAll("(?s).*with password \"([^\"]+)\".*", "$1");
        Map<String, String> asUser = new HashMap<>(libpq);
        asUser.put("PGUSER", name);
        asUser.put("PGPASSWORD", password);
        asUser.put("PGPASSFILE", "/nonexistent");
        assertEquals(name, psql(asUser, "SELECT current_user").strip());
        asUser.put("PGPASSWORD", password + "x");
        assertTrue(psqlFails(asUser).contains("password authentication failed"), "a wrong password is refused");

        assertTrue(Sandbox.running(dir).isPresent(), "still running after the --sandbox command");
        CliRun stop = sandbox("stop");
        assertEquals(0, stop.exitCode(), stop::toString);
        assertTrue(stop.out().contains("is stopped"), stop.out());
        assertEquals(1, sandbox("status").exitCode());
        assertTrue(psqlFails(libpq).contains("No such file or directory") || psqlFails(libpq).contains("refused"));
    }

    @Test
    void aSecondSandboxCommandUsesTheRunningOneAndTheLastToLeaveStopsIt() throws Exception {
        try (CliProcess serve = CliProcess.start("postgres", Map.of("PGUSERS_SANDBOX", dir.toString(),
                "PGUSERS_API_TOKEN", io.pgusers.http.TestService.TOKEN), "", "serve", "--listen", "127.0.0.1:0")) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!serve.err().contains("provisioned with protected user") && System.nanoTime() < deadline) {
                assertTrue(serve.process().isAlive(), () -> "serve --sandbox ended: " + serve);
                Thread.sleep(200);
            }
            assertTrue(Sandbox.running(dir).isPresent(), () -> "serve --sandbox runs the sandbox: " + serve);
            int port = Sandbox.running(dir).get().port();
            CliRun list = CliRun.against("postgres").env("PGUSERS_SANDBOX", dir.toString()).run("--sandbox", "list");
            assertEquals(0, list.exitCode(), list::toString);
            assertTrue(list.out().contains("| owner_"), list.out());
            assertEquals(port, Sandbox.running(dir).get().port(), "the same server");
            assertTrue(serve.process().isAlive(), "serve keeps its sandbox when the other command leaves");
            CliRun stop = sandbox("stop");
            assertTrue(stop.out().contains("in use by another pgusers command"), stop.out());
            assertTrue(Sandbox.running(dir).isPresent());
            serve.process().destroy();
            assertEquals(0, serve.exitCode(60), serve::toString);
        }
        assertFalse(Sandbox.running(dir).isPresent(), "the last one to leave stopped it");
    }

    /** A link another user planted in the sandbox would have pgusers create, chmod or lock a file of its choosing. */
    @Test
    void aSandboxWithASymbolicLinkInItIsRefusedAndTheTargetUntouched() throws Exception {
        Path victim = Files.createTempFile("pgusers-victim", ".txt");
        Files.setPosixFilePermissions(victim, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        Path missing = victim.resolveSibling(victim.getFileName() + ".created");
        try {
            Files.createSymbolicLink(dir.resolve("superuser.password"), victim);
            Files.createSymbolicLink(dir.resolve("start.lock"), missing);
            CliRun start = sandbox("start");
            assertEquals(1, start.exitCode(), start::toString);
            assertTrue(start.err().contains("is a symbolic link"), start.err());
            assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(victim)), "the link's target keeps its mode");
            assertFalse(Files.exists(missing), "nothing created through the link");
            CliRun list = CliRun.against("postgres").env("PGUSERS_SANDBOX", dir.toString()).run("list");
            assertEquals(1, list.exitCode(), list::toString);
        } finally {
            Files.deleteIfExists(victim);
            Files.deleteIfExists(missing);
            Files.deleteIfExists(dir.resolve("superuser.password"));
            Files.deleteIfExists(dir.resolve("start.lock"));
        }
    }

    /** After a crash the pid in postmaster.pid may be anybody's: a process that is not this sandbox's postgres is not it. */
    @Test
    void aPostmasterPidOfAnotherProcessIsNotARunningSandbox() throws Exception {
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("data").resolve("postmaster.pid"), "1\n" + dir.toAbsolutePath().resolve("data")
                + "\n1700000000\n5432\n/tmp\nlocalhost\n  5432001    123\nready\n");
        Files.writeString(dir.resolve("data").resolve("PG_VERSION"), "18\n");
        assertFalse(Sandbox.running(dir).isPresent(), "pid 1 is not the sandbox's postmaster");
        CliRun status = sandbox("status");
        assertEquals(1, status.exitCode(), status::toString);
        assertTrue(status.out().contains("is not running"), status.out());
        assertTrue(ProcessHandle.of(1).isPresent(), "and nobody signalled pid 1");
    }

    private CliRun sandbox(String what) {
        return CliRun.against("postgres").env("PGUSERS_SANDBOX", dir.toString()).run("sandbox", what);
    }

    private static Map<String, String> exports(String text) {
        Map<String, String> env = new java.util.LinkedHashMap<>();
        for (String line : text.lines().toList()) {
            assertTrue(line.startsWith("export "), line);
            String[] pair = line.substring("export ".length()).split("=", 2);
            String value = pair[1].startsWith("'") ? pair[1].substring(1, pair[1].length() - 1).replace("'\\''", "'") : pair[1];
            env.put(pair[0], value);
        }
        return env;
    }

    private static String psql(Map<String, String> env, String sql) throws Exception {
        Process p = psqlProcess(env, sql);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    private static String psqlFails(Map<String, String> env) throws Exception {
        Process p = psqlProcess(env, "SELECT 1");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertTrue(p.exitValue() != 0, "psql should have failed: " + out);
        return out;
    }

    private static Process psqlProcess(Map<String, String> env, String sql) throws IOException {
        List<String> command = new ArrayList<>(List.of("psql", "-X", "-At", "-w", "-c", sql));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("PG"));
        builder.environment().putAll(env);
        return builder.start();
    }
}
