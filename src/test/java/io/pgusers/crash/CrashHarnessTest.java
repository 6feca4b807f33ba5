package io.pgusers.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgusers.http.ApiClient;
import io.pgusers.http.ApiServer;
import io.pgusers.http.ServeProcess;
import io.pgusers.http.TestService;
import io.pgusers.testing.AppDatabase;
import io.pgusers.testing.CliProcess;
import io.pgusers.testing.CliRun;
import io.pgusers.testing.Names;
import io.pgusers.testing.PgProxy;
import io.pgusers.testing.PgServer;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 8: every operation can be finished by running it again, wherever it was cut. Each operation runs
 * through {@link PgProxy}, which holds it at its k-th statement (k spread over all it sends); there it is
 * cut, one of four ways: its process killed (-9), stopped (SIGTERM), its backend ended from another session,
 * or every connection dropped. Then:
 * <ul>
 *   <li>every managed user has exactly its promised access, and every member of a group its promise: check
 *       passes (a user whose delete was cut short is the one difference it may report);</li>
 *   <li>no table and no row was lost;</li>
 *   <li>what the operation leaves is one of its two ends, never a mix (no user, or the user with its access;
 *       the old password or the new one);</li>
 *   <li>running the same command again finishes the work, exit 0.</li>
 * </ul>
 * Through the CLI (create, update-password, delete, provision) and through serve (create, update-password,
 * delete: the API has no provision).
 */
@Tag("crash")
class CrashHarnessTest {
    private static final int POINTS = 10;

    enum Cut { KILL, ENDED_BACKEND, LOST_CONNECTION, SIGTERM }

    static AppDatabase db;
    static AppDatabase other;
    static PgProxy proxy;

    @BeforeAll
    static void setUp() throws Exception {
        db = AppDatabase.provision("crash");
        other = AppDatabase.provision("crash_other");
        try (Connection owner = db.loginAsOwner(); Statement s = owner.createStatement()) {
            s.execute("CREATE TABLE kept (id int)");
            s.execute("INSERT INTO kept SELECT generate_series(1, 10)");
        }
        proxy = new PgProxy();
    }

    @AfterAll
    static void tearDown() {
        proxy.close();
    }

    // ---------------------------------------------------------------------------------------------
    // The operations

    /** One run of an operation, on what it was prepared for. */
    interface Scenario {
        /** The command line, and its standard input. */
        String[] args();

        String stdin();

        /** The request of the API doing the same; null when the API does not do it. */
        String[] request();

        /** What must hold wherever the run was cut. */
        void assertOneEndOrTheOther() throws Exception;

        /** Runs the command again, or the request, and checks the work is done. */
        void finish(boolean viaApi, ApiClient api) throws Exception;

        /** What the run that was cut printed on standard output (provision may have shown a password). */
        default void firstRun(String out) {
        }
    }

    interface Operation {
        Scenario prepare(int point) throws Exception;
    }

    static final Operation CREATE = point -> {
        String name = Names.user("crash_c");
        String password = Names.password();
        boolean readOnly = point % 2 == 0;
        return new Scenario() {
            public String[] args() {
                return readOnly ? new String[] {"create", "--read-only", "--password-stdin", name}
                        : new String[] {"create", "--password-stdin", name};
            }

            public String stdin() {
                return password + "\n";
            }

            public String[] request() {
                return new String[] {"POST", "/databases/" + db.name() + "/users",
                    ApiClient.createBody(name, readOnly, password, password)};
            }

            public void assertOneEndOrTheOther() throws Exception {
                if (db.roleExists(name)) {
                    assertLogsIn(name, password);
                    assertEquals(readOnly ? "f" : "t", db.value("SELECT has_database_privilege('" + name
                            + "', current_database(), 'CREATE')"), "the user has its full access, or does not exist");
                }
            }

            public void finish(boolean viaApi, ApiClient api) throws Exception {
                if (viaApi) {
                    int status = api.send("POST", request()[1], request()[2]).status();
                    assertTrue(status == 201 || status == 409, "created, or there already: " + status);
                } else {
                    List<String> again = new ArrayList<>(List.of(args()));
                    again.add(again.size() - 2, "--if-not-exists");
                    expect(0, db.cli().stdin(stdin()).run(again.toArray(String[]::new)));
                }
                assertLogsIn(name, password);
            }
        };
    };

