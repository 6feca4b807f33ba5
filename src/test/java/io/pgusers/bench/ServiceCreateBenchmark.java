package io.pgusers.bench;

import io.pgusers.core.GroupRoles;
import io.pgusers.core.Password;
import io.pgusers.http.ApiClient;
import io.pgusers.http.ApiServer;
import io.pgusers.http.TestService;
import io.pgusers.sql.SqlFile;
import io.pgusers.testing.AppDatabase;
import io.pgusers.testing.Names;
import io.pgusers.testing.PgServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Issue 9's benchmark of {@code pgusers serve} creating read-only users (not a test: Surefire does not run it),
 * next to {@code pgbench} running the same statements on the same server, in the same run, on fresh databases of
 * the same shape: the {@code CREATE ROLE} with its SCRAM verifier and the documented read-only statements
 * ({@code sql/grants/read-only.sql}), in one transaction, one client. What pgusers adds on top (its promise,
 * the readers' group, the agents' lock, the audit row, the checks before, HTTP and JSON) is what the ratio shows.
 *
 * <ol>
 *   <li>throughput and latency (p50, p99) at 1 and 8 concurrent HTTP clients, on a database of 100 tables (each
 *       with a serial) in schema public, next to pgbench with 1 client;</li>
 *   <li>the cost of the n-th create as the users of one database grow to 10,000, for pgusers (one client) and for
 *       pgbench, the median and the mean of 40 creates at each step; on two shapes: the 100 tables in public, where the
 *       documented statements add every user to the ACL of every table and sequence (until PostgreSQL refuses:
 *       a table's ACL must fit in one catalog row), and the 100 tables in a read-write user's schema, which the
 *       documented statements do not touch.</li>
 * </ol>
 *
 * <pre>
 * mvn -B -q test-compile org.codehaus.mojo:exec-maven-plugin:3.5.0:java \
 *     -Dexec.mainClass=io.pgusers.bench.ServiceCreateBenchmark -Dexec.classpathScope=test [-Dpgusers.test.postgres=13]
 * </pre>
 */
public final class ServiceCreateBenchmark {
    private static final String PGBENCH = "/usr/bin/pgbench";
    private static final int TABLES = 100;
    private static final int REQUESTS = 400;
    private static final int STEP = 40;
    private static final int[] CHECKPOINTS = {0, 1_000, 2_000, 3_000, 5_000, 10_000};

    private final ApiClient api;
    private final String verifier = Password.generate().scramVerifier();
    private final List<String> report = new ArrayList<>();

    private ServiceCreateBenchmark(ApiClient api) {
        this.api = api;
    }

    public static void main(String[] args) throws Exception {
        PgServer pg = PgServer.forBenchmark();
        say("PostgreSQL " + pg.majorVersion() + ", " + Runtime.getRuntime().availableProcessors() + " cores");
        ApiServer server = Peers.service(pg);
        try {
            new ServiceCreateBenchmark(new ApiClient("http://127.0.0.1:" + server.port(), TestService.TOKEN)).run();
        } finally {
            server.close();
        }
        System.exit(0);
    }

    private void run() throws Exception {
        Shape publicTables = Shape.PUBLIC;
        // warm-up: the JIT, the pool, the server's caches; with 8 clients (creates made together) and with one
        // (a create alone: part 2's path, whose first rows would otherwise time code not compiled yet)
        AppDatabase warm = database(publicTables);
        creates(warm, 300, 8);
        creates(warm, 100, 1);
        pgbench(warm, 100, 1);

        if (Boolean.getBoolean("bench.growthOnly")) {
            growthOnly();
            return;
        }
        report.add("| clients | creates/s | p50 ms | p99 ms | answers |");
        report.add("|---|---:|---:|---:|---|");
        Result bench = pgbench(database(publicTables), REQUESTS, 1);
        report.add(bench.row("pgbench, 1 client, same statements"));
        for (int clients : new int[] {1, 8}) {
            Result result = creates(database(publicTables), REQUESTS, clients);
            report.add(result.row("pgusers serve, " + clients + " client" + (clients > 1 ? "s" : "")));
            report.add("|  ratio to pgbench | " + String.format(Locale.ROOT, "%.2f", result.rate() / bench.rate()) + " | | | |");
        }
        Result eight = pgbench(database(publicTables), REQUESTS, 8);
        report.add(eight.row("pgbench, 8 clients"));
        printReport();

        if (!Boolean.getBoolean("bench.skipGrowth")) {
            for (Shape shape : Shape.values()) {
                growth(shape);
            }
        }
        printReport();
    }

    /** {@code -Dbench.growthOnly=true [-Dbench.shape=WRITERS_SCHEMA]}: part 2 alone, for one shape or both. */
    private void growthOnly() throws Exception {
        String only = System.getProperty("bench.shape");
        for (Shape shape : Shape.values()) {
            if (only == null || shape.name().equals(only)) {
                growth(shape);
            }
        }
        printReport();
    }

    /** The n-th create, pgusers and pgbench each in a database of their own of {@code shape}. */
    private void growth(Shape shape) throws Exception {
        report.add("");
        report.add("n-th create, " + shape.words + ": ms of " + STEP + " creates from n on, median (mean)");
        report.add("| n | pgusers | pgbench | ratio of medians (of means) |");
        report.add("|---:|---:|---:|---:|");
        AppDatabase ours = database(shape);
        AppDatabase theirs = database(shape);
        int users = 0;
        for (int checkpoint : CHECKPOINTS) {
            try {
                if (checkpoint > users) {
                    creates(ours, checkpoint - users, 4).expectAll();
                    pgbench(theirs, checkpoint - users, 1).expectAll(); // one client: concurrent GRANTs fail
                    users = checkpoint;
                }
                Result a = creates(ours, STEP, 1);
                Result b = pgbench(theirs, STEP, 1);
                users += STEP;
                report.add("| " + checkpoint + " | " + ms(a.percentile(0.5)) + " (" + ms(a.mean()) + ") | "
                        + ms(b.percentile(0.5)) + " (" + ms(b.mean()) + ") | "
                        + String.format(Locale.ROOT, "%.2f (%.2f)", a.percentile(0.5) / b.percentile(0.5), a.mean() / b.mean())
                        + " |");
                say(report.get(report.size() - 1));
                a.expectAll();
                b.expectAll();
            } catch (IllegalStateException e) {
                report.add("| " + checkpoint + " | stopped: " + e.getMessage().lines().findFirst().orElse("") + " | | |");
                say(report.get(report.size() - 1));
                return;
            }
        }
    }

    // ---------------------------------------------------------------------------------------------

    private enum Shape {
        PUBLIC("100 tables in schema public"),
        WRITERS_SCHEMA("100 tables in a read-write user's schema, none in public");

        final String words;

        Shape(String words) {
            this.words = words;
        }
    }

    /** A freshly provisioned database with {@link #TABLES} tables of {@code shape}, each with a serial. */
    private static AppDatabase database(Shape shape) throws SQLException {
        AppDatabase db = AppDatabase.provision("bench");
        String user = db.owner();
        String password = db.ownerPassword();
        String schema = "public";
        if (shape == Shape.WRITERS_SCHEMA) {
            user = Names.user("rw_tables");
            password = db.createUser(user, false);
            schema = user + "_space";
        }
        try (Connection c = db.login(user, password); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
            for (int i = 0; i < TABLES; i++) {
                s.execute("CREATE TABLE " + schema + ".t_" + i + " (id serial PRIMARY KEY, v text)");
            }
        }
        try (Connection c = db.superuser(); Statement s = c.createStatement()) {
            // pgbench's counter, outside public: the documented statements grant every user SELECT on every
            // sequence of public, and a sequence's ACL must fit in its pg_class row (about 2,400 users)
            s.execute("CREATE SCHEMA bench_meta");
            s.execute("CREATE SEQUENCE bench_meta.pgbench_users");
        }
        return db;
    }

    /** {@code count} creates of read-only users through the API, from {@code clients} concurrent clients. */
    private Result creates(AppDatabase db, int count, int clients) throws Exception {
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long start = System.nanoTime();
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            running.add(pool.submit(() -> {
                while (next.getAndIncrement() < count) {
                    String body = ApiClient.createBody(Names.user("ro"), true, null, null);
                    long t = System.nanoTime();
                    ApiClient.Answer answer = api.post("/databases/" + db.name() + "/users", body);
                    latencies.add(System.nanoTime() - t);
                    if (answer.status() != 201) {
                        failures.add(answer.status() + " " + answer.body());
                    }
                }
            }));
        }
        for (Future<?> f : running) {
            f.get();
        }
        long wall = System.nanoTime() - start;
        pool.shutdown();
        return new Result(latencies.stream().mapToLong(Long::longValue).toArray(), wall, List.copyOf(failures));
    }

    /** pgbench running the same statements: {@code count} transactions over {@code clients} connections. */
    private Result pgbench(AppDatabase db, int count, int clients) throws IOException, InterruptedException {
        GroupRoles groups = GroupRoles.of(db.name());
        String role = "pgb_" + db.name().substring(db.name().lastIndexOf('_') + 1) + "_:n"; // roles belong to the cluster
        StringBuilder script = new StringBuilder("SELECT pg_catalog.nextval('bench_meta.pgbench_users') AS n \\gset\nBEGIN;\n");
        script.append("CREATE ROLE " + role + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT PASSWORD '")
                .append(verifier).append("';\n");
        for (String statement : SqlFile.of("grants/read-only.sql").statements()) {
            script.append(statement.replace(":\"username\"", role).replace(":\"database\"", "\"" + db.name() + "\"")
                    .replace(":\"owner\"", "\"" + db.owner() + "\"").replace(":\"readers\"", "\"" + groups.readers() + "\""))
                    .append(";\n");
        }
        script.append("COMMIT;\n");
        Path dir = Files.createTempDirectory("pgbench-");
        Path file = dir.resolve("create.sql");
        Files.writeString(file, script);
        List<String> command = List.of(PGBENCH, "-n", "-f", file.toString(), "-c", Integer.toString(clients),
                "-t", Integer.toString(Math.max(1, count / clients)), "-l", "--log-prefix=" + dir.resolve("log"), db.name());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).directory(dir.toFile());
        builder.environment().putAll(PgServer.shared().libpqEnvironment(db.name()));
        long start = System.nanoTime();
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = process.waitFor();
        long wall = System.nanoTime() - start;
        List<Long> latencies = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        try (Stream<Path> logs = Files.list(dir)) {
            for (Path log : logs.filter(p -> p.getFileName().toString().startsWith("log")).toList()) {
                for (String line : Files.readAllLines(log)) {
                    // client_id transaction_no time script_no time_epoch time_us
                    latencies.add(Long.parseLong(line.split(" ")[2]) * 1_000);
                }
            }
        }
        if (exit != 0) {
            failures.add(output.lines().filter(l -> l.contains("ERROR") || l.contains("error")).findFirst().orElse(output));
        }
        // pgbench's own figure excludes its connections' start; ours is the wall time of the same work
        long txWall = parseDuration(output, wall);
        return new Result(latencies.stream().mapToLong(Long::longValue).toArray(), txWall, failures);
    }

    /** pgbench's "tps = X (without initial connection time)" turned into the wall time of the transactions. */
    private static long parseDuration(String output, long fallback) {
        for (String line : output.lines().toList()) {
            if (line.startsWith("tps = ")) {
                double tps = Double.parseDouble(line.substring(6).split(" ")[0]);
                int processed = output.lines().filter(l -> l.startsWith("number of transactions actually processed"))
                        .map(l -> Integer.parseInt(l.replaceAll(".*: ([0-9]+).*", "$1"))).findFirst().orElse(0);
                return (long) (processed / tps * 1e9);
            }
        }
        return fallback;
    }

    private record Result(long[] latencies, long wallNanos, List<String> failures) {
        double rate() {
            return latencies.length / (wallNanos / 1e9);
        }

        double mean() {
            return Arrays.stream(latencies).average().orElse(Double.NaN) / 1e6;
        }

        double percentile(double p) {
            long[] sorted = latencies.clone();
            Arrays.sort(sorted);
            return sorted.length == 0 ? Double.NaN : sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] / 1e6;
        }

        void expectAll() {
            if (!failures.isEmpty()) {
                throw new IllegalStateException(failures.size() + " failed: " + failures.get(0));
            }
        }

        String row(String who) {
            return "| " + who + " | " + String.format(Locale.ROOT, "%.0f", rate()) + " | " + ms(percentile(0.5)) + " | "
                    + ms(percentile(0.99)) + " | " + (failures.isEmpty() ? "all " + latencies.length + " succeeded"
                    : failures.size() + " failed: " + failures.get(0)) + " |";
        }
    }

    private static String ms(double ms) {
        return String.format(Locale.ROOT, "%.1f", ms);
    }

    private void printReport() {
        System.out.println();
        report.forEach(System.out::println);
        System.out.println();
    }

    private static void say(String line) {
        System.err.println("[bench] " + line);
    }
}
