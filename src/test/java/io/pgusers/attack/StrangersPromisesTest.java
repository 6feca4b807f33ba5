package io.pgusers.attack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgusers.testing.AppDatabase;
import io.pgusers.testing.CliRun;
import io.pgusers.testing.Names;
import io.pgusers.testing.PgServer;
import io.pgusers.testing.RoleComments;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A promise on a role that a role other than a superuser administers counts for nothing. From PostgreSQL 16 a
 * role with CREATEROLE and ADMIN OPTION on another may write its comment, which is where pgusers keeps its
 * promises: a forged promise must not make a hand-made role pgusers' own, and a stranger's ADMIN OPTION on the
 * protected user leaves the database unmanaged until it is taken back. (Before 16 any CREATEROLE role may write
 * any role's comment with no ADMIN OPTION to show for it, which the README states: pgusers refuses to manage
 * such a role, which can grant itself any role anyway. A promise is judged when it is read: once a stranger's
 * ADMIN OPTION is revoked, a comment it wrote before counts.) ({@code promises.sql} and {@code database.sql} read
 * who holds ADMIN OPTION; {@code MembershipReadCostTest} shows what that read costs.)
 */
@Tag("all-versions")
class StrangersPromisesTest {

    @Test
    void aPromiseForgedOnARoleAStrangerAdministersDoesNotMakeItPgusersOwn() throws SQLException {
        AppDatabase db = AppDatabase.provision("forged");
        String reader = Names.user("ro_real");
        db.createUser(reader, true);
        String promise = RoleComments.promise(reader);
        assertNotNull(promise, "the reader pgusers made carries its promise");

        String forged = Names.user("ro_forged");
        String helper = Names.user("helper");
        String copy = promise.replace("'", "''");
        if (PgServer.shared().majorVersion() >= 16) {
            // the stranger makes the role and writes its comment: with CREATEROLE, PostgreSQL gives it ADMIN
            // OPTION on the roles it makes, and asks both of a role that writes another's comment
            String helperPassword = Names.password();
            db.sql("CREATE ROLE " + helper + " LOGIN CREATEROLE PASSWORD '" + helperPassword + "'");
            db.sql("GRANT CONNECT ON DATABASE " + db.name() + " TO " + helper);
            try (Connection c = db.login(helper, helperPassword); Statement s = c.createStatement()) {
                s.execute("CREATE ROLE " + forged + " LOGIN PASSWORD '" + Names.password() + "'");
                s.execute("COMMENT ON ROLE " + forged + " IS '" + copy + "'");
            }
        } else {
            // before 16 any role with CREATEROLE may write any role's comment, with no ADMIN OPTION to show for
            // it (the README says so; pgusers refuses to manage such a role): here the superuser writes it on a
            // role that a stranger administers, to show that the ADMIN OPTION alone voids it
            db.sql("CREATE ROLE " + helper + " NOLOGIN");
            db.sql("CREATE ROLE " + forged + " LOGIN PASSWORD '" + Names.password() + "'");
            db.sql("GRANT " + forged + " TO " + helper + " WITH ADMIN OPTION");
            db.sql("COMMENT ON ROLE " + forged + " IS '" + copy + "'");
        }
        db.sql("GRANT CONNECT ON DATABASE " + db.name() + " TO " + forged);
        assertEquals("t", db.value("SELECT bool_or(m.admin_option) FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid"
                + " JOIN pg_roles h ON h.oid = m.member WHERE r.rolname = '" + forged + "' AND h.rolname = '" + helper + "'"),
                "the stranger holds ADMIN OPTION on the role");
        assertEquals(promise, RoleComments.promise(forged), "the forged promise is on the role");

        // a provisioning hook's retry must not take the stranger's role for the one it made
        CliRun retry = db.cli().run("create", "--read-only", "--if-not-exists", "--generate-password", forged);
        assertEquals(5, retry.exitCode(), retry::toString);
        assertEquals(promise, RoleComments.promise(forged), "nothing changed");

        // the same comment on a role nobody but a superuser administers counts: what voided it is the ADMIN OPTION
        String trusted = Names.user("ro_trusted");
        db.sql("CREATE ROLE " + trusted + " LOGIN PASSWORD '" + Names.password() + "'");
        db.sql("GRANT CONNECT ON DATABASE " + db.name() + " TO " + trusted);
        db.sql("COMMENT ON ROLE " + trusted + " IS '" + copy + "'");
        CliRun accepted = db.cli().run("create", "--read-only", "--if-not-exists", "--generate-password", trusted);
        assertEquals(0, accepted.exitCode(), accepted::toString);
    }

    @Test
    void aStrangersAdminOptionOnTheProtectedUserLeavesTheDatabaseUnmanaged() throws SQLException {
        AppDatabase db = AppDatabase.provision("adminned");
        String helper = Names.user("helper");
        db.sql("CREATE ROLE " + helper + " NOLOGIN");
        db.sql("GRANT " + db.owner() + " TO " + helper + " WITH ADMIN OPTION");
        assertEquals("t", db.value("SELECT bool_or(m.admin_option) FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid"
                + " JOIN pg_roles h ON h.oid = m.member WHERE r.rolname = '" + db.owner() + "' AND h.rolname = '" + helper + "'"),
                "the stranger holds ADMIN OPTION on the protected user");

        CliRun list = db.cli().run("list");
        assertEquals(1, list.exitCode(), list::toString);
        assertTrue(list.err().contains("Database \"" + db.name() + "\" is not managed by pgusers"), list.err());
        String user = Names.user("ro_refused");
        CliRun create = db.cli().run("create", "--read-only", "--generate-password", user);
        assertEquals(1, create.exitCode(), create::toString);
        assertFalse(db.roleExists(user), "nothing made");

        db.sql("REVOKE ADMIN OPTION FOR " + db.owner() + " FROM " + helper);
        CliRun again = db.cli().run("list", "--json");
        assertEquals(0, again.exitCode(), again::toString);
        assertTrue(AppDatabase.listed(again.out()).findValuesAsText("name").contains(db.owner()), again.out());
    }
}