    static final Operation UPDATE_PASSWORD = point -> {
        String name = Names.user("crash_u");
        String before = db.createUser(name, point % 2 == 0);
        String after = Names.password();
        return new Scenario() {
            public String[] args() {
                return new String[] {"update-password", "--password-stdin", name};
            }

            public String stdin() {
                return after + "\n";
            }

            public String[] request() {
                return new String[] {"PATCH", "/databases/" + db.name() + "/users/" + name, ApiClient.passwordBody(after, after)};
            }

            public void assertOneEndOrTheOther() throws Exception {
                assertNotEquals(logsIn(name, before), logsIn(name, after), "the old password or the new one, never neither");
            }

            public void finish(boolean viaApi, ApiClient api) throws Exception {
                if (viaApi) {
                    api.send("PATCH", request()[1], request()[2]).expect(200);
                } else {
                    expect(0, db.cli().stdin(stdin()).run(args()));
                }
                assertLogsIn(name, after);
                assertFalse(logsIn(name, before));
            }
        };
    };

    static final Operation DELETE = point -> {
        String name = Names.user("crash_d");
        String password = db.createUser(name, false);
        try (Connection c = db.login(name, password); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE made_by_" + name + " (v int)");
            s.execute("INSERT INTO made_by_" + name + " VALUES (1), (2), (3)");
        }
        other.sql("GRANT CONNECT ON DATABASE " + other.name() + " TO " + name);
        other.sql("GRANT CREATE ON SCHEMA public TO " + name);
        try (Connection c = PgServer.shared().connect(other.name(), name, password); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE elsewhere_" + name + " (v int)");
            s.execute("INSERT INTO elsewhere_" + name + " VALUES (4)");
        }
        expect(0, other.cli().run("repair")); // a table a stranger made there: its users get it, as they should
        return new Scenario() {
            public String[] args() {
                return new String[] {"delete", name};
            }

            public String stdin() {
                return "";
            }

            public String[] request() {
                return new String[] {"DELETE", "/databases/" + db.name() + "/users/" + name, null};
            }

            public void assertOneEndOrTheOther() throws Exception {
                assertEquals("3", db.value("SELECT count(*) FROM made_by_" + name), "its table stays, rows and all");
                assertEquals("1", other.value("SELECT count(*) FROM elsewhere_" + name), "in the other database too");
            }

            public void finish(boolean viaApi, ApiClient api) throws Exception {
                if (viaApi) {
                    int status = api.send("DELETE", request()[1], null).status();
                    assertTrue(status == 204 || status == 404, "deleted, or gone already: " + status);
                } else {
                    expect(0, db.cli().run("delete", "--if-exists", name));
                }
                assertFalse(db.roleExists(name));
                assertEquals(db.owner(), db.value("SELECT tableowner FROM pg_tables WHERE tablename = 'made_by_" + name + "'"));
                assertOneEndOrTheOther();
            }
        };
    };

    static final Operation PROVISION = point -> {
        String database = "crash_p_" + PgServer.randomToken(8);
        String owner = Names.user("crash_o");
        return new Scenario() {
            String shown;

            public String[] args() {
                return new String[] {"-d", database, "provision", "--owner", owner, "--json"};
            }

            public String stdin() {
                return "";
            }

            public String[] request() {
                return null;
            }

            public void assertOneEndOrTheOther() throws Exception {
                // a database provision made is never open to PUBLIC: closed to connections, or open to its users only
                try (Connection c = PgServer.shared().connectAsSuperuser("postgres"); Statement s = c.createStatement();
                     var rs = s.executeQuery("SELECT datallowconn, has_database_privilege('public', datname, 'CONNECT') "
                             + "FROM pg_database WHERE datname = '" + database + "'")) {
                    if (rs.next()) {
                        assertFalse(rs.getBoolean(1) && rs.getBoolean(2), "never open to every role");
                    }
                }
            }

            public void finish(boolean viaApi, ApiClient api) throws Exception {
                CliRun run = CliRun.against(database).run("provision", "--owner", owner, "--json");
                expect(0, run);
                JsonNode result = AppDatabase.json(run.out());
                String password = result.has("password") ? result.get("password").asText() : shown;
                assertTrue(password != null, "a password was shown, by this run or by the one cut short: " + run);
                try (Connection c = PgServer.shared().connect(database, owner, password)) {
                    assertTrue(c.isValid(2), "the protected user logs in with the password last shown");
                }
                expect(0, CliRun.against(database).run("check"));
                expect(0, CliRun.against(database).run("list"));
            }

            @Override
            public void firstRun(String out) {
                for (String line : out.lines().toList()) {
                    if (line.startsWith("{")) {
                        JsonNode json = AppDatabase.json(line);
                        if (json.has("password")) {
                            shown = json.get("password").asText();
                        }
                    }
                }
            }
        };
    };

    // ---------------------------------------------------------------------------------------------
    // The harness

