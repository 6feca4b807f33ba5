package io.pgusers.attack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgusers.testing.AppDatabase;
import io.pgusers.testing.CliRun;
import io.pgusers.testing.Names;
import io.pgusers.testing.PgServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Issue 7, "the verifier leaks when a statement waits": a statement that waits on a lock shows in
 * pg_stat_activity (to members of pg_monitor) and in lock-wait and deadlock reports. The statement that
 * carries a verifier must never be the one that waits, and never show anywhere.
 */
class VerifierNeverWaitsTest {

    @Test
    void anUpdateWaitingOnTheUsersOwnUncommittedPasswordChangeWaitsWithoutItsVerifier() throws Exception {
        AppDatabase db = AppDatabase.provision("waitpw");
        String user = Names.user("holder");
        String password = db.createUser(user, false);
        try (Monitor monitor = Monitor.start(db);
             Connection own = db.login(user, password); Statement s = own.createStatement()) {
            own.setAutoCommit(false);
            s.execute("ALTER ROLE " + user + " PASSWORD '" + Names.password() + "'"); // its own row, held
            CliRun waited = db.cli().stdin(Names.password() + "\n")
                    .run("--lock-timeout", "2", "update-password", "--password-stdin", user);
            assertEquals(1, waited.exitCode(), waited::toString);
            assertTrue(waited.err().contains("waiting for a lock that SELECT FROM pg_catalog.pg_authid"), waited.err());
            own.rollback();
            assertTrue(monitor.sawWaitingOn("SELECT FROM pg_catalog.pg_authid WHERE rolname = $1 FOR UPDATE"),
                    "the wait happened, on the statement without a secret: " + monitor.waits());
            CliRun done = db.cli().stdin(Names.password() + "\n").run("update-password", "--password-stdin", user);
            assertEquals(0, done.exitCode(), done::toString);
            monitor.assertNoSecretSeen();
        }
        assertNoVerifierInTheServerLog();
    }

    @Test
    void aCreateWaitingOnAnotherSessionCreatingTheSameNameWaitsWithoutItsVerifier() throws Exception {
        AppDatabase db = AppDatabase.provision("waitcr");
        String user = Names.user("racer");
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Monitor monitor = Monitor.start(db); Connection other = db.superuser(); Statement s = other.createStatement()) {
            other.setAutoCommit(false);
            s.execute("CREATE ROLE " + user + " NOLOGIN"); // uncommitted: the name's index entry is held
            Future<CliRun> create = pool.submit(() -> db.cli().stdin(Names.password() + "\n")
                    .run("--lock-timeout", "10", "create", "--password-stdin", user));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!monitor.sawWaitingOn("CREATE ROLE \"" + user + "\" LOGIN NOSUPERUSER") && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(monitor.sawWaitingOn("CREATE ROLE \"" + user + "\" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE "
                    + "NOREPLICATION NOBYPASSRLS INHERIT"), "the create waited, on CREATE ROLE without a password: "
                    + monitor.waits());
            other.rollback();
            CliRun run = create.get(20, TimeUnit.SECONDS);
            assertEquals(0, run.exitCode(), run::toString);
            monitor.assertNoSecretSeen();
        } finally {
            pool.shutdownNow();
        }
        assertNoVerifierInTheServerLog();
    }

    private static void assertNoVerifierInTheServerLog() throws IOException {
        if (PgServer.shared().serverLog().isPresent()) {
            String log = Files.readString(PgServer.shared().serverLog().get(), StandardCharsets.UTF_8);
            assertTrue(log.contains("FOR UPDATE") || log.contains("CREATE ROLE"), "the log records what pgusers sends");
            assertFalse(log.contains("SCRAM-SHA-256$4096"), "no verifier in the server log");
        }
    }

    /**
     * A member of pg_monitor, as a monitoring tool logs in, reading pg_stat_activity over and over: every query
     * of the agent's sessions it sees, and which of them were waiting for a lock.
     */
    private static final class Monitor implements AutoCloseable {
        private final Set<String> seen = ConcurrentHashMap.newKeySet();
        private final Set<String> waiting = ConcurrentHashMap.newKeySet();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;
        private final String role;
        private final AppDatabase db;

        private Monitor(AppDatabase db, String role, String password) {
            this.db = db;
            this.role = role;
            this.thread = new Thread(() -> poll(password), "pg_monitor");
        }

        static Monitor start(AppDatabase db) throws SQLException {
            String role = Names.user("watcher");
            String password = Names.password();
            db.sql("CREATE ROLE " + role + " LOGIN PASSWORD '" + password + "' IN ROLE pg_monitor");
            Monitor monitor = new Monitor(db, role, password);
            monitor.thread.start();
            return monitor;
        }

        private void poll(String password) {
            try (Connection c = PgServer.shared().connect("postgres", role, password); Statement s = c.createStatement()) {
                while (running.get()) {
                    try (ResultSet rs = s.executeQuery("SELECT query, wait_event_type FROM pg_stat_activity "
                            + "WHERE application_name = 'pgusers'")) {
                        while (rs.next()) {
                            String query = rs.getString(1);
                            if (query != null) {
                                seen.add(query);
                                if ("Lock".equals(rs.getString(2))) {
                                    waiting.add(query);
                                }
                            }
                        }
                    }
                }
            } catch (SQLException e) {
                seen.add("(monitor failed: " + e.getMessage() + ")");
            }
        }

        boolean sawWaitingOn(String start) {
            return waiting.stream().anyMatch(q -> q.startsWith(start));
        }

        List<String> waits() {
            return List.copyOf(waiting);
        }

        void assertNoSecretSeen() {
            assertFalse(seen.isEmpty(), "the monitor saw the agent's sessions");
            for (String query : seen) {
                assertFalse(query.contains("SCRAM-SHA-256$4096") || query.contains("PASSWORD '"), "seen in pg_stat_activity: " + query);
            }
        }

        @Override
        public void close() throws Exception {
            running.set(false);
            thread.join(5000);
            db.sql("DROP ROLE " + role);
        }
    }
}
