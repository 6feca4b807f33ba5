package io.pgusers.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgusers.testing.AppDatabase;
import io.pgusers.testing.CliRun;
import io.pgusers.testing.Names;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PasswordUtil;

/** {@code pgusers update-password}: proven by logging in with the new password and failing with the old. */
class UpdatePasswordCommandTest {
    static AppDatabase db;

    @BeforeAll
    static void provision() {
        db = AppDatabase.provision("update");
    }

    @Test
    void theNewPasswordWorksAndTheOldOneNoLonger() throws SQLException {
        String name = Names.user("upd");
        String old = Names.password();
        String fresh = Names.password();
        assertEquals(0, db.cli().stdin(old + "\n").run("create", "--password-stdin", name).exitCode());
        CliRun run = db.cli().stdin(fresh + "\n").run("update-password", "--password-stdin", name);
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals("User \"" + name + "\" updated.\n", run.out());
        assertLogsIn(name, fresh);
        assertRefused(name, old);
    }

    /** A hook that pipes a password but forgets --password-stdin must not lose the old password to a generated one. */
    @Test
    void aPipedPasswordWithoutTheFlagIsRefusedAndTheOldOneStillWorks() throws SQLException {
        String name = Names.user("updpipe");
        String old = Names.password();
        String piped = Names.password();
        assertEquals(0, db.cli().stdin(old + "\n").run("create", "--password-stdin", name).exitCode());
        CliRun run = db.cli().stdin(piped + "\n").run("update-password", name);
        assertEquals(2, run.exitCode(), run::toString);
        assertEquals("pgusers: no terminal to ask for a password: give --password-stdin or --generate-password\n", run.err());
        assertEquals("", run.out());
        assertLogsIn(name, old);
        assertRefused(name, piped);
        for (String input : new String[] {"", "\n", "\r\n"}) {
            CliRun empty = db.cli().stdin(input).run("update-password", "--password-stdin", name);
            assertEquals(2, empty.exitCode(), empty::toString);
            assertTrue(empty.err().startsWith("pgusers: --password-stdin: "), empty.err());
            assertLogsIn(name, old);
        }
    }

    @Test
    void aGeneratedPasswordIsShownOnceAndWorks() throws SQLException {
        String name = Names.user("updgen");
        assertEquals(0, db.cli().stdin(Names.password() + "\n").run("create", "--password-stdin", name).exitCode());
        CliRun run = db.cli().run("database-users-update-password", "--generate-password", "--json", name);
        assertEquals(0, run.exitCode(), run::toString);
        var result = AppDatabase.json(run.out());
        assertTrue(result.get("updated").asBoolean());
        assertLogsIn(name, result.get("password").asText());
    }

    @Test
    void anMd5UserBecomesScram() throws SQLException {
        String name = Names.user("md5");
        String old = Names.password();
        db.sql("CREATE ROLE " + name + " LOGIN PASSWORD '" + PasswordUtil.encodeMd5(name, old.toCharArray()) + "'");
        db.sql("GRANT CONNECT ON DATABASE " + db.name() + " TO " + name);
        assertTrue(db.cli().run("list").out().contains("| " + name + " ") , "listed");
        assertTrue(db.cli().run("list").out().matches("(?s).*\\| " + name + " +\\| \\w+ +\\| false +\\| MD5 .*"));
        String fresh = Names.password();
        CliRun run = db.cli().stdin(fresh + "\n").run("update-password", "--password-stdin", name);
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(db.value("SELECT rolpassword FROM pg_authid WHERE rolname = '" + name + "'").startsWith("SCRAM-SHA-256$"));
        assertTrue(db.cli().run("list").out().matches("(?s).*\\| " + name + " +\\| \\w+ +\\| false +\\| SCRAM-SHA-256 .*"));
        assertLogsIn(name, fresh);
    }

    @Test
    void theProtectedUserIsRefusedAndKeepsItsPassword() throws SQLException {
        String before = db.value("SELECT rolpassword FROM pg_authid WHERE rolname = '" + db.owner() + "'");
        CliRun run = db.cli().stdin(Names.password() + "\n").run("update-password", "--password-stdin", db.owner());
        assertEquals(4, run.exitCode(), run::toString);
        assertEquals("pgusers: User \"" + db.owner() + "\" is protected\n", run.err());
        assertEquals(before, db.value("SELECT rolpassword FROM pg_authid WHERE rolname = '" + db.owner() + "'"));
        assertLogsIn(db.owner(), db.ownerPassword());
    }

    @Test
    void anUnknownUserIsExit3() {
        String name = Names.user("ghost");
        CliRun run = db.cli().stdin(Names.password() + "\n").run("update-password", "--password-stdin", name);
        assertEquals(3, run.exitCode(), run::toString);
        assertEquals("pgusers: User \"" + name + "\" does not exist\n", run.err());
    }

    @Test
    void superusersAndGroupRolesAreNotOursToTouch() throws SQLException {
        String superuser = Names.user("super");
        db.sql("CREATE ROLE " + superuser + " LOGIN SUPERUSER");
        CliRun run = db.cli().run("update-password", "--generate-password", superuser);
        assertEquals(4, run.exitCode(), run::toString);
        assertTrue(run.err().contains("is not managed by pgusers: it is a superuser"), run.err());
        assertEquals(null, db.value("SELECT rolpassword FROM pg_authid WHERE rolname = '" + superuser + "'"));

        String group = Names.user("group");
        db.sql("CREATE ROLE " + group + " NOLOGIN");
        CliRun groupRun = db.cli().run("update-password", "--generate-password", group);
        assertEquals(4, groupRun.exitCode(), groupRun::toString);
    }

    private static void assertLogsIn(String name, String password) throws SQLException {
        try (Connection c = db.login(name, password)) {
            assertTrue(c.isValid(2));
        }
    }

    private static void assertRefused(String name, String password) {
        SQLException e = assertThrows(SQLException.class, () -> db.login(name, password).close());
        assertEquals("28P01", e.getSQLState());
    }
}