    @Test
    void createCutAnywhereThroughTheCliIsFinishedByRunningItAgain() throws Exception {
        cutEverywhere(CREATE, false);
    }

    @Test
    void updatePasswordCutAnywhereThroughTheCliIsFinishedByRunningItAgain() throws Exception {
        cutEverywhere(UPDATE_PASSWORD, false);
    }

    @Test
    void deleteCutAnywhereThroughTheCliIsFinishedByRunningItAgain() throws Exception {
        cutEverywhere(DELETE, false);
    }

    @Test
    void provisionCutAnywhereIsFinishedByRunningItAgain() throws Exception {
        cutEverywhere(PROVISION, false);
    }

    @Test
    void createCutAnywhereThroughServeIsFinishedByRunningItAgain() throws Exception {
        cutEverywhere(CREATE, true);
    }

    @Test
    void updatePasswordCutAnywhereThroughServeIsFinishedByRunningItAgain() throws Exception {
        cutEverywhere(UPDATE_PASSWORD, true);
    }

    @Test
    void deleteCutAnywhereThroughServeIsFinishedByRunningItAgain() throws Exception {
        cutEverywhere(DELETE, true);
    }

    private static void cutEverywhere(Operation operation, boolean viaApi) throws Exception {
        Map<String, String> tablesBefore = tablesAndRows();
        try (ApiServer service = viaApi ? TestService.start(TestService.logins("127.0.0.1", proxy.port()),
                TestService.options(Duration.ofSeconds(10))) : null) {
            ApiClient api = service == null ? null : new ApiClient("http://127.0.0.1:" + service.port(), TestService.TOKEN);
            int statements = measure(operation, viaApi, api);
            List<String> cuts = new ArrayList<>();
            int cut = 0;
            // a few more candidates than cuts: a run may send fewer statements than the one measured
            int candidates = POINTS + 4;
            for (int i = 0; i < candidates && cut < POINTS; i++) {
                int point = 1 + (int) Math.round(i * (statements - 1) / (double) (candidates - 1));
                Cut how = Cut.values()[cut % Cut.values().length];
                Scenario scenario = operation.prepare(i);
                boolean wasCut = runCut(scenario, point, how, viaApi, api);
                cut += wasCut ? 1 : 0;
                cuts.add(point + "/" + statements + " " + how + (wasCut ? "" : " (it ended first)"));
                assertConsistent(scenario, cuts);
                scenario.finish(viaApi, direct(viaApi));
                assertConsistent(null, cuts);
            }
            System.out.println("cut " + (viaApi ? "serve" : "the CLI") + " at: " + String.join(", ", cuts));
            assertEquals(POINTS, cut, "cut at " + POINTS + " points: " + cuts);
        }
        Map<String, String> tablesAfter = tablesAndRows();
        tablesBefore.forEach((table, rows) -> assertEquals(rows, tablesAfter.get(table), "table " + table + " and its rows"));
    }

    /** How many statements one whole run sends. */
    private static int measure(Operation operation, boolean viaApi, ApiClient api) throws Exception {
        Scenario scenario = operation.prepare(1);
        int before = proxy.statements();
        if (viaApi) {
            String[] request = scenario.request();
            int status = api.send(request[0], request[1], request[2]).status();
            assertTrue(status < 300, "the run that counts statements succeeds: " + status);
        } else {
            expect(0, db.cli().env("PGHOST", "127.0.0.1").env("PGPORT", String.valueOf(proxy.port())).stdin(scenario.stdin())
                    .run(scenario.args()));
        }
        int statements = proxy.statements() - before;
        assertTrue(statements >= POINTS, "the operation sends " + statements + " statements");
        return statements;
    }

