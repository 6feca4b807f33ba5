package io.pgusers.attack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgusers.testing.AppDatabase;
import io.pgusers.testing.CliRun;
import io.pgusers.testing.Names;
import io.pgusers.testing.PgServer;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * Issue 7: before PostgreSQL 15, PUBLIC may CREATE in schema public of every database, postgres and
 * template1 among them. Provision closes both (as 15 does by default), says so, and a read-only user can
 * create nothing there any more. On 15 and later the same holds for a schema a DBA opened again.
 */
class ProvisionClosesPublicSchemasTest {

    @Test
    void provisionClosesSchemaPublicOfPostgresAndTemplate1AndSaysSo() throws SQLException {
        for (String database : new String[] {"postgres", "template1"}) {
            superuser(database, "GRANT CREATE ON SCHEMA public TO PUBLIC"); // PostgreSQL 13 and 14's default
        }
        String name = "closing_" + PgServer.randomToken(8);
        CliRun run = CliRun.against(name).run("provision", "--owner", Names.user("owner"), "--json");
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.err().contains("CREATE on schema public is now closed to PUBLIC in database(s) postgres, template1"),
                run.err());
        JsonNode result = AppDatabase.json(run.out());
        assertEquals("[\"postgres\",\"template1\"]", result.get("closed_public_schema_in").toString());

        String reader = Names.user("reader");
        String password = Names.password();
        superuser("postgres", "CREATE ROLE " + reader + " LOGIN PASSWORD '" + password + "'");
        for (String database : new String[] {"postgres", "template1", name}) {
            try (Connection c = PgServer.shared().connect(database, reader, password); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE public.planted (i int)");
                throw new AssertionError("a login role created a table in " + database + ".public");
            } catch (SQLException e) {
                assertEquals("42501", e.getSQLState(), database + ": " + e.getMessage());
            }
        }
        CliRun again = CliRun.against(name).run("provision");
        assertEquals(0, again.exitCode(), again::toString);
        assertFalse(again.err().contains("closed to PUBLIC"), "nothing more to close: " + again.err());
    }

    private static void superuser(String database, String sql) throws SQLException {
        try (Connection c = PgServer.shared().connectAsSuperuser(database); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
