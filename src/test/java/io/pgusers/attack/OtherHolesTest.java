package io.pgusers.attack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgusers.http.ApiClient;
import io.pgusers.http.TestService;
import io.pgusers.sql.Sql;
import io.pgusers.testing.AppDatabase;
import io.pgusers.testing.CliRun;
import io.pgusers.testing.Names;
import io.pgusers.testing.PgServer;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** Issue 7, "other holes of the same kind": each refused with a clear message, nothing changed. */
class OtherHolesTest {

    @Test
    void aRoleSquattingAGroupsNameIsInTheWayOfProvision() throws SQLException {
        String database = "squat_" + PgServer.randomToken(8);
        String squatter = database + "-writers";
        try (var c = PgServer.shared().connectAsSuperuser("postgres"); var s = c.createStatement()) {
            s.execute("CREATE ROLE " + Sql.identifier(squatter) + " LOGIN PASSWORD '" + Names.password() + "'");
        }
        String owner = Names.user("owner");
        CliRun run = CliRun.against(database).run("provision", "--owner", owner);
        assertEquals(4, run.exitCode(), run::toString);
        assertTrue(run.err().contains("Role \"" + squatter + "\" is in the way") && run.err().contains("can log in"),
                run.err());
        try (var c = PgServer.shared().connectAsSuperuser("postgres"); var s = c.createStatement();
             var rs = s.executeQuery("SELECT (SELECT count(*) FROM pg_database WHERE datname = '" + database + "'),"
                     + " (SELECT count(*) FROM pg_roles WHERE rolname = '" + owner + "'),"
                     + " (SELECT count(*) FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid WHERE r.rolname = '"
                     + squatter + "')")) {
            rs.next();
            assertEquals(0, rs.getInt(1), "no database");
            assertEquals(0, rs.getInt(2), "no protected user");
            assertEquals(0, rs.getInt(3), "nobody put in the squatter");
            s.execute("DROP ROLE " + Sql.identifier(squatter));
        }
        assertEquals(0, CliRun.against(database).run("provision", "--owner", owner).exitCode(), "fine once it is gone");
    }

    @Test
    void createIfNotExistsIsASuccessOnlyForAUserPgusersCreatedThere() throws SQLException {
        AppDatabase db = AppDatabase.provision("ifne");
        AppDatabase other = AppDatabase.provision("ifne_other");
        String otherUser = Names.user("elsewhere");
        other.createUser(otherUser, true);
        String byHand = Names.user("byhand");
        db.sql("CREATE ROLE " + byHand + " LOGIN");
        db.sql("GRANT CONNECT ON DATABASE " + db.name() + " TO " + byHand);
        for (String name : new String[] {other.owner(), db.owner(), otherUser, byHand}) {
            CliRun run = db.cli().run("create", "--generate-password", "--read-only", "--if-not-exists", name);
            assertEquals(5, run.exitCode(), run::toString);
            assertTrue(run.err().contains("already exists"), run.err());
        }
        String mine = Names.user("mine");
        db.createUser(mine, true);
        assertEquals(0, db.cli().run("create", "--generate-password", "--read-only", "--if-not-exists", mine).exitCode());
    }

    @Test
    void aDatabaseNameLongerThanPostgresqlKeepsIsRefused() {
        String tooLong = "d".repeat(64);
        for (String[] args : new String[][] {{"-d", tooLong, "list"}, {"-d", tooLong, "provision"}}) {
            CliRun run = CliRun.against("postgres").run(args);
            assertEquals(2, run.exitCode(), run::toString);
            assertTrue(run.err().contains("at most 63 bytes"), run.err());
        }
        CliRun viaEnvironment = CliRun.against(tooLong).run("list");
        assertEquals(2, viaEnvironment.exitCode(), viaEnvironment::toString);
        TestService.client().get("/databases/" + tooLong + "/users").expect(404);
    }

    @Test
    void aPasswordInTheUserInfoOfAUrlIsRefusedAndNeverPrinted() {
        PgServer pg = PgServer.shared();
        CliRun run = CliRun.against("postgres").env("PGHOST", null).env("PGPORT", null)
                .run("--url", "jdbc:postgresql://postgres:sup3r-s3cret@" + pg.host() + ":" + pg.port() + "/postgres", "list");
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("--url must not carry a password"), run.err());
        assertFalse(run.toString().contains("sup3r-s3cret"), run::toString);
        CliRun options = CliRun.against("postgres").env("PGHOST", null).env("PGPORT", null)
                .run("--url", "jdbc:postgresql://" + pg.host() + ":" + pg.port() + "/postgres?options=-c%20search_path=public", "list");
        assertEquals(2, options.exitCode(), options::toString);
        assertTrue(options.err().contains("--url must not set options"), options.err());
    }

    @Test
    void aPasswordThatIsNotUnicodeIsRefusedAndNothingCreated() throws SQLException {
        AppDatabase db = AppDatabase.provision("unicode");
        String name = Names.user("halfchar");
        byte[] notUtf8 = ("Pw_" + "a".repeat(24) + "\u00e9").getBytes(StandardCharsets.ISO_8859_1); // é as one Latin-1 byte
        CliRun cli = db.cli().stdinBytes(notUtf8).run("create", "--password-stdin", name);
        assertEquals(2, cli.exitCode(), cli::toString);
        assertTrue(cli.err().contains("not valid UTF-8"), cli.err());
        // a lone surrogate, as JSON can carry one
        String body = "{\"database_user\": {\"name\": \"" + name + "\", \"password\": \"Pw_aaaaaaaaaaaaaaaaaaaaaaaa\\ud800\","
                + " \"password_confirmation\": \"Pw_aaaaaaaaaaaaaaaaaaaaaaaa\\ud800\"}}";
        ApiClient.Answer api = TestService.client().post("/databases/" + db.name() + "/users", body).expect(422);
        assertTrue(api.error().contains("valid Unicode"), api.body());
        assertFalse(db.roleExists(name));
    }
}
