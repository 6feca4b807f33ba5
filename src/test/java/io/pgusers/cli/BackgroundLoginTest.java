package io.pgusers.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgusers.testing.AppDatabase;
import io.pgusers.testing.CliRun;
import io.pgusers.testing.Names;
import io.pgusers.testing.PgServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.LongPredicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A one-shot command that names its database logs in to it in the background while it checks the instance on the
 * maintenance database. What a user sees stays as if the login were made when needed: its failure in the same
 * words, no session left behind when it was not needed, and no login to a database that provision is about to
 * create.
 */
class BackgroundLoginTest {

    @Test
    void aDatabaseThatRefusesTheLoginIsReportedAsAConnectionFailure() throws SQLException {
        AppDatabase db = AppDatabase.provision("refusing");
        maintenance("ALTER DATABASE " + db.name() + " ALLOW_CONNECTIONS false");
        CliRun run;
        try {
            run = db.cli().run("list");
        } finally {
            maintenance("ALTER DATABASE " + db.name() + " ALLOW_CONNECTIONS true");
        }
        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.err().startsWith("pgusers: could not connect to database \"" + db.name() + "\" on "), run.err());
        assertTrue(run.err().contains("is not currently accepting connections"), run.err());
        assertEquals(1, run.err().lines().count(), run.err());
        assertEquals("", run.out());
    }

    @Test
    void aLoginThatTheCommandDidNotNeedIsClosed() throws SQLException, InterruptedException {
        Assumptions.assumeTrue(PgServer.shared().serverLog().isPresent(), "the server log is readable only for embedded servers");
        AppDatabase db = AppDatabase.provision("unneeded");
        String role = Names.user("weak");
        String password = Names.password();
        db.sql("CREATE ROLE " + role + " LOGIN PASSWORD '" + password + "'");
        db.sql("GRANT CONNECT ON DATABASE " + db.name() + " TO " + role);

        // the check on the maintenance database stops the command: it never needs the application database
        CliRun run = db.cli().env("PGUSER", role).env("PGPASSWORD", password).run("list");
        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.err().contains("pgusers must connect as a superuser"), run.err());

        Pattern login = Pattern.compile("connection authorized: user=" + role + " database=" + db.name() + "\\b");
        assertTrue(await(() -> login.matcher(serverLog()).find() ? 1 : 0, n -> n == 1),
                "the application database's login was made in the background (else this test proves nothing)");
        assertTrue(await(() -> backendsOf(role), n -> n == 0), "no session of " + role + " is left open");
    }

    @Test
    void provisionDoesNotLogInToTheDatabaseItIsAboutToCreate() throws IOException {
        Assumptions.assumeTrue(PgServer.shared().serverLog().isPresent(), "the server log is readable only for embedded servers");
        String name = "fresh_" + PgServer.randomToken(8);
        CliRun run = CliRun.against(name).run("provision");
        assertEquals(0, run.exitCode(), run::toString);
        String log = Files.readString(PgServer.shared().serverLog().get(), StandardCharsets.UTF_8);
        assertTrue(log.contains("CREATE DATABASE \"" + name + "\""), "the log records the provision (else this proves nothing)");
        assertFalse(log.contains("database \"" + name + "\" does not exist"), "no login was tried before it existed");
    }

    private static void maintenance(String statement) throws SQLException {
        try (Connection c = PgServer.shared().connectAsSuperuser("postgres"); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    private interface Count {
        long get() throws SQLException;
    }

    /** Whether {@code count} comes to satisfy {@code until} within 10 s (the log and the statistics lag). */
    private static boolean await(Count count, LongPredicate until) throws SQLException, InterruptedException {
        for (int i = 0; i < 100; i++) {
            if (until.test(count.get())) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    private static String serverLog() {
        try {
            return Files.readString(PgServer.shared().serverLog().orElseThrow(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long backendsOf(String role) throws SQLException {
        return count("SELECT count(*) FROM pg_stat_activity WHERE usename = '" + role + "'");
    }

    private static long count(String query) throws SQLException {
        try (Connection c = PgServer.shared().connectAsSuperuser("postgres"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(query)) {
            return rs.next() ? rs.getLong(1) : -1;
        }
    }
}
