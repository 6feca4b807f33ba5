package io.pgusers.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgusers.testing.AppDatabase;
import io.pgusers.testing.CliRun;
import io.pgusers.testing.CliRun.ScriptedTerminal;
import io.pgusers.testing.Names;
import io.pgusers.testing.PgServer;
import io.pgusers.testing.RoleComments;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code pgusers create}, run as a user would, checked in PostgreSQL afterwards. */
class CreateCommandTest {
    static AppDatabase db;

    @BeforeAll
    static void provision() {
        db = AppDatabase.provision("create");
    }

    @Test
    void printsThePlatformsSentenceAndTheUserLogsInWithItsPassword() throws SQLException {
        String name = Names.user("alice");
        String password = Names.password();
        CliRun run = db.cli().stdin(password + "\n").run("create", "--password-stdin", name);
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals("User \"" + name + "\" created.\n", run.out());
        try (Connection c = db.login(name, password)) {
            assertTrue(c.isValid(2));
        }
    }

    @Test
    void generatesAPasswordWhenAskedAndShowsItOnce() throws SQLException {
        String name = Names.user("gen");
        CliRun run = db.cli().run("create", "--generate-password", name);
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().matches("User \"" + name + "\" created with password \"[A-Za-z0-9_]{64}\"\\.\n"), run.out());
        String password = run.out().replaceAll("(?s).*with password \"([^\"]+)\".*", "$1");
        try (Connection c = db.login(name, password)) {
            assertTrue(c.isValid(2));
        }
    }

    @Test
    void generatedOnRequestWithJson() throws SQLException {
        String name = Names.user("genjson");
        CliRun run = db.cli().run("create", "--generate-password", "--read-only", "--json", name);
        assertEquals(0, run.exitCode(), run::toString);
        JsonNode result = AppDatabase.json(run.out());
        assertEquals(name, result.get("name").asText());
        assertTrue(result.get("read_only").asBoolean());
        assertFalse(result.get("protected").asBoolean());
        assertEquals("SCRAM-SHA-256", result.get("password_encryption").asText());
        assertTrue(result.get("created").asBoolean());
        try (Connection c = db.login(name, result.get("password").asText())) {
            assertTrue(c.isValid(2));
        }
    }

    /** No terminal and no flag, an empty line, no input at all, or both flags: exit 2 and no user. */
    @ParameterizedTest
    @ValueSource(strings = {"piped", "empty-line", "no-input", "both-flags"})
    void aPasswordFromNowhereIsRefusedAndCreatesNothing(String how) throws SQLException {
        String name = Names.user("nopass");
        CliRun run = switch (how) {
            case "piped" -> db.cli().stdin(Names.password() + "\n").run("create", name);
            case "empty-line" -> db.cli().stdin("\n").run("create", "--password-stdin", name);
            case "no-input" -> db.cli().run("create", "--password-stdin", name);
            default -> db.cli().stdin(Names.password() + "\n").run("create", "--password-stdin", "--generate-password", name);
        };
        assertEquals(2, run.exitCode(), run::toString);
        assertEquals("", run.out());
        assertTrue(run.err().startsWith("pgusers: "), run.err());
        if (how.equals("piped")) {
            assertEquals("pgusers: " + PasswordInput.NO_TERMINAL + "\n", run.err());
        }
        assertFalse(db.roleExists(name));
    }

    @Test
    void endOfInputAtThePromptAbortsAndCreatesNothing() throws SQLException {
        String name = Names.user("ctrld");
        ScriptedTerminal atFirst = new ScriptedTerminal();
        CliRun first = db.cli().terminal(atFirst).run("create", name);
        assertEquals(2, first.exitCode(), first::toString);
        assertTrue(first.err().contains("no password given"), first.err());
        ScriptedTerminal atSecond = new ScriptedTerminal(Names.password());
        CliRun second = db.cli().terminal(atSecond).run("create", name);
        assertEquals(2, second.exitCode(), second::toString);
        assertEquals(List.of(PasswordInput.PROMPT, PasswordInput.CONFIRMATION), atSecond.transcript());
        assertFalse(db.roleExists(name));
    }

    @Test
    void bothPromptsLeftEmptyMeanGenerated() throws SQLException {
        String name = Names.user("emptyprompt");
        CliRun run = db.cli().terminal(new ScriptedTerminal("", "")).run("create", name);
        assertEquals(0, run.exitCode(), run::toString);
        String password = run.out().replaceAll("(?s).*with password \"([^\"]+)\".*", "$1");
        assertEquals(64, password.length(), run.out());
        try (Connection c = db.login(name, password)) {
            assertTrue(c.isValid(2));
        }
    }

    @Test
    void aCapitalisedNameIsCreatedAsTypedWithANoteOnQuoting() throws SQLException {
        String name = "Mixed_" + Names.user("case");
        CliRun run = db.cli().run("create", "--generate-password", name);
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.err().contains("SQL and psql must quote it, as \"" + name + "\""), run.err());
        assertTrue(db.roleExists(name));
    }

    @Test
    void jsonHasNoPasswordWhenTheUserChoseIt() {
        String name = Names.user("nopw");
        CliRun run = db.cli().stdin(Names.password() + "\n").run("--json", "create", "--password-stdin", name);
        assertEquals(0, run.exitCode(), run::toString);
        assertFalse(AppDatabase.json(run.out()).has("password"));
    }

    @Test
    void promptsLikeThePlatformAndRetriesAMismatch() throws SQLException {
        String name = Names.user("prompt");
        String password = Names.password();
        ScriptedTerminal terminal = new ScriptedTerminal(password, "something-else-entirely-here", password, password);
        CliRun run = db.cli().terminal(terminal).run("create", name);
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(List.of(PasswordInput.PROMPT, PasswordInput.CONFIRMATION,
                "Password confirmation doesn't match. Remaining retries: 2",
                PasswordInput.PROMPT, PasswordInput.CONFIRMATION), terminal.transcript());
        try (Connection c = db.login(name, password)) {
            assertTrue(c.isValid(2));
        }
    }

    @Test
    void givesUpAfterThreeBadTriesAndCreatesNothing() throws SQLException {
        String name = Names.user("tries");
        String good = Names.password();
        ScriptedTerminal terminal = new ScriptedTerminal("short", good, good + "x", "short");
        CliRun run = db.cli().terminal(terminal).run("create", name);
        assertEquals(2, run.exitCode(), run::toString);
        assertEquals(List.of(PasswordInput.PROMPT,
                "Password must contain between 24 and 64 characters. Remaining retries: 2",
                PasswordInput.PROMPT, PasswordInput.CONFIRMATION,
                "Password confirmation doesn't match. Remaining retries: 1",
                PasswordInput.PROMPT), terminal.transcript());
        assertTrue(run.err().contains("Password must contain between 24 and 64 characters. Too many retries"), run.err());
        assertFalse(db.roleExists(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"short", "1starts_with_digit", "has-dash-in", "has space in", "quote\"d_name",
        "way_too_long_name_for_the_platform_x", "pg_reserved", ""})
    void refusesBadNamesWithExit2AndCreatesNothing(String name) throws SQLException {
        String before = db.value("SELECT count(*) FROM pg_roles");
        CliRun run = db.cli().stdin(Names.password() + "\n").run("create", "--password-stdin", name);
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("Name "), run.err());
        assertEquals("", run.out());
        assertEquals(before, db.value("SELECT count(*) FROM pg_roles"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"too-short-password", "a-password-with-a-double-quote-\"-in-it", "a-password-with-a-single-quote-'-in-it",
        "a-password-that-is-far-too-long-for-the-rules-of-the-platform-at-all-x"})
    void refusesBadPasswordsWithExit2AndCreatesNothing(String password) throws SQLException {
        String name = Names.user("badpw");
        CliRun run = db.cli().stdin(password + "\n").run("create", "--password-stdin", name);
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().startsWith("pgusers: Password must"), run.err());
        assertFalse(run.err().contains(password), "the refused password is not echoed");
        assertFalse(db.roleExists(name));
    }

    @Test
    void anExistingNameIsExit5AndKeepsItsPassword() throws SQLException {
        String name = Names.user("twice");
        String password = Names.password();
        assertEquals(0, db.cli().stdin(password + "\n").run("create", "--password-stdin", name).exitCode());
        CliRun again = db.cli().stdin(Names.password() + "\n").run("create", "--password-stdin", name);
        assertEquals(5, again.exitCode(), again::toString);
        assertEquals("pgusers: User \"" + name + "\" already exists\n", again.err());
        try (Connection c = db.login(name, password)) {
            assertTrue(c.isValid(2));
        }
    }

    @Test
    void ifNotExistsSucceedsForTheSameAccessWithoutTouchingThePassword() throws SQLException {
        String name = Names.user("idem");
        String password = Names.password();
        assertEquals(0, db.cli().stdin(password + "\n").run("create", "--read-only", "--password-stdin", name).exitCode());
        CliRun retry = db.cli().stdin(Names.password() + "\n")
                .run("create", "--read-only", "--if-not-exists", "--password-stdin", "--json", name);
        assertEquals(0, retry.exitCode(), retry::toString);
        JsonNode result = AppDatabase.json(retry.out());
        assertFalse(result.has("created"));
        assertTrue(result.get("unchanged").asBoolean());
        try (Connection c = db.login(name, password)) {
            assertTrue(c.isValid(2));
        }
        CliRun otherAccess = db.cli().run("create", "--generate-password", "--if-not-exists", name);
        assertEquals(5, otherAccess.exitCode(), otherAccess::toString);
        assertTrue(otherAccess.err().contains("already exists with read-only access"), otherAccess.err());
    }

    @Test
    void anExistingSuperuserIsExit5EvenWithIfNotExists() {
        CliRun run = db.cli().run("create", "--generate-password", "--if-not-exists", "postgres");
        assertEquals(5, run.exitCode(), run::toString);
    }

    @Test
    void aFailureHalfwayLeavesNoRole() throws SQLException {
        String name = Names.user("halfway");
        String trigger = "fail_" + name;
        db.sql("CREATE FUNCTION " + trigger + "() RETURNS event_trigger LANGUAGE plpgsql AS "
                + "$$ BEGIN RAISE EXCEPTION 'grants are broken today'; END $$");
        db.sql("CREATE EVENT TRIGGER " + trigger + " ON ddl_command_end WHEN TAG IN ('GRANT') EXECUTE PROCEDURE " + trigger + "()");
        try {
            CliRun run = db.cli().stdin(Names.password() + "\n").run("create", "--password-stdin", name);
            assertEquals(1, run.exitCode(), run::toString);
            assertTrue(run.err().contains("grants are broken today"), run.err());
            assertFalse(db.roleExists(name), "CREATE ROLE was rolled back with the failed GRANT");
            assertNull(RoleComments.of(name), "and nothing is left promised for it");
        } finally {
            db.sql("DROP EVENT TRIGGER " + trigger);
            db.sql("DROP FUNCTION " + trigger + "()");
        }
    }

    @Test
    void createdUserCannotLogInWithAnotherPassword() {
        String name = Names.user("wrongpw");
        assertEquals(0, db.cli().stdin(Names.password() + "\n").run("create", "--password-stdin", name).exitCode());
        SQLException e = assertThrows(SQLException.class, () -> db.login(name, Names.password()).close());
        assertEquals("28P01", e.getSQLState());
    }

    @Test
    void answersToThePlatformCliNames() throws SQLException {
        String a = Names.user("alias");
        String b = Names.user("alias");
        assertEquals(0, db.cli().run("database-users-create", "--generate-password", "--read-only", a).exitCode());
        assertEquals(0, db.cli().run("database-create-user", "--generate-password", b).exitCode());
        assertTrue(db.roleExists(a) && db.roleExists(b));
    }
}
