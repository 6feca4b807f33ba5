package io.pgusers.http;

import static io.pgusers.http.ApiClient.createBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgusers.testing.AppDatabase;
import io.pgusers.testing.CliRun;
import io.pgusers.testing.Names;
import io.pgusers.testing.PgServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Many requests at once on one server: they serialize on the agent's advisory lock and retry on
 * concurrency errors, so each ends as if it had run alone.
 */
class ServeLoadTest {
    static AppDatabase db;
    static ApiClient api;
    static String users;

    @BeforeAll
    static void setUp() throws SQLException {
        db = AppDatabase.provision("load");
        api = TestService.client();
        users = "/databases/" + db.name() + "/users";
        try (Connection owner = db.loginAsOwner(); Statement s = owner.createStatement()) {
            s.execute("CREATE TABLE ledger (id serial PRIMARY KEY, amount int)");
        }
    }

    @Test
    void fiftyConcurrentCreatesOfDistinctNamesAllSucceedEachWithItsAccess() throws SQLException {
        Map<String, Boolean> wanted = new LinkedHashMap<>();
        for (int i = 0; i < 50; i++) {
            wanted.put(Names.user("load" + i), i % 2 == 1);
        }
        List<CompletableFuture<ApiClient.Answer>> answers = new ArrayList<>();
        wanted.forEach((name, readOnly) -> answers.add(api.sendAsync("POST", users, createBody(name, readOnly, null, null))));
        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).join();

        List<String> failures = answers.stream().map(CompletableFuture::join)
                .filter(a -> a.status() != 201).map(a -> a.status() + " " + a.body()).toList();
        assertEquals(List.of(), failures, "every create is 201");
        assertEquals(50, answers.stream().map(a -> a.join().requestId()).distinct().count(), "one request id each");

