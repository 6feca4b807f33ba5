package io.pgusers.bench;

import io.pgusers.core.GroupRoles;
import io.pgusers.http.ApiClient;
import io.pgusers.http.ApiServer;
import io.pgusers.http.TestService;
import io.pgusers.sql.SqlFile;
import io.pgusers.testing.AppDatabase;
import io.pgusers.testing.Names;
import io.pgusers.testing.PgServer;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Issue 9's benchmark of {@code list}, {@code check} and {@code create} as the users grow (not a test: Surefire
 * does not run it). For 100 and then 1,000 users (nine in ten read-only, some with grants made by hand: SELECT on
 * a table of a writer's schema, INSERT on a table of public, a column), on a database of 10,000 tables with as many
 * sequences (8,000 of the protected user in public, which the documented statements grant every user; 2,000 of a
 * read-write user in a schema of its own), it times each command through the API of a warm {@code pgusers serve},
 * in a fresh JVM ({@code java io.pgusers.Main ...}), through the installed package's launcher ({@code /usr/bin/pgusers},
 * what a DBA on the host runs: a fresh JVM with its flags and class-data archive; left out when the package is not
 * installed), and by {@code /usr/bin/psql} running the same SQL: the three
 * queries of {@code list}, the two of {@code check}, the documented statements of a read-only user for
 * {@code create}. Median of 3 runs, in milliseconds; the users are made before the tables (their default privileges
 * then give each table its thousand entries at once: the same ACLs as granting afterwards, built in minutes).
 *
 * <pre>
 * mvn -B -q test-compile org.codehaus.mojo:exec-maven-plugin:3.5.0:java \
 *     -Dexec.mainClass=io.pgusers.bench.UsersScaleBenchmark -Dexec.classpathScope=test [-Dpgusers.test.postgres=13]
 * </pre>
 * {@code -Dbench.users=1000} measures only that number of users; {@code -Dbench.hold=true} prints each built
 * database's libpq environment and waits for Enter before measuring, to look at it by hand.
 */
public final class UsersScaleBenchmark {
    private static final int PUBLIC_TABLES = 8_000;
    private static final int SCHEMA_TABLES = 2_000;
    private static final int RUNS = 3;

    private final ApiClient api;
    private final List<String> rows = new ArrayList<>();

    private UsersScaleBenchmark(ApiClient api) {
        this.api = api;
    }

    public static void main(String[] args) throws Exception {
        PgServer pg = PgServer.forBenchmark();
        say("PostgreSQL " + pg.majorVersion() + ", " + Runtime.getRuntime().availableProcessors() + " cores");
        ApiServer server = Peers.service(pg);
        try {
            UsersScaleBenchmark bench = new UsersScaleBenchmark(new ApiClient("http://127.0.0.1:" + server.port(), TestService.TOKEN));
            for (String users : System.getProperty("bench.users", "100,1000").split(",")) {
                bench.measure(Integer.parseInt(users.strip()));
            }
            bench.report(pg);
        } finally {
            server.close();
        }
        System.exit(0);
    }