    /** Runs {@code scenario} through the proxy and cuts it before its {@code point}th statement; false if it ended first. */
    private static boolean runCut(Scenario scenario, int point, Cut cut, boolean viaApi, ApiClient api) throws Exception {
        Map<String, String> env = Map.of("PGHOST", "127.0.0.1", "PGPORT", String.valueOf(proxy.port()));
        proxy.stopBefore(point);
        try {
            if (!viaApi && (cut == Cut.KILL || cut == Cut.SIGTERM)) {
                try (CliProcess process = CliProcess.start(db.name(), env, scenario.stdin(), scenario.args())) {
                    boolean stopped = awaitStoppedOr(() -> !process.process().isAlive());
                    if (stopped) {
                        if (cut == Cut.KILL) {
                            process.process().destroyForcibly();
                        } else {
                            process.process().toHandle().destroy();
                        }
                    }
                    process.exitCode(30);
                    scenario.firstRun(process.out());
                    return stopped;
                }
            }
            if (viaApi && (cut == Cut.KILL || cut == Cut.SIGTERM)) {
                proxy.forwardAll();
                try (ServeProcess serve = ServeProcess.start(env, "--listen", "127.0.0.1:0", "--stop-timeout", "0.5")) {
                    proxy.stopBefore(point); // counted from here: the service's start-up sent statements too
                    String[] request = scenario.request();
                    CompletableFuture<ApiClient.Answer> answer = serve.api().sendAsync(request[0], request[1], request[2]);
                    boolean stopped = awaitStoppedOr(answer::isDone);
                    if (stopped) {
                        proxy.forwardAll();
                        if (cut == Cut.KILL) {
                            serve.process().destroyForcibly();
                        } else {
                            serve.terminate();
                            assertEquals(0, serve.awaitExit(Duration.ofSeconds(30)), serve::stderr);
                        }
                    }
                    serve.process().destroyForcibly();
                    serve.process().waitFor(30, TimeUnit.SECONDS);
                    return stopped;
                }
            }
            CompletableFuture<?> run = viaApi
                    ? CompletableFuture.supplyAsync(() -> api.send(scenario.request()[0], scenario.request()[1], scenario.request()[2]))
                    : CompletableFuture.supplyAsync(() -> {
                        CliRun result = db.cli().env("PGHOST", "127.0.0.1").env("PGPORT", String.valueOf(proxy.port()))
                                .stdin(scenario.stdin()).run(scenario.args());
                        scenario.firstRun(result.out());
                        return result;
                    });
            boolean stopped = awaitStoppedOr(run::isDone);
            if (stopped) {
                proxy.forwardAll(); // what the agent sends next (a retry, an undo) goes through; the held one stays held
                if (cut == Cut.ENDED_BACKEND) {
                    endBackend(proxy.awaitStopped(1, TimeUnit.SECONDS));
                } else {
                    proxy.cut();
                }
            }
            run.get(60, TimeUnit.SECONDS);
            return stopped;
        } finally {
            proxy.forwardAll();
            proxy.cut();
        }
    }

    private interface Condition {
        boolean holds();
    }

    /** Waits until the proxy holds a statement (true) or {@code ended} (false). */
    private static boolean awaitStoppedOr(Condition ended) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (proxy.awaitStopped(20, TimeUnit.MILLISECONDS) != 0) {
                return true;
            }
            if (ended.holds()) {
                return proxy.awaitStopped(1, TimeUnit.MILLISECONDS) != 0;
            }
        }
        throw new AssertionError("the operation neither ended nor reached its cut");
    }

    private static void endBackend(int pid) throws SQLException {
        try (Connection c = PgServer.shared().connectAsSuperuser("postgres"); Statement s = c.createStatement()) {
            s.execute("SELECT pg_terminate_backend(" + pid + ")");
        }
    }

    /** check passes on both databases (a user being deleted is the one difference it may show), the rest too. */
    private static void assertConsistent(Scenario scenario, List<String> cuts) throws Exception {
        for (AppDatabase database : List.of(db, other)) {
            CliRun check = database.cli().run("check", "--json");
            if (check.exitCode() == 6) {
                for (JsonNode difference : AppDatabase.json(check.out()).get("differences")) {
                    assertEquals("deletion", difference.get("kind").asText(), "after " + cuts + ": " + check.out());
                }
            } else {
                assertEquals(0, check.exitCode(), "after " + cuts + ": " + check);
            }
        }
        if (scenario != null) {
            scenario.assertOneEndOrTheOther();
        }
        assertEquals("10", db.value("SELECT count(*) FROM kept"));
    }

    private static ApiClient direct(boolean viaApi) {
        return viaApi ? TestService.client() : null;
    }

    private static Map<String, String> tablesAndRows() throws SQLException {
        Map<String, String> tables = new TreeMap<>();
        for (AppDatabase database : List.of(db, other)) {
            try (Connection c = database.superuser(); Statement s = c.createStatement();
                 var rs = s.executeQuery("SELECT relname FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace")) {
                List<String> names = new ArrayList<>();
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
                for (String name : names) {
                    tables.put(database.name() + "." + name, database.value("SELECT count(*) FROM " + name));
                }
            }
        }
        return tables;
    }

    private static void assertLogsIn(String user, String password) {
        assertTrue(logsIn(user, password), user + " logs in with its password");
    }

    private static boolean logsIn(String user, String password) {
        try (Connection c = db.login(user, password)) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    private static void expect(int code, CliRun run) {
        assertEquals(code, run.exitCode(), run::toString);
    }
}
