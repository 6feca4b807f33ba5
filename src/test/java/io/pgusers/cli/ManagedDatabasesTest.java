package io.pgusers.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgusers.testing.AppDatabase;
import io.pgusers.testing.CliRun;
import io.pgusers.testing.Names;
import io.pgusers.testing.PgServer;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every command refuses a database that pgusers does not manage, with one exit code and one message that
 * names the databases it manages; with several managed and none named, it says so instead of guessing.
 */
class ManagedDatabasesTest {
    static AppDatabase db;
    static String plain;

    @BeforeAll
    static void provision() {
        db = AppDatabase.provision("managed");
        AppDatabase.provision("managed");
        plain = PgServer.shared().createDatabase("plain");
    }

    @Test
    void everyCommandRefusesADatabaseItDoesNotManageAlike() throws SQLException {
        String name = Names.user("nowhere");
        List<String[]> commands = List.of(new String[] {"list"}, new String[] {"check"}, new String[] {"repair"},
                new String[] {"create", "--generate-password", name}, new String[] {"update-password", "--generate-password", db.owner()},
                new String[] {"delete", name});
        for (String database : List.of("postgres", "template1", plain, "no_such_db_here")) {
            String message = null;
            for (String[] command : commands) {
                CliRun run = CliRun.against(database).run(command);
                assertEquals(1, run.exitCode(), () -> String.join(" ", command) + " -d " + database + ": " + run);
                assertEquals("", run.out(), run::toString);
                assertTrue(run.err().startsWith("pgusers: Database \"" + database + "\" "), run.err());
                assertTrue(run.err().contains("pgusers manages ") && run.err().contains("\"" + db.name() + "\""), run.err());
                if (message == null) {
                    message = run.err();
                }
                assertEquals(message, run.err(), "one message for every command");
            }
            assertFalse(message.contains("provision") && List.of("postgres", "template1").contains(database),
                    "provision refuses those, so the message must not suggest it: " + message);
        }
        assertFalse(db.roleExists(name));
    }

    @Test
    void severalManagedAndNoneNamedIsRefusedWithTheirNames() {
        for (String[] command : List.of(new String[] {"list"}, new String[] {"check"},
                new String[] {"create", "--generate-password", Names.user("which")})) {
            CliRun run = CliRun.against(db.name()).env("PGDATABASE", null).run(command);
            assertEquals(1, run.exitCode(), run::toString);
            assertTrue(run.err().startsWith("pgusers: pgusers manages several databases ("), run.err());
            assertTrue(run.err().contains("\"" + db.name() + "\""), run.err());
            assertTrue(run.err().endsWith("): name one with -d (or PGDATABASE)\n"), run.err());
        }
    }

    @Test
    void jsonNamesTheDatabaseAndTextSaysItOnStandardError() {
        CliRun table = db.cli().run("list");
        assertEquals(0, table.exitCode(), table::toString);
        assertTrue(table.err().contains("database \"" + db.name() + "\""), table.err());
        CliRun json = db.cli().run("list", "--json");
        assertEquals(db.name(), AppDatabase.json(json.out()).get("database").asText(), json.out());
    }
}
