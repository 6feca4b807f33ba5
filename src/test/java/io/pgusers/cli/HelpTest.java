package io.pgusers.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgusers.testing.CliRun;
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
}
