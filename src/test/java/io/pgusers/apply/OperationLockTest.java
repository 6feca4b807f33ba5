package io.pgusers.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgusers.testing.AppDatabase;
import io.pgusers.testing.Names;
import io.pgusers.testing.PgServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * The agents' lock: held by one session until released, and its transaction (which holds nothing of the users)
 * committing without waiting for the disk, set in the same round trip as the lock, and only for that transaction.
 */
class OperationLockTest {

    @Test
    void theLocksTransactionAloneCommitsWithoutWaitingForTheDisk() throws SQLException {
        AppDatabase db = AppDatabase.provision("lockflush"); // the agent's schema is there
        // a database that has no row yet (the row is made, then locked) and one that has
        for (String database : new String[] {Names.user("lockrow"), db.name()}) {
            try (Connection control = PgServer.shared().connectAsSuperuser("postgres");
                 Connection other = PgServer.shared().connectAsSuperuser("postgres")) {
                // the test server runs with synchronous_commit = off: the session says on, as a durable one would
                execute(control, "SET synchronous_commit = on");
                OperationLock lock = OperationLock.take(control, database);
                assertEquals("off", show(control), "the lock's transaction does not wait for the disk");

                execute(other, "SET lock_timeout = '200ms'");
                LockTimeout waited = assertThrows(LockTimeout.class, () -> OperationLock.take(other, database),
                        "another session waits for the lock, and gives up");
                assertTrue(waited.getMessage().contains(database), waited.getMessage());

                lock.release();
                assertEquals("on", show(control), "once the lock is let go, the session commits as before");
                OperationLock.take(other, database).release();
            }
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
        }
    }

    private static String show(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SHOW synchronous_commit")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
