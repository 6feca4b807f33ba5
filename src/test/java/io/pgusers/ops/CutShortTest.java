package io.pgusers.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgusers.http.ApiClient;
import io.pgusers.http.TestService;
import io.pgusers.sql.Sql;
import io.pgusers.testing.AppDatabase;
import io.pgusers.testing.CliProcess;
import io.pgusers.testing.CliRun;
import io.pgusers.testing.Names;
import io.pgusers.testing.PgProxy;
import io.pgusers.testing.PgServer;
import io.pgusers.testing.RoleComments;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 8: what a busy platform met, each as it happened. A delete killed half-way, a provision killed right
 * after CREATE DATABASE, a role dropped by hand and made again elsewhere: each is finished, or left alone,
 * by running pgusers again.
 */
class CutShortTest {

    @Test
    void aDeleteKilledHalfWayIsShownAsBeingDeletedAndFinishedByTheNextDelete() throws Exception {
        AppDatabase db = AppDatabase.provision("cutdel");
        String user = Names.user("halfgone");
        String password = db.createUser(user, false);
        try (Connection c = db.login(user, password); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE ledger (v int)");
            s.execute("INSERT INTO ledger VALUES (1), (2)");
        }
        String reader = Names.user("report");
        String readerPassword = db.createUser(reader, true);
        try (Connection report = db.login(reader, readerPassword); Statement s = report.createStatement()) {
            report.setAutoCommit(false);
            s.executeQuery("SELECT * FROM ledger").close(); // a long report: REASSIGN OWNED waits for it
            try (CliProcess delete = CliProcess.start(db.name(), Map.of(), "", "--lock-timeout", "60", "delete", user)) {
                awaitWaiting(db, "REASSIGN OWNED BY");
                delete.process().destroyForcibly(); // kill -9, as a hook's timeout would
                delete.exitCode(30);
            }
            report.rollback();
        }
        assertTrue(RoleComments.promise(user).contains("\"stage\":\"being deleted\""), RoleComments.of(user));
        assertThrows(SQLException.class, () -> db.login(user, password).close(), "its LOGIN went first");

        CliRun list = db.cli().run("list", "--json");
        JsonNode listed = null;
        for (JsonNode row : AppDatabase.listed(list.out())) {
            if (row.get("name").asText().equals(user)) {
                listed = row;
            }
        }
        assertNotNull(listed, "still listed: " + list.out());
        assertTrue(listed.get("being_deleted").asBoolean(), listed.toString());
        CliRun table = db.cli().run("list");
        assertTrue(table.out().contains("| " + user + " (being deleted) "), "the table says so: " + table);
        CliRun check = db.cli().run("check", "--json");
        assertEquals(6, check.exitCode(), check::toString);
        assertTrue(check.out().contains("\"kind\":\"deletion\""), check.out());
        CliRun update = db.cli().stdin(Names.password() + "\n").run("update-password", "--password-stdin", user);
        assertEquals(4, update.exitCode(), update::toString);
        assertTrue(update.err().contains("is being deleted") && update.err().contains("pgusers delete " + user), update.err());

        CliRun finish = db.cli().run("delete", "--if-exists", user);
        assertEquals(0, finish.exitCode(), finish::toString);
        assertFalse(db.roleExists(user));
        assertEquals("2", db.value("SELECT count(*) FROM ledger"), "its table stays, rows and all");
        assertEquals(0, db.cli().run("check").exitCode());
    }

    @Test
    void aDeleteKilledHalfWayIsFinishedThroughTheApiToo() throws Exception {
        AppDatabase db = AppDatabase.provision("cutdelapi");
        String user = Names.user("halfgone");
        db.createUser(user, true);
        try (PgProxy proxy = new PgProxy()) {
            proxy.stopAfter("being deleted", 2); // its first step has committed
            try (CliProcess delete = CliProcess.start(db.name(),
                    Map.of("PGHOST", "127.0.0.1", "PGPORT", String.valueOf(proxy.port())), "", "delete", user)) {
                assertTrue(proxy.awaitStopped(30, TimeUnit.SECONDS) != 0, "the delete got past its first step");
                delete.process().destroyForcibly();
                delete.exitCode(30);
            }
        }
        assertTrue(RoleComments.promise(user).contains("\"stage\":\"being deleted\""), RoleComments.of(user));
        ApiClient api = TestService.client();
        api.delete("/databases/" + db.name() + "/users/" + user).expect(204);
        assertFalse(db.roleExists(user));
    }

