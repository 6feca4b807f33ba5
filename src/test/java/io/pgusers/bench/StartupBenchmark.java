package io.pgusers.bench;

import io.pgusers.testing.AppDatabase;
import io.pgusers.testing.PgServer;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Issue 11's benchmark of a one-shot {@code pgusers list} (not a test: Surefire does not run it): through the
 * installed launcher {@code /usr/bin/pgusers} (Java 17, and Temurin 25 when present), by {@code java -jar
 * target/pgusers.jar}, next to the JVM floor (a bare Java program that opens one pgjdbc connection and runs one
 * query, {@link BareJdbc}) and {@code psql} running one query; the same server and database, interleaved rounds,
 * median of 11, in milliseconds. Install the package first ({@code apt-get install ./target/pgusers_*_all.deb});
 * without it the launcher's rows say so.
 *
 * <pre>
 * mvn -B -q package -DskipTests &amp;&amp; apt-get install -y ./target/pgusers_*_all.deb
 * mvn -B -q test-compile org.codehaus.mojo:exec-maven-plugin:3.5.0:java \
 *     -Dexec.mainClass=io.pgusers.bench.StartupBenchmark -Dexec.classpathScope=test
 * </pre>
 */
public final class StartupBenchmark {
    private static final int RUNS = 11;
    private static final Path LAUNCHER = Path.of("/usr/bin/pgusers");
    private static final Path JAVA_25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");

    private StartupBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        PgServer pg = PgServer.forBenchmark();
        AppDatabase db = AppDatabase.provision("startup");
        for (int i = 0; i < 5; i++) {
            db.createUser("start_user_" + i, i % 2 == 0);
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String pgjdbc = Arrays.stream(Peers.classpath().split(File.pathSeparator))
                .filter(e -> e.contains("/org/postgresql/postgresql/")).findFirst().orElseThrow();
        String testClasses = Path.of("target", "test-classes").toAbsolutePath().toString();
        Map<String, List<String>> commands = new LinkedHashMap<>();
        if (Files.isExecutable(LAUNCHER)) {
            commands.put("`pgusers list`, installed launcher, Java 17", List.of(LAUNCHER.toString(), "list"));
            if (Files.isExecutable(JAVA_25)) {
                commands.put("`pgusers list`, installed launcher, Java 25 (PGUSERS_JAVA)",
                        List.of("env", "PGUSERS_JAVA=" + JAVA_25, LAUNCHER.toString(), "list"));
            }
        }
        commands.put("`java -jar target/pgusers.jar list`, Java 17", List.of(java, "-jar",
                Path.of("target", "pgusers.jar").toAbsolutePath().toString(), "list"));
        commands.put("bare Java program: one pgjdbc connection, one query (the JVM floor)",
                List.of(java, "-cp", pgjdbc + File.pathSeparator + testClasses, BareJdbc.class.getName()));
        commands.put("psql, one query", List.of("/usr/bin/psql", "-X", "-Atc", "SELECT rolname FROM pg_roles"));

        // warm the OS caches; the launcher's first list of each runtime records its archive (on Java 25 the
        // cache is then made in the background: wait for it) before anything is timed
        for (List<String> command : commands.values()) {
            Peers.command(command, db.name()).expect(0);
        }
        Path cache = Path.of(System.getProperty("user.name").equals("root") ? "/var/cache/pgusers"
                : System.getProperty("user.home") + "/.cache/pgusers");
        for (int i = 0; i < 120 && Files.isExecutable(JAVA_25) && Files.isExecutable(LAUNCHER); i++) {
            try (var files = Files.list(cache)) {
                if (files.anyMatch(f -> f.toString().endsWith(".aot"))) {
                    break;
                }
            } catch (java.io.IOException e) {
                break;
            }
            Thread.sleep(500);
        }
        Map<String, List<Long>> times = new LinkedHashMap<>();
        commands.keySet().forEach(k -> times.put(k, new ArrayList<>()));
        for (int run = 0; run < RUNS; run++) {
            for (Map.Entry<String, List<String>> command : commands.entrySet()) {
                times.get(command.getKey()).add(Peers.command(command.getValue(), db.name()).expect(0).ms());
            }
        }
        System.out.println();
        System.out.println("PostgreSQL " + pg.majorVersion() + ", " + Runtime.getRuntime().availableProcessors()
                + " cores; median of " + RUNS + " interleaved runs, ms");
        System.out.println();
        System.out.println("| command | median ms | min | max |");
        System.out.println("|---|---:|---:|---:|");
        for (Map.Entry<String, List<Long>> entry : times.entrySet()) {
            List<Long> sorted = entry.getValue().stream().sorted().toList();
            System.out.println("| " + entry.getKey() + " | " + sorted.get(sorted.size() / 2) + " | " + sorted.get(0)
                    + " | " + sorted.get(sorted.size() - 1) + " |");
        }
        if (!Files.isExecutable(LAUNCHER)) {
            System.out.println("(no " + LAUNCHER + ": install target/pgusers_*_all.deb for the launcher's rows)");
        }
        System.exit(0);
    }
}
