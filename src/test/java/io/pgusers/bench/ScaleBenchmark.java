package io.pgusers.bench;

import io.pgusers.core.Access;
import io.pgusers.core.GroupRoles;
import io.pgusers.core.Promise;
import io.pgusers.sql.SqlFile;
import io.pgusers.testing.AppDatabase;
import io.pgusers.testing.CliRun;
import io.pgusers.testing.Names;
import io.pgusers.testing.PgServer;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Issue 3's scale benchmark (not a test: Surefire does not run it). Starts its own embedded PostgreSQL
 * (major version: system property {@code pgusers.test.postgres}, default 18), provisions a database, fills it
 * with 10,000 tables (each with a serial, so 10,000 sequences too: 8,000 of the protected user in public,
 * 2,000 of a read-write user in a schema of its own), then times {@code create --read-only}, {@code create},
 * {@code check} and {@code delete}, and {@code check} and {@code repair} on 1,000 tables a superuser made,
 * each next to psql ({@code /usr/bin/psql}) running the same SQL: the same files of {@code sql/} for the grants
 * and queries, the statements pgusers printed for repair. Each figure is the median of 3 runs.
 *
 * <pre>
 * mvn -B -q test-compile org.codehaus.mojo:exec-maven-plugin:3.5.0:java \
 *     -Dexec.mainClass=io.pgusers.bench.ScaleBenchmark -Dexec.classpathScope=test [-Dpgusers.test.postgres=13]
 * </pre>
 *
 * "pgusers in-process" is the command run in a warm JVM (what the HTTP agent pays); "pgusers java" is
 * {@code java io.pgusers.Main ...} started afresh (what a shell or a hook pays, JVM start included).
 */
public final class ScaleBenchmark {
    private static final int PUBLIC_TABLES = 8_000;
    private static final int SCHEMA_TABLES = 2_000;
    private static final int DRIFTED_TABLES = 1_000;
    private static final int RUNS = 3;

    private final AppDatabase db;
    private final GroupRoles groups;
    private final Map<String, String> results = new LinkedHashMap<>();

    private ScaleBenchmark(AppDatabase db) {
        this.db = db;
        this.groups = GroupRoles.of(db.name());
    }

    public static void main(String[] args) throws Exception {
        PgServer server = PgServer.forBenchmark();
        say("PostgreSQL " + server.majorVersion() + ", " + Runtime.getRuntime().availableProcessors() + " cores");
        ScaleBenchmark bench = new ScaleBenchmark(AppDatabase.provision("bench"));
        bench.run();
        System.exit(0);
    }

    private void run() throws Exception {
        long started = System.nanoTime();
        String writer = create(Names.user("rw_builder"), false, false);
        fill(db.owner(), db.ownerPassword(), "public", PUBLIC_TABLES);
        fill(writer, passwords.get(writer), writer + "_space", SCHEMA_TABLES);
        say("built " + (PUBLIC_TABLES + SCHEMA_TABLES) + " tables in " + seconds(System.nanoTime() - started) + " s");

        time("create --read-only",
                () -> ms(() -> create(Names.user("ro_bench"), true, false)),
                () -> ms(() -> create(Names.user("ro_java"), true, true)),
                () -> psqlCreate(Names.user("ro_psql"), "read-only"));
        List<String> inProcessWriters = new ArrayList<>();
        List<String> javaWriters = new ArrayList<>();
        List<String> psqlWriters = new ArrayList<>();
        time("create (read-write)",
                () -> ms(() -> inProcessWriters.add(create(Names.user("rw_bench"), false, false))),
                () -> ms(() -> javaWriters.add(create(Names.user("rw_java"), false, true))),
                () -> {
                    String name = Names.user("rw_psql");
                    psqlWriters.add(name);
                    return psqlCreate(name, "read-write");
                });
        time("check (no drift)",
                () -> ms(() -> expect(0, cli(false, "check"))),
                () -> ms(() -> expect(0, cli(true, "check"))),
                this::psqlCheck);
        time("delete (read-write)",
                () -> ms(() -> expect(0, cli(false, "delete", inProcessWriters.remove(0)))),
                () -> ms(() -> expect(0, cli(true, "delete", javaWriters.remove(0)))),
                () -> psqlDelete(psqlWriters.remove(0)));

        buildDrift();
        time("check (1,000 drifted tables)",
                () -> ms(() -> expect(6, cli(false, "check"))),
                () -> ms(() -> expect(6, cli(true, "check"))),
                this::psqlCheck);
        String statements = cli(false, "repair", "--dry-run").out();
        say("repair plans " + statements.lines().filter(l -> l.endsWith(";")).count() + " statements");
        time("repair (1,000 drifted tables)",
                () -> {
                    long ms = ms(() -> expect(0, cli(false, "repair")));
                    undoRepair();
                    return ms;
                },
                () -> {
                    long ms = ms(() -> expect(0, cli(true, "repair")));
                    undoRepair();
                    return ms;
                },
                () -> {
                    long ms = psql("BEGIN;\n" + statements + "COMMIT;\n");
                    undoRepair();
                    return ms;
                });
        report();
    }

