package io.pgusers.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgusers.sql.SqlFile;
import io.pgusers.testing.Names;
import io.pgusers.testing.PgServer;
import io.pgusers.testing.Plans;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 9: {@code list} and {@code check} read every user's memberships ({@code privilege-roles.sql}) and every
 * promise ({@code promises.sql}) in one query each, which must cost what the memberships number, not the roles
 * times the memberships. In an application database the planner takes the shared catalogs for as small as they
 * were when the database was copied from its template (an ANALYZE of pg_auth_members updates the statistics of
 * the database it runs in only): a subquery per role then scanned pg_auth_members whole for each role (at a
 * thousand users, 95 of the 126 ms of {@code privilege-roles.sql} and 48 of the 51 ms of {@code promises.sql},
 * measured on PostgreSQL 16). Shown by the rows the server reads, not by a clock: {@value #ROLES} roles, each a
 * member of one group and carrying a comment as a promise does, read in a database made after them.
 */
@Tag("all-versions")
class MembershipReadCostTest {
    static final int ROLES = 1000;
    static final String PREFIX = Names.user("members");
    static final String GROUP = PREFIX + "_group";
    static final String ADMIN = PREFIX + "_admin";
    static String database;

    @BeforeAll
    static void manyMembers() throws SQLException {
        try (Connection c = PgServer.shared().connectAsSuperuser("postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + GROUP + " NOLOGIN");
            s.execute("CREATE ROLE " + ADMIN + " NOLOGIN");
            s.execute("DO $$ BEGIN FOR i IN 1.." + ROLES + " LOOP"
                    + " EXECUTE format('CREATE ROLE %I LOGIN IN ROLE %I', '" + PREFIX + "_' || i, '" + GROUP + "');"
                    + " EXECUTE format('COMMENT ON ROLE %I IS %L', '" + PREFIX + "_' || i, 'pgusers/1 {}');"
                    + " END LOOP; END $$");
            // one role administered by a role that is not a superuser: its promise counts for nothing
            s.execute("GRANT " + PREFIX + "_7 TO " + ADMIN + " WITH ADMIN OPTION");
        }
        database = PgServer.shared().createDatabase("members");
    }

    @AfterAll
    static void dropThem() throws SQLException {
        try (Connection c = PgServer.shared().connectAsSuperuser("postgres"); Statement s = c.createStatement()) {
            // each part on its own, so that a setup cut short leaves nothing behind either
            if (database != null) {
                s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
            s.execute("DO $$ BEGIN FOR i IN 1.." + ROLES + " LOOP EXECUTE format('DROP ROLE IF EXISTS %I', '" + PREFIX
                    + "_' || i); END LOOP; END $$");
            s.execute("DROP ROLE IF EXISTS " + GROUP);
            s.execute("DROP ROLE IF EXISTS " + ADMIN);
        }
    }

    @Test
    void theMembershipsOfAThousandUsersAreReadOnceNotOncePerUser() throws Exception {
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= ROLES; i++) {
            names.add(PREFIX + "_" + i);
        }
        try (Connection c = PgServer.shared().connectAsSuperuser(database)) {
            long memberships = memberships(c);
            List<RoleRow> roles = new Inspector(c).roles(names);
            RoleRow group = roles.stream().filter(r -> r.name().equals(GROUP)).findFirst().orElseThrow();
            assertEquals(ROLES, group.members().size(), "the group's members, as the query reads them");

            long read = Plans.rowsRead(Plans.analyze(c, SqlFile.of("queries/privilege-roles.sql").query(),
                    (Object) names.toArray(String[]::new)), "pg_auth_members");
            // at least once each: the count is that of the plan's scans of pg_auth_members, not a count of nothing
            assertTrue(read >= memberships && read <= 6 * memberships, "pg_auth_members rows read by"
                    + " privilege-roles.sql for " + ROLES + " roles: " + read + ", for " + memberships + " memberships");
        }
    }

    @Test
    void thePromisesOfAThousandUsersReadTheMembershipsOnce() throws Exception {
        try (Connection c = PgServer.shared().connectAsSuperuser(database)) {
            long memberships = memberships(c);
            List<PromiseRow> promises = new Inspector(c).promises().stream()
                    .filter(p -> p.role().startsWith(PREFIX + "_")).toList();
            assertEquals(ROLES, promises.size(), "the roles' comments, read as promises");
            assertEquals(List.of(ADMIN), promises.stream().filter(p -> p.role().equals(PREFIX + "_7")).findFirst()
                    .orElseThrow().administeredBy(), "the role that holds ADMIN OPTION on one of them");
            assertEquals(1, promises.stream().filter(p -> !p.administeredBy().isEmpty()).count(),
                    "no other role is administered by one that is not a superuser");

            long read = Plans.rowsRead(Plans.analyze(c, SqlFile.of("queries/promises.sql").query()), "pg_auth_members");
            assertTrue(read >= memberships && read <= 2 * memberships, "pg_auth_members rows read by promises.sql for "
                    + ROLES + " promises: " + read + ", for " + memberships + " memberships");
        }
    }

    private static long memberships(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_catalog.pg_auth_members")) {
            rs.next();
            long count = rs.getLong(1);
            assertTrue(count > ROLES, "the memberships were made: " + count);
            return count;
        }
    }
}
