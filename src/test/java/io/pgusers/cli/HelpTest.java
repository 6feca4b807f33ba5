package io.pgusers.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgusers.testing.AppDatabase;
import io.pgusers.testing.CliRun;
import java.util.List;
import org.junit.jupiter.api.Test;

class HelpTest {

    @Test
    void helpListsTheCommandsWithThePlatformNamesAndTheExitCodes() {
        CliRun run = CliRun.against("postgres").run("--help");
        assertEquals(0, run.exitCode());
        for (String text : new String[] {"list, database-users-list, database-list-users",
            "create, database-users-create, database-create-user",
            "update-password, database-users-update-password, database-update-user-password",
            "delete, database-users-delete, database-delete-user", "provision",
            "Exit codes:", "3   unknown user", "5   already exists", "-h, --host", "-U, --username", "-d, --dbname"}) {
            assertTrue(run.out().contains(text), text + " in\n" + run.out());
        }
    }

    @Test
    void versionPrintsTheProjectVersion() {
        CliRun run = CliRun.against("postgres").run("--version");
        assertEquals(0, run.exitCode());
        assertTrue(run.out().matches("pgusers \\d+\\.\\d+\\.\\d+.*\n"), run.out());
    }

    @Test
    void anUnknownOptionIsAUsageErrorWithExit2() {
        CliRun run = CliRun.against("postgres").run("list", "--no-such-option");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("Unknown option"), run.err());
    }

    @Test
    void everyHelpFitsEightyColumnsWithoutCuttingAPath() {
        for (String command : List.of("", "list", "create", "update-password", "delete", "provision", "serve", "audit",
                "check", "repair")) {
            CliRun run = command.isEmpty() ? CliRun.against("postgres").run("--help")
                    : CliRun.against("postgres").run(command, "--help");
            assertEquals(0, run.exitCode(), run::toString);
            List<String> lines = run.out().lines().toList();
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                assertTrue(line.length() <= 80, command + ": wider than 80: " + line);
                assertFalse(line.endsWith("/") || line.endsWith("./"), command + ": a path cut in two: " + line);
            }
        }
    }

    @Test
    void helpNamesWhatItTakes() {
        String root = CliRun.against("postgres").run("--help").out();
        for (String variable : List.of("PGCONNECT_TIMEOUT", "PGSERVICEFILE", "PGUSERS_SANDBOX", "PGPASSFILE")) {
            assertTrue(root.contains(variable), variable + " in\n" + root);
        }
        assertTrue(root.lines().anyMatch(l -> l.endsWith("The role must be a superuser.")), "not cut:\n" + root);
        assertFalse(root.lines().anyMatch(l -> l.strip().startsWith("audit") && l.strip().endsWith(":")), root);
        for (String command : List.of("update-password", "delete")) {
            String help = CliRun.against("postgres").run(command, "--help").out();
            assertTrue(help.matches("(?s).*\n +NAME +The user .*"), command + " describes NAME:\n" + help);
        }
    }

    @Test
    void aTypoSuggestsTheNearestCommand() {
        CliRun run = CliRun.against("postgres").run("lsit");
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("(did you mean list?)"), run.err());
        assertFalse(run.err().contains("audit"), run.err());
        CliRun option = CliRun.against("postgres").run("list", "--jsno");
        assertTrue(option.err().contains("did you mean --json?"), option.err());
    }

    @Test
    void usageErrorsAreJsonWithJson() {
        for (String[] args : List.of(new String[] {"list", "--frobnicate", "--json"}, new String[] {"--json", "delete"},
                new String[] {"list", "-p", "notaport", "--json"}, new String[] {"--json", "lsit"})) {
            CliRun run = CliRun.against("postgres").run(args);
            assertEquals(2, run.exitCode(), run::toString);
            assertEquals("", run.out(), run::toString);
            JsonNode error = AppDatabase.json(run.err());
            assertEquals(2, error.get("exit_code").asInt(), run.err());
            assertFalse(error.get("error").asText().isEmpty(), run.err());
            assertEquals(2, error.size(), run.err());
        }
    }
}