        // In PostgreSQL: each role exists, and can write the owner's table or not, as asked.
        assertAccess(wanted);
        // And the API lists them all with their access.
        Map<String, Boolean> listed = new HashMap<>();
        api.get(users).expect(200).json().get("database-users")
                .forEach(u -> listed.put(u.get("name").asText(), u.get("read_only").asBoolean()));
        wanted.forEach((name, readOnly) -> assertEquals(readOnly, listed.get(name), name));
    }

    @Test
    void tenConcurrentCreatesOfOneNameGiveOne201AndNine409() throws SQLException {
        String name = Names.user("contended");
        List<CompletableFuture<ApiClient.Answer>> answers = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            answers.add(api.sendAsync("POST", users, createBody(name, i % 2 == 0, null, null)));
        }
        Map<Integer, Long> statuses = answers.stream().map(CompletableFuture::join)
                .collect(Collectors.groupingBy(ApiClient.Answer::status, Collectors.counting()));
        assertEquals(Map.of(201, 1L, 409, 9L), statuses);
        answers.stream().map(CompletableFuture::join).filter(a -> a.status() == 409)
                .forEach(a -> assertEquals("User \"" + name + "\" already exists", a.error()));
        ApiClient.Answer winner = answers.stream().map(CompletableFuture::join).filter(a -> a.status() == 201)
                .findFirst().orElseThrow();
        db.login(name, winner.user().get("password").asText()).close();
        assertEquals("1", db.value("SELECT count(*) FROM pg_roles WHERE rolname = '" + name + "'"));
    }

    @Test
    void oneNameSentToTwoDatabasesAtOnceIsCreatedOnce() throws SQLException {
        // Advisory locks belong to one database, role names to the whole instance: here the two
        // CREATE ROLEs do not wait for each other's lock, only for each other's row.
        AppDatabase other = AppDatabase.provision("load2");
        String otherUsers = "/databases/" + other.name() + "/users";
        for (int round = 0; round < 3; round++) {
            String name = Names.user("across");
            List<CompletableFuture<ApiClient.Answer>> answers = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                answers.add(api.sendAsync("POST", i % 2 == 0 ? users : otherUsers, createBody(name, false, null, null)));
            }
            Map<Integer, Long> statuses = answers.stream().map(CompletableFuture::join)
                    .collect(Collectors.groupingBy(ApiClient.Answer::status, Collectors.counting()));
            assertEquals(Map.of(201, 1L, 409, 9L), statuses, () -> answers.stream().map(CompletableFuture::join)
                    .filter(a -> a.status() != 201 && a.status() != 409).map(ApiClient.Answer::body).toList().toString());
        }
    }

    @Test
    void aFreshServiceWhosePoolsAreEmptyAnswersABurstOfCreatesAsItsFirstRequests() throws Exception {
        // its pools hold no connection yet, and every request of the burst asks for one at once: none of them
        // may take the pool for one that the server emptied (an outage) and replace it under the others' feet
        for (int round = 0; round < 3; round++) {
            try (ApiServer fresh = TestService.start(TestService.logins(PgServer.shared().host(), PgServer.shared().port()),
                    TestService.options(Duration.ofSeconds(60)))) {
                ApiClient cold = new ApiClient("http://127.0.0.1:" + fresh.port(), TestService.TOKEN);
                Map<String, Boolean> wanted = new LinkedHashMap<>();
                for (int i = 0; i < 16; i++) {
                    wanted.put(Names.user("cold" + round + "_" + i), i % 2 == 0);
                }
                List<CompletableFuture<ApiClient.Answer>> answers = new ArrayList<>();
                wanted.forEach((name, readOnly) -> answers.add(cold.sendAsync("POST", users, createBody(name, readOnly, null, null))));
                List<String> failures = answers.stream().map(CompletableFuture::join).filter(a -> a.status() != 201)
                        .map(a -> a.status() + " " + a.body()).toList();
                assertEquals(List.of(), failures, "round " + round + ": every create of the burst is 201");
                assertAccess(wanted);
            }
        }
    }

    @Test
    void twoServersAndCliCallsOnOneInstanceStayConsistent() throws Exception {
        try (ApiServer second = TestService.start(TestService.logins(PgServer.shared().host(), PgServer.shared().port()),
                TestService.options(Duration.ofSeconds(60)))) {
            ApiClient other = new ApiClient("http://127.0.0.1:" + second.port(), TestService.TOKEN);
            Map<String, Boolean> wanted = new LinkedHashMap<>();
            List<CompletableFuture<ApiClient.Answer>> answers = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String name = Names.user("agents" + i);
                wanted.put(name, i % 3 == 0);
                answers.add((i % 2 == 0 ? api : other).sendAsync("POST", users, createBody(name, i % 3 == 0, null, null)));
            }
            String contended = Names.user("both");
            for (int i = 0; i < 6; i++) {
                answers.add((i % 2 == 0 ? api : other).sendAsync("POST", users, createBody(contended, false, null, null)));
            }
            List<CompletableFuture<CliRun>> cli = new ArrayList<>();
            ExecutorService shells = Executors.newFixedThreadPool(4);
            for (int i = 0; i < 4; i++) {
                String name = Names.user("shell" + i);
                boolean readOnly = i % 2 == 0;
                wanted.put(name, readOnly);
                cli.add(CompletableFuture.supplyAsync(() -> readOnly
                        ? db.cli().run("create", "--generate-password", "--read-only", name) : db.cli().run("create", "--generate-password", name), shells));
            }
            shells.shutdown();
            CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).join();
            cli.forEach(run -> assertEquals(0, run.join().exitCode(), () -> run.join().toString()));

            Map<Integer, Long> statuses = answers.stream().map(CompletableFuture::join)
                    .collect(Collectors.groupingBy(ApiClient.Answer::status, Collectors.counting()));
            assertEquals(Map.of(201, 21L, 409, 5L), statuses, "20 distinct names, and one of six for the contended one");
            assertAccess(wanted);
            assertEquals("1", db.value("SELECT count(*) FROM pg_roles WHERE rolname = '" + contended + "'"));
        }
    }

    private static void assertAccess(Map<String, Boolean> wanted) throws SQLException {
        try (Connection c = db.superuser();
             PreparedStatement q = c.prepareStatement("SELECT has_table_privilege(?, 'ledger', 'SELECT'), "
                     + "has_table_privilege(?, 'ledger', 'INSERT'), has_schema_privilege(?, 'public', 'CREATE')")) {
            for (Map.Entry<String, Boolean> user : wanted.entrySet()) {
                for (int p = 1; p <= 3; p++) {
                    q.setString(p, user.getKey());
                }
                try (ResultSet rs = q.executeQuery()) {
                    assertTrue(rs.next());
                    assertTrue(rs.getBoolean(1), user.getKey() + " reads");
                    assertEquals(!user.getValue(), rs.getBoolean(2), user.getKey() + " writes: " + !user.getValue());
                    assertEquals(!user.getValue(), rs.getBoolean(3), user.getKey() + " creates: " + !user.getValue());
                }
            }
        }
    }
}
