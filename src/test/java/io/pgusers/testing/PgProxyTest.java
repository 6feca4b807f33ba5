package io.pgusers.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The test proxy holds the statement it is told to, and says which backend would have run it. */
class PgProxyTest {

    @Test
    void itCountsStatementsAndHoldsTheOneItIsToldTo() throws Exception {
        PgServer pg = PgServer.shared();
        try (PgProxy proxy = new PgProxy()) {
            Properties props = new Properties();
            props.setProperty("user", pg.superuser());
            props.setProperty("password", pg.superuserPassword());
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + proxy.port() + "/postgres", props);
                 Statement s = c.createStatement()) {
                int pid;
                try (ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
                    rs.next();
                    pid = rs.getInt(1);
                }
                int before = proxy.statements();
                s.execute("SELECT 1");
                assertEquals(before + 1, proxy.statements());
                proxy.stopBefore(1);
                CompletableFuture<Void> held = CompletableFuture.runAsync(() -> {
                    try {
                        s.execute("SELECT 2");
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                });
                assertEquals(pid, proxy.awaitStopped(10, TimeUnit.SECONDS), "the backend it was meant for");
                Thread.sleep(200);
                assertTrue(!held.isDone(), "the statement is held");
                proxy.cut();
                assertThrows(Exception.class, () -> held.get(10, TimeUnit.SECONDS), "the client sees the connection lost");
            }
        }
    }
}
