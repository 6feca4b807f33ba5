package io.pgusers.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgusers.testing.AppDatabase;
import io.pgusers.testing.Names;
import io.pgusers.testing.PtySession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The prompts of a real {@code java io.pgusers.Main} process on a real pseudo-terminal: they appear on the
 * terminal whatever standard output is, they do not echo, and Ctrl-D or Ctrl-C there aborts.
 */
class TerminalPromptTest {
    static AppDatabase db;

    @BeforeAll
    static void provision() {
        db = AppDatabase.provision("pty");
    }

    @Test
    void thePromptsUseTheTerminalWhenStandardOutputIsAFile(@TempDir Path dir) throws Exception {
        String name = Names.user("ptyuser");
        String password = Names.password();
        Path out = dir.resolve("out.txt");
        PtySession.Result run = PtySession.of(db.name(), "create", name).stdoutTo(out)
                .expect(PasswordInput.PROMPT, password + "\n")
                .expect(PasswordInput.CONFIRMATION, password + "\n")
                .run();
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(-1, run.unmatchedStep(), run::toString);
        assertFalse(run.transcript().contains(password), "the password was echoed: " + run);
        assertEquals("User \"" + name + "\" created.\n", Files.readString(out));
        try (Connection c = db.login(name, password)) {
            assertTrue(c.isValid(2));
        }
    }

    @Test
    void ctrlDAtThePromptAbortsAndNothingIsCreated(@TempDir Path dir) throws Exception {
        String name = Names.user("ptyctrld");
        PtySession.Result run = PtySession.of(db.name(), "create", name).stdoutTo(dir.resolve("out.txt"))
                .expect(PasswordInput.PROMPT, "\u0004")
                .run();
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.transcript().contains("no password given"), run::toString);
        assertFalse(db.roleExists(name));
        String password = Names.password();
        PtySession.Result atConfirmation = PtySession.of(db.name(), "create", name)
                .expect(PasswordInput.PROMPT, password + "\n")
                .expect(PasswordInput.CONFIRMATION, "\u0004")
                .run();
        assertEquals(2, atConfirmation.exitCode(), atConfirmation::toString);
        assertFalse(db.roleExists(name));
    }

    @Test
    void ctrlCAtThePromptAbortsAndNothingIsCreated() throws Exception {
        String name = Names.user("ptyctrlc");
        PtySession.Result run = PtySession.of(db.name(), "create", name)
                .expect(PasswordInput.PROMPT, "\u0003")
                .run();
        assertEquals(130, run.exitCode(), run::toString);
        assertFalse(db.roleExists(name));
    }

    @Test
    void aBadFirstEntryIsRefusedBeforeTheConfirmation() throws Exception {
        String name = Names.user("ptyrules");
        String password = Names.password();
        PtySession.Result run = PtySession.of(db.name(), "create", name)
                .expect(PasswordInput.PROMPT, "too-short\n")
                .expect("Password must contain between 24 and 64 characters. Remaining retries: 2", "")
                .expect(PasswordInput.PROMPT, password + "\n")
                .expect(PasswordInput.CONFIRMATION, password + "\n")
                .run();
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(1, count(run.transcript(), PasswordInput.CONFIRMATION), run::toString);
        try (Connection c = db.login(name, password)) {
            assertTrue(c.isValid(2));
        }
    }

    @Test
    void deleteAsksForTheNameOnTheTerminal() throws Exception {
        String name = Names.user("ptydel");
        assertEquals(0, db.cli().run("create", "--generate-password", name).exitCode());
        PtySession.Result wrong = PtySession.of(db.name(), "delete", name)
                .expect("to confirm: ", "someone_else\n")
                .run();
        assertEquals(2, wrong.exitCode(), wrong::toString);
        assertTrue(wrong.transcript().contains(DeleteCommand.CONFIRMATION_FAILED), wrong::toString);
        assertTrue(db.roleExists(name));
        PtySession.Result right = PtySession.of(db.name(), "delete", name)
                .expect("to confirm: ", name + "\n")
                .run();
        assertEquals(0, right.exitCode(), right::toString);
        assertFalse(db.roleExists(name));
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

}
