package io.pgusers.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgusers.testing.AppDatabase;
import io.pgusers.testing.CliRun;
import io.pgusers.testing.Names;
import io.pgusers.testing.PgServer;
import io.pgusers.testing.RoleComments;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** {@code pgusers provision}: a database, its protected owner, the documented grants; idempotent. */
class ProvisionCommandTest {

    @Test
    void createsTheDatabaseOwnedByTheProtectedUserWhoLogsInAndCreatesTables() throws SQLException {
        AppDatabase db = AppDatabase.provision("prov");
        assertEquals(db.owner(), db.value("SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()"));
        assertEquals("pgusers/1 {\"database\":\"" + db.name() + "\",\"role\":\"protected user\"}",
                RoleComments.promise(db.owner()), "protection is promised on the role itself");
        try (Connection c = db.loginAsOwner(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE provisioned_ok (v int)");
        }
        assertTrue(db.cli().run("list").out().matches("(?s).*\\| " + db.owner() + " +\\| false +\\| true +\\| SCRAM-SHA-256.*"));
    }

    @Test
    void runAgainItChangesNothingAndSaysSo() throws SQLException {
        AppDatabase db = AppDatabase.provision("again");
        String roles = db.value("SELECT string_agg(rolname || coalesce(rolpassword, ''), ',' ORDER BY rolname) FROM pg_authid");
        String acl = db.value("SELECT datacl::text FROM pg_database WHERE datname = current_database()");
        CliRun again = db.cli().run("provision");
        assertEquals(0, again.exitCode(), again::toString);
        assertTrue(again.out().contains("already provisioned"), again.out());
        CliRun sameOwner = db.cli().run("provision", "--owner", db.owner(), "--json");
        assertEquals(0, sameOwner.exitCode(), sameOwner::toString);
        assertEquals("unchanged", AppDatabase.json(sameOwner.out()).get("outcome").asText());
        assertFalse(AppDatabase.json(sameOwner.out()).has("password"));
        assertEquals(roles, db.value("SELECT string_agg(rolname || coalesce(rolpassword, ''), ',' ORDER BY rolname) FROM pg_authid"));
        assertEquals(acl, db.value("SELECT datacl::text FROM pg_database WHERE datname = current_database()"));
        CliRun otherOwner = db.cli().run("provision", "--owner", Names.user("other"));
        assertEquals(5, otherOwner.exitCode(), otherOwner::toString);
    }

    @Test
    void withoutOwnerTheProtectedUserGetsARandomValidName() {
        String name = "rand_" + PgServer.randomToken(8);
        CliRun run = CliRun.against(name).run("provision", "--json");
        assertEquals(0, run.exitCode(), run::toString);
        var result = AppDatabase.json(run.out());
        assertTrue(result.get("owner").asText().matches("[a-z][a-z0-9_]{5,31}"), result.toString());
        assertEquals(64, result.get("password").asText().length());
        assertEquals("created", result.get("outcome").asText());
    }

    @Test
    void nobodyButReadWriteUsersMayCreateInSchemaPublic() throws SQLException {
        AppDatabase db = AppDatabase.provision("pub");
        String outsider = Names.user("outsider");
        String password = Names.password();
        db.sql("CREATE ROLE " + outsider + " LOGIN PASSWORD '" + password + "'");
        db.sql("GRANT CONNECT ON DATABASE " + db.name() + " TO " + outsider);
        SQLException e = assertThrows(SQLException.class, () -> {
            try (Connection c = db.login(outsider, password); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE public.squatter (v int)");
            }
        });
        assertEquals("42501", e.getSQLState());
    }

    @Test
    void refusesToProvisionTheMaintenanceDatabase() throws SQLException {
        AppDatabase probe = AppDatabase.provision("maint");
        String roles = probe.value("SELECT count(*) FROM pg_roles");
        CliRun run = CliRun.against("postgres").run("provision");
        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.err().startsWith("pgusers: Database \"postgres\" belongs to PostgreSQL, not to its users; "
                + "pgusers manages "), run.err());
        assertEquals(roles, probe.value("SELECT count(*) FROM pg_roles"));
        assertEquals("postgres", probe.value("SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = 'postgres'"));
    }

    @Test
    void aFailureHalfwayIsUndoneAndLeavesNeitherDatabaseNorRole() throws SQLException {
        String name = "undo_" + PgServer.randomToken(8);
        String owner = Names.user("undone");
        String trigger = "fail_" + name;
        try (Connection template = PgServer.shared().connectAsSuperuser("template1"); Statement s = template.createStatement()) {
            s.execute("CREATE FUNCTION " + trigger + "() RETURNS event_trigger LANGUAGE plpgsql AS "
                    + "$$ BEGIN RAISE EXCEPTION 'grants are broken today'; END $$");
            s.execute("CREATE EVENT TRIGGER " + trigger + " ON ddl_command_end WHEN TAG IN ('GRANT') EXECUTE PROCEDURE "
                    + trigger + "()");
        }
        CliRun run;
        try {
            run = CliRun.against(name).run("provision", "--owner", owner);
        } finally {
            try (Connection template = PgServer.shared().connectAsSuperuser("template1"); Statement s = template.createStatement()) {
                s.execute("DROP EVENT TRIGGER " + trigger);
                s.execute("DROP FUNCTION " + trigger + "()");
            }
        }
        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.err().contains("grants are broken today"), run.err());
        try (Connection maintenance = PgServer.shared().connectAsSuperuser("postgres"); Statement s = maintenance.createStatement();
             var rs = s.executeQuery("SELECT (SELECT count(*) FROM pg_database WHERE datname = '" + name + "'), "
                     + "(SELECT count(*) FROM pg_roles WHERE rolname = '" + owner + "')")) {
            rs.next();
            assertEquals(0, rs.getInt(1), "the database it created is dropped");
            assertEquals(0, rs.getInt(2), "the role it created is dropped, and its promise with it");
        }
        assertEquals(0, RoleComments.promisesAbout(name), "nothing promised");
    }

    @Test
    void anUnknownDatabaseIsAClearFailureForOtherCommands() {
        CliRun run = CliRun.against("never_provisioned_db").run("list");
        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.err().startsWith("pgusers: Database \"never_provisioned_db\" does not exist; pgusers manages "),
                run.err());
        assertTrue(run.err().endsWith(": name one with -d, or run pgusers -d never_provisioned_db provision to make this one\n"),
                run.err());
    }
}