    @Test
    void aProvisionKilledRightAfterCreateDatabaseLeavesItClosedAndIsFinishedWithANewPassword() throws Exception {
        String database = "cutprov_" + PgServer.randomToken(8);
        String owner = Names.user("owner");
        try (PgProxy proxy = new PgProxy()) {
            proxy.stopAfter("CREATE DATABASE");
            try (CliProcess provision = CliProcess.start(database,
                    Map.of("PGHOST", "127.0.0.1", "PGPORT", String.valueOf(proxy.port())), "", "provision", "--owner", owner)) {
                assertTrue(proxy.awaitStopped(30, TimeUnit.SECONDS) != 0, "provision got past CREATE DATABASE");
                provision.process().destroyForcibly();
                provision.exitCode(30);
                assertFalse(provision.out().contains("password"), "no password was shown: " + provision);
            }
        }
        try (Connection c = PgServer.shared().connectAsSuperuser("postgres"); Statement s = c.createStatement();
             var rs = s.executeQuery("SELECT datallowconn FROM pg_database WHERE datname = '" + database + "'")) {
            assertTrue(rs.next(), "the database was created");
            assertFalse(rs.getBoolean(1), "and nobody may connect to it: it is not open to PUBLIC");
        }
        CliRun list = CliRun.against(database).run("list");
        assertEquals(1, list.exitCode(), list::toString);
        assertTrue(list.err().contains("is being provisioned") && list.err().contains("provision"), list.err());

        CliRun again = CliRun.against(database).run("provision", "--owner", owner, "--json");
        assertEquals(0, again.exitCode(), again::toString);
        JsonNode result = AppDatabase.json(again.out());
        assertEquals("finished", result.get("outcome").asText());
        String password = result.get("password").asText();
        try (Connection c = PgServer.shared().connect(database, owner, password)) {
            assertTrue(c.isValid(2), "the protected user logs in with the password shown now");
        }
        try (Connection c = PgServer.shared().connectAsSuperuser(database); Statement s = c.createStatement();
             var rs = s.executeQuery("SELECT has_database_privilege('public', current_database(), 'CONNECT'), "
                     + "(SELECT count(*) FROM pg_roles WHERE rolname IN ('" + database + "-readers', '" + database + "-writers'))")) {
            rs.next();
            assertFalse(rs.getBoolean(1), "only its users may connect");
            assertEquals(2, rs.getInt(2), "its groups are there");
        }
        assertEquals(0, CliRun.against(database).run("check").exitCode());
        CliRun third = CliRun.against(database).run("provision", "--owner", owner);
        assertEquals(0, third.exitCode(), third::toString);
        assertTrue(third.out().contains("already provisioned") && !third.out().contains(password), third.out());
    }

    @Test
    void aUserDroppedByHandAndMadeAgainInAnotherDatabaseIsNeverTouchedFromTheFirst() throws Exception {
        AppDatabase a = AppDatabase.provision("stale_a");
        AppDatabase b = AppDatabase.provision("stale_b");
        String name = Names.user("wanderer");
        a.createUser(name, true);
        a.sql("DROP OWNED BY " + name);
        a.sql("DROP ROLE " + name); // by hand, as a DBA does: its promise goes with it
        String password = b.createUser(name, false);

        CliRun repair = a.cli().run("repair");
        assertEquals(0, repair.exitCode(), repair::toString);
        assertEquals("", repair.out(), "nothing to repair in A: " + repair);
        assertEquals("f", a.value("SELECT pg_has_role('" + name + "', '" + a.name() + "-readers', 'MEMBER')"));
        CliRun delete = a.cli().run("delete", name);
        assertEquals(4, delete.exitCode(), delete::toString);
        assertTrue(delete.err().contains("belongs to database \"" + b.name() + "\""), delete.err());
        try (Connection c = b.login(name, password)) {
            assertTrue(c.isValid(2), "B's user is untouched");
        }
        assertEquals("t", b.value("SELECT has_database_privilege('" + name + "', current_database(), 'CREATE')"));
        assertEquals(0, b.cli().run("check").exitCode());
    }

    @Test
    void aNameMadeAgainByHandIsNobodysUser() throws Exception {
        AppDatabase db = AppDatabase.provision("byhand");
        String name = Names.user("remade");
        db.createUser(name, false);
        db.sql("DROP OWNED BY " + name);
        db.sql("DROP ROLE " + name);
        db.sql("CREATE ROLE " + Sql.identifier(name) + " LOGIN");
        db.sql("GRANT CONNECT ON DATABASE " + db.name() + " TO " + name);
        assertEquals(null, RoleComments.of(name), "no promise");
        assertEquals(0, db.cli().run("check").exitCode(), "check does not take it for a user of the database");
        assertEquals(5, db.cli().run("create", "--generate-password", "--if-not-exists", name).exitCode());
    }

    private static void awaitWaiting(AppDatabase db, String query) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!"t".equals(db.value("SELECT EXISTS (SELECT FROM pg_stat_activity WHERE application_name = 'pgusers' "
                + "AND wait_event_type = 'Lock' AND query LIKE '" + query + "%')"))) {
            assertTrue(System.nanoTime() < deadline, "the delete waits on " + query);
            Thread.sleep(20);
        }
    }
}
