package io.pgusers.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgusers.testing.AppDatabase;
import io.pgusers.testing.PgServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The service's pooled sessions are told at login never to log a transaction whole, so that those carrying a
 * password verifier need not say so each time: whatever the database's defaults say, and whatever the session
 * resets (a startup option is what RESET and DISCARD ALL go back to).
 */
class PooledSessionsTest {

    @Test
    void aPooledSessionNeverSamplesItsTransactionsWhateverTheDatabaseSaysOrTheSessionResets() throws SQLException {
        AppDatabase db = AppDatabase.provision("unsampled");
        db.sql("ALTER DATABASE " + db.name() + " SET log_transaction_sample_rate = 1");
        try (Connection plain = db.superuser()) {
            assertEquals("1", show(plain), "the database's default did not take: nothing is tested");
        }
        try (Pools pools = new Pools(TestService.logins(PgServer.shared().host(), PgServer.shared().port()), 2,
                Duration.ofSeconds(10))) {
            assertTrue(pools.unsampled());
            for (String database : new String[] {db.name(), "postgres"}) {
                try (Connection pooled = pools.connect(database); Statement s = pooled.createStatement()) {
                    assertEquals("0", show(pooled), database);
                    s.execute("RESET ALL");
                    assertEquals("0", show(pooled), database + ", after RESET ALL");
                    s.execute("DISCARD ALL");
                    assertEquals("0", show(pooled), database + ", after DISCARD ALL");
                }
            }
        }
    }

    private static String show(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SHOW log_transaction_sample_rate")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
