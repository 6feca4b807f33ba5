package io.pgusers.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgusers.testing.Names;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code sudo -u postgres pgusers ...} on the database host: through the Unix socket, with peer
 * authentication. The embedded fixture cannot run as the {@code postgres} OS user, so this test starts
 * a server of its own from the host's PostgreSQL binaries (Debian's), when the host has them and the
 * test runs as root; elsewhere it says why it does not run. It runs once, in the default execution.
 */
class PeerAuthenticationTest {
    private static Path dir;
    private static Path initdb;
    private static int port;

    @BeforeAll
    static void startAPeerServer() throws Exception {
        Assumptions.assumeTrue("18".equals(System.getProperty("pgusers.test.postgres", "18")),
                "runs once, in the default execution: its server is the host's, whatever the version asked");
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root, to act as the postgres OS user");
        initdb = hostBinary("initdb");
        Assumptions.assumeTrue(initdb != null, "no PostgreSQL binaries on this host (/usr/lib/postgresql/*/bin)");
        Assumptions.assumeTrue(run(List.of("id", "postgres")).exit == 0, "no postgres OS user on this host");

        dir = Files.createTempDirectory(Path.of("/tmp"), "pgusers-peer");
        Files.createDirectories(dir.resolve("sock"));
        copyClasspath(dir.resolve("cp"));
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        exec("chmod", "-R", "a+rX", dir.toString());
        exec("chown", "-R", "postgres", dir.toString());
        asPostgres(initdb.toString(), "-D", dir.resolve("data").toString(), "-A", "peer", "-U", "postgres");
        asPostgres(initdb.resolveSibling("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l",
                dir.resolve("log").toString(), "-w", "-o",
                "-k " + dir.resolve("sock") + " -p " + port + " -c listen_addresses=''", "start");
    }

    @AfterAll
    static void stop() throws Exception {
        if (dir == null) {
            return;
        }
        run(List.of("runuser", "-u", "postgres", "--", initdb.resolveSibling("pg_ctl").toString(), "-D",
                dir.resolve("data").toString(), "-w", "-m", "fast", "stop"));
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    @Test
    void thePostgresOsUserProvisionsAndListsThroughTheSocketWithPeerAuthentication() throws Exception {
        String owner = Names.user("peer");
        Result provision = pgusers("postgres", "-h", dir.resolve("sock").toString(), "-p", Integer.toString(port),
                "-d", "peerapp", "provision", "--owner", owner);
        assertEquals(0, provision.exit, provision.output);
        Result list = pgusers("postgres", "list");
        assertEquals(0, list.exit, list.output);
        assertTrue(list.output.matches("(?s).*\\| " + owner + " +\\| false +\\| true +\\| SCRAM-SHA-256 +\\|.*"),
                "PGHOST from the environment, and the only provisioned database without -d: " + list.output);
    }

    @Test
    void rootIsRefusedByPeerAuthenticationWithOneLineAndExit1() throws Exception {
        Result list = pgusers("root", "-U", "postgres", "list");
        assertEquals(1, list.exit, list.output);
        assertTrue(list.output.contains("Peer authentication failed"), list.output);
    }

    /** pgusers as {@code osUser}, from a fresh JVM with a clean environment but PGHOST and PGPORT. */
    private static Result pgusers(String osUser, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        if (!osUser.equals("root")) {
            command.addAll(List.of("runuser", "-u", osUser, "--"));
        }
        command.addAll(List.of("env", "-i", "PATH=/usr/bin:/bin", "HOME=" + dir, "PGHOST=" + dir.resolve("sock"),
                "PGPORT=" + port, Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", dir.resolve("cp").resolve("*") + File.pathSeparator + dir.resolve("cp").resolve("classes"),
                "io.pgusers.Main"));
        command.addAll(List.of(args));
        return run(command);
    }

    /** The test's classpath, copied where the postgres OS user can read it (root's Maven repository is private). */
    private static void copyClasspath(Path target) throws IOException {
        Files.createDirectories(target);
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path path = Path.of(entry);
            if (Files.isRegularFile(path) && entry.endsWith(".jar")) {
                Files.copy(path, target.resolve(path.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            } else if (Files.isDirectory(path) && path.endsWith("classes")) {
                copyTree(path, target.resolve("classes"));
            }
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path copy = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static Path hostBinary(String name) throws IOException {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return null;
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin").resolve(name)).filter(Files::isExecutable)
                    .max(Comparator.naturalOrder()).orElse(null);
        }
    }

    private static void asPostgres(String... command) throws Exception {
        List<String> full = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
        full.addAll(List.of(command));
        Result result = run(full);
        assertEquals(0, result.exit, String.join(" ", command) + "\n" + result.output);
    }

    private static void exec(String... command) throws Exception {
        Result result = run(List.of(command));
        assertEquals(0, result.exit, result.output);
    }

    private record Result(int exit, String output) {
    }

    private static Result run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(process.waitFor(), output);
    }
}
