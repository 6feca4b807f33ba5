package io.pgusers.attack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.pgusers.http.ApiClient;
import io.pgusers.http.ApiServer;
import io.pgusers.http.TestService;
import io.pgusers.testing.AgentLock;
import io.pgusers.testing.AppDatabase;
import io.pgusers.testing.CliRun;
import io.pgusers.testing.Names;
import io.pgusers.testing.PgServer;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Issue 7, "a reader freezes every change": nobody but the agent can take what the agent waits on, and
 * every wait has a bound, past which the operation fails, naming what it waited on, with nothing changed.
 */
class LockWaitTest {
    /** The advisory lock key of earlier versions, "pgusers": granted to PUBLIC, as every advisory lock. */
    private static final long OLD_ADVISORY_KEY = 0x7067_7573_6572_73L;

    @Test
    void aReaderCanTakeNeitherTheAgentsLockNorStopItsChanges() throws SQLException {
        AppDatabase db = AppDatabase.provision("frozen");
        String reader = Names.user("freezer");
        String password = db.createUser(reader, true);
        try (Connection own = db.login(reader, password); Statement s = own.createStatement();
             Connection maintenance = PgServer.shared().connect("postgres", reader, password);
             Statement m = maintenance.createStatement()) {
            s.execute("SELECT pg_advisory_lock(" + OLD_ADVISORY_KEY + ")");
            m.execute("SELECT pg_advisory_lock(" + OLD_ADVISORY_KEY + ")");
            maintenance.setAutoCommit(false);
            try {
                m.execute("SELECT FROM pgusers.operation_lock FOR UPDATE");
                fail("a reader locked the agents' lock");
            } catch (SQLException e) {
                assertEquals("42501", e.getSQLState(), e.getMessage()); // permission denied for schema pgusers
            }
            maintenance.rollback();
            // with the advisory locks of old held, every change goes through, within a second's wait at most
            String other = Names.user("passes");
            expect(0, db.cli().stdin(Names.password() + "\n").run("--lock-timeout", "1", "create", "--password-stdin", other));
            expect(0, db.cli().stdin(Names.password() + "\n").run("--lock-timeout", "1", "update-password", "--password-stdin", other));
            expect(0, db.cli().run("--lock-timeout", "1", "repair"));
            expect(0, db.cli().run("--lock-timeout", "1", "delete", other));
        }
        expect(0, db.cli().run("--lock-timeout", "1", "delete", reader));
    }

    @Test
    void anotherOperationHoldingTheLockStopsAChangeAfterTheBoundNamingIt() throws SQLException {
        AppDatabase db = AppDatabase.provision("waits");
        String name = Names.user("waiting");
        try (AgentLock lock = AgentLock.hold(db.name())) {
            CliRun run = db.cli().stdin(Names.password() + "\n").run("--lock-timeout", "1", "create", "--password-stdin", name);
            assertEquals(1, run.exitCode(), run::toString);
            assertTrue(run.err().contains("gave up after 1s waiting for the agents' lock of database \"" + db.name()
                    + "\" (pgusers.operation_lock), held by session "), run.err());
            assertTrue(run.err().contains("nothing was changed") && run.err().contains("--lock-timeout"), run.err());
            assertFalse(db.roleExists(name));

            try (ApiServer service = TestService.startWithLockTimeout(Duration.ofSeconds(1))) {
                ApiClient api = new ApiClient("http://127.0.0.1:" + service.port(), TestService.TOKEN);
                ApiClient.Answer answer = api.post("/databases/" + db.name() + "/users",
                        ApiClient.createBody(name, true, null, null)).expect(503);
                assertTrue(answer.error().contains("the agents' lock of database"), answer.body());
                assertFalse(db.roleExists(name));
            }
        }
        expect(0, db.cli().stdin(Names.password() + "\n").run("--lock-timeout", "1", "create", "--password-stdin", name));
    }

    @Test
    void aDeleteWaitingOnATableALongReportReadsGivesUpNamingTheReportAndChangesNothing() throws SQLException {
        AppDatabase db = AppDatabase.provision("report");
        String writer = Names.user("leaving");
        String writerPassword = db.createUser(writer, false);
        String reader = Names.user("reporter");
        String readerPassword = db.createUser(reader, true);
        try (Connection w = db.login(writer, writerPassword); Statement s = w.createStatement()) {
            s.execute("CREATE TABLE sales (amount int)");
            s.execute("INSERT INTO sales VALUES (1), (2)");
        }
        try (Connection report = db.login(reader, readerPassword); Statement s = report.createStatement()) {
            report.setAutoCommit(false);
            s.executeQuery("SELECT sum(amount) FROM sales").close(); // the report's transaction goes on
            CliRun run = db.cli().run("--lock-timeout", "1", "delete", writer);
            assertEquals(1, run.exitCode(), run::toString);
            assertTrue(run.err().contains("gave up after 1s waiting for a lock that REASSIGN OWNED BY \"" + writer + "\""),
                    run.err());
            assertTrue(run.err().contains("session ") && run.err().contains("of role \"" + reader + "\"")
                    && run.err().contains("holding locks on public.sales"), run.err());
            report.rollback();
        }
        assertTrue(db.roleExists(writer), "nothing was changed");
        try (Connection c = db.login(writer, writerPassword)) {
            assertTrue(c.isValid(2), "the user still logs in");
        }
        expect(0, db.cli().run("--lock-timeout", "1", "delete", writer));
        assertEquals("2", db.value("SELECT count(*) FROM sales"), "its table stays");
    }

    private static void expect(int code, CliRun run) {
        assertEquals(code, run.exitCode(), run::toString);
    }
}