    private void measure(int users) throws Exception {
        long started = System.nanoTime();
        AppDatabase db = AppDatabase.provision("scale");
        List<String> readers = new ArrayList<>();
        List<String> writers = new ArrayList<>();
        creates(db, users * 9 / 10, true, readers);
        creates(db, users - users * 9 / 10 - 1, false, writers);
        String builder = Names.user("rw_builder");
        String builderPassword = db.createUser(builder, false);
        writers.add(builder);
        fill(db, db.owner(), db.ownerPassword(), "public", PUBLIC_TABLES);
        fill(db, builder, builderPassword, builder + "_space", SCHEMA_TABLES);
        handMade(db, builder, readers, writers);
        say(users + " users and " + (PUBLIC_TABLES + SCHEMA_TABLES) + " tables built in "
                + (System.nanoTime() - started) / 1_000_000_000 + " s");
        if (Boolean.getBoolean("bench.hold")) {
            // to look at the database by hand (EXPLAIN, psql): its libpq environment, then wait for Enter
            PgServer.shared().libpqEnvironment(db.name()).forEach((k, v) -> System.out.println("export " + k + "='" + v + "'"));
            System.out.println("[bench] holding the database; press Enter to go on");
            System.in.read();
        }

        String label = String.format(Locale.ROOT, "%,d users", users);
        String list = listQueries(db);
        if (Peers.launcherInstalled()) {
            Peers.launcher(db.name(), "", "list").expect(0); // its first run records the launcher's archive
        }
        time("`list`, " + label,
                () -> ms(() -> api.get("/databases/" + db.name() + "/users").expect(200)),
                () -> Peers.java(db.name(), "", "list", "--json").expect(0).ms(),
                () -> Peers.launcher(db.name(), "", "list", "--json").expect(0).ms(),
                () -> Peers.psql(db.name(), list));
        time("`check`, " + label,
                // exit 6: the readers given INSERT by hand
                () -> ms(() -> expect(6, db.cli().run("check").exitCode())),
                () -> Peers.java(db.name(), "", "check").expect(6).ms(),
                () -> Peers.launcher(db.name(), "", "check").expect(6).ms(),
                () -> Peers.psql(db.name(), checkQueries(db, readers, writers)));
        time("`create --read-only` of one more, " + label,
                () -> ms(() -> api.post("/databases/" + db.name() + "/users",
                        ApiClient.createBody(Names.user("ro_more"), true, null, null)).expect(201)),
                () -> Peers.java(db.name(), Names.password() + "\n", "create", "--read-only", "--password-stdin",
                        Names.user("ro_java")).expect(0).ms(),
                () -> Peers.launcher(db.name(), Names.password() + "\n", "create", "--read-only", "--password-stdin",
                        Names.user("ro_launcher")).expect(0).ms(),
                () -> Peers.psql(db.name(), readOnlyStatements(db, Names.user("ro_psql")), "-1"));
    }

    /** {@code count} users through the API, from 4 clients at once. */
    private void creates(AppDatabase db, int count, boolean readOnly, List<String> names) throws Exception {
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> running = new ArrayList<>();
        List<String> made = java.util.Collections.synchronizedList(names);
        for (int c = 0; c < 4; c++) {
            running.add(pool.submit(() -> {
                while (next.getAndIncrement() < count) {
                    String name = Names.user(readOnly ? "ro" : "rw");
                    api.post("/databases/" + db.name() + "/users", ApiClient.createBody(name, readOnly, null, null)).expect(201);
                    made.add(name);
                }
            }));
        }
        for (Future<?> f : running) {
            f.get();
        }
        pool.shutdown();
    }

