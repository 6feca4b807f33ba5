package io.pgusers.http;

import static io.pgusers.http.ApiClient.createBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.pgusers.testing.AgentLock;
import io.pgusers.testing.AppDatabase;
import io.pgusers.testing.CliRun;
import io.pgusers.testing.Names;
import io.pgusers.testing.PgServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 9: the creates of one database that wait in the service are made together, in one transaction, and
 * each still ends as if it had run alone. The test holds the agents' lock as another agent would, sends the
 * creates, and lets them go: the roles made in one transaction carry its id ({@code pg_authid.xmin}). Each
 * user then logs in with its password and can do exactly what its access allows.
 */
class ServeCreatesTogetherTest {
    static AppDatabase db;
    static ApiClient api;
    static String users;

    @BeforeAll
    static void setUp() throws SQLException {
        db = AppDatabase.provision("together");
        api = TestService.client();
        users = "/databases/" + db.name() + "/users";
        try (Connection owner = db.loginAsOwner(); Statement s = owner.createStatement()) {
            s.execute("CREATE TABLE ledger (id serial PRIMARY KEY, amount int)");
        }
    }

    @Test
    void createsThatWaitForTheLockAreMadeInOneTransactionEachWithItsAccess() throws Exception {
        Map<String, Boolean> wanted = wanted("together", 7);
        Map<String, CompletableFuture<ApiClient.Answer>> answers;
        try (AgentLock lock = AgentLock.hold(db.name())) {
            answers = send(wanted);
            awaitQueued(answers);
        }
        Map<String, String> passwords = answered201(answers);

        assertEquals("1", db.value("SELECT count(DISTINCT xmin::text) FROM pg_catalog.pg_authid WHERE rolname IN ("
                + quotedList(wanted) + ")"), "the seven roles were made in one transaction");
        assertEachCanDoWhatItsAccessAllows(wanted, passwords);
        CliRun check = db.cli().run("check");
        assertEquals(0, check.exitCode(), check::toString);
    }

    @Test
    void whenTheSharedTransactionFailsEachCreateIsMadeAgainAloneToItsOwnAnswer() throws Exception {
        Path log = PgServer.shared().serverLog().orElseThrow(() -> new AssertionError(
                "this test reads the server's log to see the shared transaction fail, and the server has none"));
        Map<String, Boolean> wanted = wanted("alone", 6);
        String taken = new ArrayList<>(wanted.keySet()).get(3);
        Map<String, CompletableFuture<ApiClient.Answer>> answers;
        try (AgentLock lock = AgentLock.hold(db.name())) {
            answers = send(wanted);
            awaitQueued(answers);
            // while they wait, a DBA makes a role of one of their names by hand
            db.sql("CREATE ROLE " + taken + " NOLOGIN");
        }
        ApiClient.Answer refused = answers.remove(taken).join();
        assertEquals(409, refused.status(), refused.body());
        assertEquals("User \"" + taken + "\" already exists", refused.error(), refused.body());
        wanted.remove(taken);
        Map<String, String> passwords = answered201(answers);

        String failed = "role \"" + taken + "\" already exists";
        long times = Pattern.compile(Pattern.quote(failed)).matcher(Files.readString(log, StandardCharsets.UTF_8)).results().count();
        assertEquals(2, times, "the server refused the shared transaction, then the create of " + taken + " alone");
        assertEquals(String.valueOf(wanted.size()), (db.value("SELECT count(DISTINCT xmin::text) FROM pg_catalog.pg_authid "
                + "WHERE rolname IN (" + quotedList(wanted) + ")")), "each of the others was made alone");
        assertEachCanDoWhatItsAccessAllows(wanted, passwords);
        // the role made by hand is as it was made: no password, no comment, no group, no grant
        assertEquals("false|true|0", db.value("SELECT rolcanlogin || '|' || (rolpassword IS NULL) || '|' || (SELECT count(*) "
                + "FROM pg_catalog.pg_auth_members WHERE member = a.oid) FROM pg_catalog.pg_authid a WHERE rolname = '" + taken + "'"));
        assertNull(db.value("SELECT shobj_description(oid, 'pg_authid') FROM pg_catalog.pg_roles WHERE rolname = '" + taken + "'"));
        assertEquals("f", db.value("SELECT has_table_privilege('" + taken + "', 'ledger', 'SELECT')"));
        CliRun check = db.cli().run("check");
        assertEquals(0, check.exitCode(), check::toString);
    }

    /** {@code count} new names, every third a writer. */
    private static Map<String, Boolean> wanted(String prefix, int count) {
        Map<String, Boolean> wanted = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            wanted.put(Names.user(prefix + i), i % 3 != 1);
        }
        return wanted;
    }

    private static Map<String, CompletableFuture<ApiClient.Answer>> send(Map<String, Boolean> wanted) {
        Map<String, CompletableFuture<ApiClient.Answer>> answers = new LinkedHashMap<>();
        // no password given: each is generated, and shown once in the answer
        wanted.forEach((name, readOnly) -> answers.put(name, api.sendAsync("POST", users, createBody(name, readOnly, null, null))));
        return answers;
    }

    /**
     * Until one create waits for the agents' lock in PostgreSQL and the others had the time to read what they read
     * before it (a few queries each); none may be answered meanwhile.
     */
    private static void awaitQueued(Map<String, CompletableFuture<ApiClient.Answer>> answers) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (AgentLock.agentsWaiting() == 0) {
            if (System.nanoTime() > deadline) {
                fail("no create waited for the agents' lock");
            }
            Thread.sleep(20);
        }
        Thread.sleep(1500);
        answers.forEach((name, answer) -> assertFalse(answer.isDone(), () -> name + " was answered while the lock was held: "
                + answer.join().status() + " " + answer.join().body()));
    }

    private static Map<String, String> answered201(Map<String, CompletableFuture<ApiClient.Answer>> answers) {
        Map<String, String> passwords = new LinkedHashMap<>();
        answers.forEach((name, answer) -> {
            ApiClient.Answer a = answer.join();
            assertEquals(201, a.status(), () -> name + ": " + a.body());
            assertEquals(name, a.user().get("name").asText());
            passwords.put(name, a.user().get("password").asText());
        });
        return passwords;
    }

    /** Each logs in with its password; a reader reads and cannot write, a writer writes. */
    private static void assertEachCanDoWhatItsAccessAllows(Map<String, Boolean> wanted, Map<String, String> passwords)
            throws SQLException {
        for (Map.Entry<String, Boolean> user : wanted.entrySet()) {
            try (Connection c = db.login(user.getKey(), passwords.get(user.getKey())); Statement s = c.createStatement()) {
                s.executeQuery("SELECT count(*) FROM ledger").close();
                try {
                    s.execute("INSERT INTO ledger (amount) VALUES (1)");
                    assertFalse(user.getValue(), user.getKey() + " is read-only, and wrote");
                } catch (SQLException e) {
                    assertTrue(user.getValue(), user.getKey() + " is read-write, and could not write: " + e.getMessage());
                    assertEquals("42501", e.getSQLState(), e.getMessage());
                }
            }
        }
    }

    private static String quotedList(Map<String, Boolean> wanted) {
        return String.join(", ", wanted.keySet().stream().map(n -> "'" + n + "'").toList());
    }
}
