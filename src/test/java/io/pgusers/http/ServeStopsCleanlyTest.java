package io.pgusers.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgusers.testing.AgentLock;
import io.pgusers.testing.AppDatabase;
import io.pgusers.testing.CliRun;
import io.pgusers.testing.Names;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 8: on SIGTERM, serve stops taking requests, lets work in progress finish for --stop-timeout, then
 * cancels what is left in the server (it rolls back), and exits 0. What was cut short is finished by running
 * it again.
 */
class ServeStopsCleanlyTest {

    @Test
    void sigtermDuringADeleteThatWaitsCancelsItAfterTheStopTimeoutAndExitsZero() throws Exception {
        AppDatabase db = AppDatabase.provision("stopdel");
        String user = Names.user("leaving");
        String password = db.createUser(user, false);
        try (Connection c = db.login(user, password); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE accounts (v int)");
            s.execute("INSERT INTO accounts VALUES (1)");
        }
        String reader = Names.user("report");
        String readerPassword = db.createUser(reader, true);
        try (ServeProcess serve = ServeProcess.start("--listen", "127.0.0.1:0", "--lock-timeout", "60", "--stop-timeout", "1");
             Connection report = db.login(reader, readerPassword); Statement s = report.createStatement()) {
            report.setAutoCommit(false);
            s.executeQuery("SELECT * FROM accounts").close(); // the delete waits for this report
            CompletableFuture<ApiClient.Answer> delete = serve.api().sendAsync("DELETE",
                    "/databases/" + db.name() + "/users/" + user, null);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!"t".equals(db.value("SELECT EXISTS (SELECT FROM pg_stat_activity WHERE application_name = 'pgusers' "
                    + "AND wait_event_type = 'Lock' AND query LIKE 'REASSIGN OWNED BY%')"))) {
                assertTrue(System.nanoTime() < deadline, "the delete waits for the report");
                Thread.sleep(20);
            }
            long stopping = System.nanoTime();
            serve.terminate();
            ApiClient.Answer answer = delete.get(30, TimeUnit.SECONDS);
            assertEquals(503, answer.status(), answer.body());
            assertTrue(answer.error().contains("cancelled"), answer.body());
            assertEquals(0, serve.awaitExit(Duration.ofSeconds(20)), serve::stderr);
            System.out.printf("serve stopped %.1f s after SIGTERM (--stop-timeout 1)%n", (System.nanoTime() - stopping) / 1e9);
            report.rollback();
        }
        assertTrue(db.roleExists(user), "the delete rolled back");
        try (Connection c = db.login(user, password)) {
            assertTrue(c.isValid(2), "and gave the user its LOGIN back");
        }
        CliRun again = db.cli().run("delete", user);
        assertEquals(0, again.exitCode(), again::toString);
        assertEquals("1", db.value("SELECT count(*) FROM accounts"));
    }

    @Test
    void sigtermWhileCreatesWaitForTheAgentsLockCancelsEveryOneOfThemAndExitsZero() throws Exception {
        AppDatabase db = AppDatabase.provision("stopcreate");
        List<String> names = List.of(Names.user("waits0"), Names.user("waits1"), Names.user("waits2"), Names.user("waits3"));
        try (ServeProcess serve = ServeProcess.start("--listen", "127.0.0.1:0", "--lock-timeout", "60", "--stop-timeout", "1");
             AgentLock lock = AgentLock.hold(db.name())) {
            // one create waits for the agents' lock in PostgreSQL, the others behind it in the service
            List<CompletableFuture<ApiClient.Answer>> creates = new ArrayList<>();
            for (String name : names) {
                creates.add(serve.api().sendAsync("POST", "/databases/" + db.name() + "/users",
                        ApiClient.createBody(name, true, null, null)));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (AgentLock.agentsWaiting() == 0) {
                assertTrue(System.nanoTime() < deadline, "a create waits for the agents' lock");
                Thread.sleep(20);
            }
            Thread.sleep(1000);
            long stopping = System.nanoTime();
            serve.terminate();
            for (CompletableFuture<ApiClient.Answer> create : creates) {
                ApiClient.Answer answer = create.get(10, TimeUnit.SECONDS);
                assertEquals(503, answer.status(), answer.body());
                assertTrue(answer.error().contains("cancelled"), answer.body());
            }
            double seconds = (System.nanoTime() - stopping) / 1e9;
            assertTrue(seconds < 5, "every create was answered within " + seconds + " s of SIGTERM (--stop-timeout 1)");
            assertEquals(0, serve.awaitExit(Duration.ofSeconds(20)), serve::stderr);
        }
        for (String name : names) {
            assertFalse(db.roleExists(name), name);
        }
    }
}