    /** {@code count} tables with a serial each, created by {@code user}, 500 to a transaction. */
    private static void fill(AppDatabase db, String user, String password, String schema, int count) throws SQLException {
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

    /**
     * Grants made by hand, each giving some tables an ACL of their own: SELECT on a table of the writer's schema
     * for one reader in ten, INSERT on a table of public for five readers (who are then not read-only), UPDATE of
     * one column for three writers.
     */
    private static void handMade(AppDatabase db, String builder, List<String> readers, List<String> writers)
            throws SQLException {
        try (Connection c = db.superuser(); Statement s = c.createStatement()) {
            for (int i = 0; i < readers.size(); i += 10) {
                s.addBatch("GRANT SELECT ON " + builder + "_space.t_" + i + " TO " + readers.get(i));
            }
            for (int i = 0; i < Math.min(5, readers.size()); i++) {
                s.addBatch("GRANT INSERT ON public.t_" + (i * 7) + " TO " + readers.get(readers.size() - 1 - i));
            }
            for (int i = 0; i < Math.min(3, writers.size()); i++) {
                s.addBatch("GRANT UPDATE (v) ON public.t_" + (i * 11) + " TO " + writers.get(i));
            }
            s.executeBatch();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // psql running the same SQL

    /** list's three queries: the users, their roles, every ACL. */
    private static String listQueries(AppDatabase db) throws SQLException {
        String names = db.value("SELECT array_agg(rolname)::text FROM pg_roles WHERE rolcanlogin AND NOT rolsuper");
        return Peers.query("queries/database-users.sql", "'{}'", "NULL", "NULL")
                + Peers.query("queries/privilege-roles.sql", literal(names))
                + Peers.aclQuery();
    }

    /** check's two queries: every ACL, and the roles of the managed users and the groups. */
    private static String checkQueries(AppDatabase db, List<String> readers, List<String> writers) {
        GroupRoles groups = GroupRoles.of(db.name());
        List<String> roles = new ArrayList<>(readers);
        roles.addAll(writers);
        roles.add(db.owner());
        roles.add(groups.readers());
        roles.add(groups.writers());
        return Peers.aclQuery()
                + Peers.query("queries/privilege-roles.sql", literal("{" + String.join(",", roles.stream()
                .map(r -> "\"" + r + "\"").toList()) + "}"));
    }

    /** What create sends for a read-only user, as psql would: CREATE ROLE, then the documented statements. */
    private static String readOnlyStatements(AppDatabase db, String user) {
        GroupRoles groups = GroupRoles.of(db.name());
        StringBuilder script = new StringBuilder("CREATE ROLE " + user
                + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT;\n");
        for (String file : List.of("grants/read-only.sql", "grants/read-only-extra.sql")) {
            for (String statement : SqlFile.of(file).statements()) {
                script.append(statement.replace(":\"username\"", user).replace(":\"database\"", "\"" + db.name() + "\"")
                        .replace(":\"owner\"", "\"" + db.owner() + "\"").replace(":\"readers\"", "\"" + groups.readers() + "\""))
                        .append(";\n");
            }
        }
        return script.toString();
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    // ---------------------------------------------------------------------------------------------

    /** The median of each; the launcher's is left out ("-") when the package is not installed. */
    private void time(String operation, LongSupplier warm, LongSupplier freshJvm, LongSupplier launcher, LongSupplier psql) {
        boolean installed = Peers.launcherInstalled();
        long[] a = new long[RUNS];
        long[] b = new long[RUNS];
        long[] l = new long[RUNS];
        long[] c = new long[RUNS];
        for (int i = 0; i < RUNS; i++) {
            a[i] = warm.getAsLong();
            b[i] = freshJvm.getAsLong();
            l[i] = installed ? launcher.getAsLong() : 0;
            c[i] = psql.getAsLong();
        }
        String row = "| " + operation + " | " + median(a) + " | " + median(b) + " | " + (installed ? median(l) : "-")
                + " | " + median(c) + " |";
        rows.add(row);
        say(row);
    }

    private void report(PgServer pg) {
        System.out.println();
        System.out.println("PostgreSQL " + pg.majorVersion() + ", " + (PUBLIC_TABLES + SCHEMA_TABLES)
                + " tables and as many sequences; median of " + RUNS + " runs, milliseconds");
        System.out.println();
        System.out.println("| operation | pgusers serve (API) or in-process | pgusers java (fresh JVM) "
                + "| /usr/bin/pgusers (fresh JVM, the launcher) | psql, same SQL |");
        System.out.println("|---|---:|---:|---:|---:|");
        rows.forEach(System.out::println);
    }

    private static long ms(Runnable work) {
        long start = System.nanoTime();
        work.run();
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static void expect(int expected, int exitCode) {
        if (exitCode != expected) {
            throw new IllegalStateException("exit " + exitCode + ", expected " + expected);
        }
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static void say(String line) {
        System.err.println("[bench] " + line);
    }
}