    // ---------------------------------------------------------------------------------------------

    private final Map<String, String> passwords = new LinkedHashMap<>();

    private String create(String user, boolean readOnly, boolean freshJvm) {
        String password = Names.password();
        passwords.put(user, password);
        List<String> args = new ArrayList<>(List.of("create", "--password-stdin"));
        if (readOnly) {
            args.add("--read-only");
        }
        args.add(user);
        expect(0, freshJvm ? java(password + "\n", args.toArray(String[]::new))
                : Run.of(db.cli().stdin(password + "\n").run(args.toArray(String[]::new))));
        return user;
    }

    /** {@code count} tables with a serial each, created by {@code user}, 500 to a transaction. */
    private void fill(String user, String password, String schema, int count) throws SQLException {
        try (Connection c = db.login(user, password); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
            c.setAutoCommit(false);
            for (int i = 0; i < count; i++) {
                s.addBatch("CREATE TABLE " + schema + ".t_" + i + " (id serial PRIMARY KEY, v text)");
                if (i % 500 == 499 || i == count - 1) {
                    s.executeBatch();
                    c.commit();
                }
            }
        }
    }

    /** 1,000 tables in public that the superuser made: nobody but it can use them. */
    private void buildDrift() throws SQLException {
        try (Connection c = db.superuser(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            for (int i = 0; i < DRIFTED_TABLES; i++) {
                s.addBatch("CREATE TABLE public.drifted_" + i + " (v text)");
            }
            s.executeBatch();
            c.commit();
        }
    }

    private void undoRepair() {
        try {
            db.sql("DO $$ BEGIN FOR i IN 0.." + (DRIFTED_TABLES - 1) + " LOOP EXECUTE format("
                    + "'REVOKE ALL ON public.drifted_%s FROM \"" + groups.readers() + "\", \"" + groups.writers() + "\"', i);"
                    + " END LOOP; END $$");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // psql running the same SQL

    private long psqlCreate(String user, String access) {
        String setup = "SET client_min_messages = warning;\nCREATE ROLE " + user
                + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT;\n";
        List<String> files = new ArrayList<>(List.of("grants/" + access + ".sql", "grants/" + access + "-extra.sql"));
        if (access.equals("read-write")) {
            files.add("grants/writer-defaults.sql");
        }
        StringBuilder script = new StringBuilder(setup);
        for (String file : files) {
            script.append(text(file)).append('\n');
        }
        long ms = psql(script.toString(), "-1", "-v", "username=" + user, "-v", "database=" + db.name(),
                "-v", "owner=" + db.owner(), "-v", "readers=" + groups.readers(), "-v", "writers=" + groups.writers(),
                "-v", "writer=" + user);
        register(user, access); // as pgusers promises it (not timed), so that check counts it as a managed user
        return ms;
    }

    /** pgusers' promise on the role, as create writes it: what makes check compare it as a managed user. */
    private void register(String user, String access) {
        Promise promise = Promise.of(db.name(), Promise.Standing.user(access.equals("read-only") ? Access.READ_ONLY : Access.READ_WRITE));
        try (Connection c = PgServer.shared().connectAsSuperuser("postgres"); Statement s = c.createStatement()) {
            s.execute("COMMENT ON ROLE " + user + " IS '" + promise.comment(java.util.Optional.empty()).replace("'", "''") + "'");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private long psqlCheck() {
        String roles = "'{" + String.join(",", passwords.keySet()) + "," + db.owner() + ",\"" + groups.readers()
                + "\",\"" + groups.writers() + "\"}'";
        String script = Peers.aclQuery() + "\\o /dev/null\n"
                + SqlFile.of("queries/privilege-roles.sql").query().replace("?::text[]", roles + "::text[]") + ";\n";
        return psql(script);
    }

    private long psqlDelete(String user) {
        return psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '" + user + "'"
                + " AND pid <> pg_backend_pid();\nBEGIN;\nREASSIGN OWNED BY " + user + " TO " + db.owner() + ";\n"
                + "DROP OWNED BY " + user + ";\nDROP ROLE " + user + ";\nCOMMIT;\n");
    }

    /** Runs {@code script} with psql on the application database; returns its wall time in ms. */
    private long psql(String script, String... options) {
        return Peers.psql(db.name(), script, options);
    }

    private static String text(String file) {
        return String.join("\n", SqlFile.of(file).statements().stream().map(s -> s + ";").toList());
    }

    // ---------------------------------------------------------------------------------------------
    // pgusers, in-process or in a fresh JVM

    /** What a command did: its exit code and output, whether run in-process or in a fresh JVM. */
    private record Run(int exitCode, String out, String err) {
        static Run of(CliRun run) {
            return new Run(run.exitCode(), run.out(), run.err());
        }
    }

    private Run cli(boolean freshJvm, String... args) {
        return freshJvm ? java("", args) : Run.of(db.cli().run(args));
    }

    private Run java(String stdin, String... args) {
        Peers.Run run = Peers.java(db.name(), stdin, args);
        return new Run(run.exitCode(), run.out(), run.err());
    }

    // ---------------------------------------------------------------------------------------------

    private void time(String operation, Supplier<Long> inProcess, Supplier<Long> freshJvm, Supplier<Long> psql) {
        long[] a = new long[RUNS];
        long[] b = new long[RUNS];
        long[] c = new long[RUNS];
        for (int i = 0; i < RUNS; i++) {
            a[i] = inProcess.get();
            b[i] = freshJvm.get();
            c[i] = psql.get();
        }
        String row = "| " + operation + " | " + median(a) + " | " + median(b) + " | " + median(c) + " |";
        results.put(operation, row);
        say(row);
    }

    private void report() {
        System.out.println();
        System.out.println("PostgreSQL " + PgServer.shared().majorVersion() + ", " + (PUBLIC_TABLES + SCHEMA_TABLES)
                + " tables and as many sequences; median of " + RUNS + " runs, milliseconds");
        System.out.println();
        System.out.println("| operation | pgusers in-process | pgusers java (fresh JVM) | psql, same SQL |");
        System.out.println("|---|---:|---:|---:|");
        results.values().forEach(System.out::println);
    }

    private static long ms(Runnable work) {
        long start = System.nanoTime();
        work.run();
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static void expect(int exitCode, Run run) {
        if (run.exitCode() != exitCode) {
            throw new IllegalStateException("expected exit " + exitCode + ": " + run);
        }
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static String seconds(long nanos) {
        return String.format("%.1f", nanos / 1e9);
    }

    private static void say(String line) {
        System.err.println("[bench] " + line);
    }
}
