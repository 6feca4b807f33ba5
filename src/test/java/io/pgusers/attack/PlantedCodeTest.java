package io.pgusers.attack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pgusers.http.ApiClient;
import io.pgusers.http.TestService;
import io.pgusers.testing.AppDatabase;
import io.pgusers.testing.CliRun;
import io.pgusers.testing.Names;
import io.pgusers.testing.PgServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 7, "planted code runs as the superuser": a user plants overloads where it may create objects; the
 * agent's SQL must never resolve them, on any connection it opens, whatever the database's owner set as its
 * database's defaults. On every version 13 to 18.
 */
@Tag("all-versions")
class PlantedCodeTest {

    @Test
    void overloadsAReadWriteUserPlantsInItsDatabaseNeverRunInTheAgentsSessions() throws SQLException {
        AppDatabase db = AppDatabase.provision("planted");
        String attacker = Names.user("mallory");
        String password = db.createUser(attacker, false);
        try (Connection session = db.login(attacker, password)) {
            PlantedCode.plantAclFunctions(session, attacker);
            PlantedCode.plantNameOperator(session, attacker);
        }
        PlantedCode.assertAclFunctionsArmed(db.name());
        PlantedCode.assertNameOperatorArmed(db.name());
        try {
            everyOperation(db);
            PlantedCode.assertNothingRan(attacker, db.name());
        } finally {
            try (Connection c = db.superuser()) {
                PlantedCode.remove(c);
            }
        }
    }

    /**
     * Before PostgreSQL 15 any role may create in schema public of postgres and template1; from 15 on a DBA may
     * have granted it. A read-only user plants there: postgres is where the agent reads the instance, and
     * template1 is copied into every database provisioned later.
     */
    @Test
    void overloadsPlantedInPostgresAndTemplate1NeverRunEvenInTheDatabasesThatCopyThem() throws SQLException {
        AppDatabase db = AppDatabase.provision("planted_tpl");
        String attacker = Names.user("trudy");
        String password = db.createUser(attacker, true);
        AppDatabase later = null;
        for (String database : new String[] {"postgres", "template1"}) {
            superuser(database, "GRANT CREATE ON SCHEMA public TO " + attacker);
            try (Connection session = PgServer.shared().connect(database, attacker, password)) {
                PlantedCode.plantAclFunctions(session, attacker);
                PlantedCode.plantNameOperator(session, attacker);
            }
            PlantedCode.assertNameOperatorArmed(database);
        }
        try {
            everyOperation(db);
            later = AppDatabase.provision("copied_tpl");
            PlantedCode.assertNameOperatorArmed(later.name());
            PlantedCode.assertAclFunctionsArmed(later.name());
            everyOperation(later);
            PlantedCode.assertNothingRan(attacker, "postgres", "template1", later.name());
        } finally {
            for (String database : new String[] {"postgres", "template1"}) {
                try (Connection c = PgServer.shared().connectAsSuperuser(database)) {
                    PlantedCode.remove(c);
                }
                superuser(database, "REVOKE CREATE ON SCHEMA public FROM " + attacker);
            }
            if (later != null) {
                try (Connection c = later.superuser()) {
                    PlantedCode.remove(c);
                }
            }
        }
    }

    /**
     * The owner of an application database is a customer: it may set its database's defaults, search_path and
     * role among them, and plant code besides. A session that keeps those defaults acts as the owner and finds
     * the owner's operator; the agent's sessions do neither.
     */
    @Test
    void theDefaultsTheOwnerSetsOnItsDatabaseDoNotReachTheAgentsSessions() throws SQLException {
        AppDatabase db = AppDatabase.provision("owner_defaults");
        try (Connection owner = db.loginAsOwner(); Statement s = owner.createStatement()) {
            PlantedCode.plantNameOperator(owner, db.owner());
            s.execute("ALTER DATABASE " + db.name() + " SET search_path = public, pg_catalog");
            s.execute("ALTER DATABASE " + db.name() + " SET role = " + db.owner());
            s.execute("ALTER DATABASE " + db.name() + " SET standard_conforming_strings = off");
            s.execute("ALTER DATABASE " + db.name() + " SET lock_timeout = 0");
        }
        try (Connection plain = db.superuser(); Statement s = plain.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_user, current_setting('search_path')")) {
            rs.next();
            assertEquals(db.owner(), rs.getString(1), "a session that keeps the database's defaults acts as its owner");
            assertEquals("public, pg_catalog", rs.getString(2));
        }
        try {
            everyOperation(db);
            PlantedCode.assertNothingRan(db.owner(), db.name());
        } finally {
            superuser(db.name(), "ALTER DATABASE " + db.name() + " RESET ALL");
            try (Connection c = db.superuser()) {
                PlantedCode.remove(c);
            }
        }
    }

    /** Every command and every endpoint, as a DBA and a hook would use them, each of which must succeed. */
    private static void everyOperation(AppDatabase db) {
        String writer = Names.user("victim_rw");
        String reader = Names.user("victim_ro");
        expect(0, db.cli().run("list"));
        expect(0, db.cli().stdin(Names.password() + "\n").run("create", "--password-stdin", writer));
        expect(0, db.cli().stdin(Names.password() + "\n").run("create", "--read-only", "--password-stdin", reader));
        expect(0, db.cli().run("create", "--generate-password", "--read-only", "--if-not-exists", reader));
        expect(0, db.cli().stdin(Names.password() + "\n").run("update-password", "--password-stdin", writer));
        CliRun check = db.cli().run("check");
        // 6 when planted tables were copied in from template1: they are drift, which repair then fixes
        assertEquals(true, check.exitCode() == 0 || check.exitCode() == 6, check::toString);
        expect(0, db.cli().run("repair"));
        expect(0, db.cli().run("check"));
        expect(0, db.cli().run("provision"));
        expect(0, db.cli().run("delete", writer));
        expect(0, db.cli().run("audit", "--since", "1h"));

        ApiClient api = TestService.client();
        String base = "/databases/" + db.name() + "/users";
        String viaApi = Names.user("victim_api");
        api.get(base).expect(200);
        api.post(base, ApiClient.createBody(viaApi, false, null, null)).expect(201);
        String next = Names.password();
        api.patch(base + "/" + viaApi, ApiClient.passwordBody(next, next)).expect(200);
        api.post(base + "/" + viaApi + "/reset_password", null).expect(200);
        api.delete(base + "/" + viaApi).expect(204);
        api.delete(base + "/" + reader).expect(204);
        api.get("/databases").expect(200);
    }

    private static void expect(int exitCode, CliRun run) {
        assertEquals(exitCode, run.exitCode(), run::toString);
    }

    private static void superuser(String database, String sql) throws SQLException {
        try (Connection c = PgServer.shared().connectAsSuperuser(database); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
