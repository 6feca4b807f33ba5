package io.pgusers.bench;

import io.pgusers.sql.SqlFile;
import io.pgusers.testing.PgServer;
import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What the benchmarks run beside pgusers in the same run: {@code /usr/bin/psql} with the same SQL, and
 * pgusers itself in a fresh JVM ({@code java io.pgusers.Main ...}, what a shell or a hook pays).
 */
final class Peers {
    private static final String PSQL = "/usr/bin/psql";

    private Peers() {
    }

    /** What a process did: its exit code, its output, and its wall time. */
    record Run(int exitCode, String out, String err, long ms) {
        Run expect(int expected) {
            if (exitCode != expected) {
                throw new IllegalStateException("expected exit " + expected + ": " + this);
            }
            return this;
        }
    }

    /** Runs {@code script} with psql on {@code database}, as the superuser; returns its wall time in ms. */
    static long psql(String database, String script, String... options) {
        try {
            Path file = Files.createTempFile("bench-", ".sql");
            Files.writeString(file, script);
            List<String> command = new ArrayList<>(List.of(PSQL, "-X", "-q", "-v", "ON_ERROR_STOP=1"));
            command.addAll(Arrays.asList(options));
            command.addAll(List.of("-f", file.toString()));
            Run run = run(command, database, "", false);
            Files.delete(file);
            return run.expect(0).ms();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A query of {@code sql/} as psql runs it, its {@code ?} replaced by {@code values} in order, output dropped. */
    static String query(String file, String... values) {
        String query = SqlFile.of(file).query();
        for (String value : values) {
            int at = query.indexOf('?');
            query = query.substring(0, at) + value + query.substring(at + 1);
        }
        return "\\o /dev/null\n" + query + ";\n\\o\n";
    }

    /**
     * {@code privilege-acls.sql} for every grantee, as {@code Inspector} sends it: in a transaction that first
     * encourages parallel plans ({@code encourage-parallel-query.sql}).
     */
    static String aclQuery() {
        return "BEGIN;\n" + query("queries/encourage-parallel-query.sql") + query("queries/privilege-acls.sql", "NULL", "NULL")
                + "COMMIT;\n";
    }

    /** {@code java -cp <this classpath> io.pgusers.Main args} on {@code database}, with the superuser's libpq environment. */
    static Run java(String database, String stdin, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath(), "io.pgusers.Main"));
        command.addAll(Arrays.asList(args));
        return run(command, database, stdin, true);
    }

    /** The installed package's launcher, when the package is installed ({@code apt-get install ./target/pgusers_*_all.deb}). */
    static final Path LAUNCHER = Path.of("/usr/bin/pgusers");

    static boolean launcherInstalled() {
        return Files.isExecutable(LAUNCHER);
    }

    /** {@code /usr/bin/pgusers args} on {@code database}, as {@link #java} runs the classes: what a DBA on the host pays. */
    static Run launcher(String database, String stdin, String... args) {
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(Arrays.asList(args));
        return run(command, database, stdin, true);
    }

    /** A {@code pgusers serve} of the benchmarks on {@code pg}: the default pool, waits long enough for big ACLs. */
    static io.pgusers.http.ApiServer service(PgServer pg) {
        return io.pgusers.http.TestService.start(io.pgusers.http.TestService.logins(pg.host(), pg.port()),
                new io.pgusers.http.ApiServer.Options("127.0.0.1", 0, null, null,
                        io.pgusers.http.ApiServer.Options.DEFAULT_POOL_SIZE, java.time.Duration.ofSeconds(60),
                        java.time.Duration.ofSeconds(10)));
    }

    /** Any {@code command}, with the superuser's libpq environment on {@code database} and no pgpass file. */
    static Run command(List<String> command, String database) {
        return run(command, database, "", true);
    }

    private static Run run(List<String> command, String database, String stdin, boolean noPassFile) {
        try {
            // output to files: a pipe left unread while the other is read can block the child
            Path out = Files.createTempFile("bench-out-", ".txt");
            Path err = Files.createTempFile("bench-err-", ".txt");
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().putAll(PgServer.shared().libpqEnvironment(database));
            if (noPassFile) {
                builder.environment().put("PGPASSFILE", "/nonexistent/pgpass");
            }
            long start = System.nanoTime();
            Process process = builder.start();
            process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().close();
            int exit = process.waitFor();
            long ms = (System.nanoTime() - start) / 1_000_000;
            Run run = new Run(exit, Files.readString(out), Files.readString(err), ms);
            Files.delete(out);
            Files.delete(err);
            return run;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String classpath() {
        ClassLoader loader = Peers.class.getClassLoader();
        if (loader instanceof URLClassLoader urls) {
            List<String> entries = new ArrayList<>();
            for (URL url : urls.getURLs()) {
                entries.add(url.getPath());
            }
            return String.join(File.pathSeparator, entries);
        }
        return System.getProperty("java.class.path");
    }
}
