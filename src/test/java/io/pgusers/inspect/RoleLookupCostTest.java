package io.pgusers.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgusers.sql.SqlFile;
import io.pgusers.testing.Names;
import io.pgusers.testing.PgServer;
import io.pgusers.testing.Plans;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 9: every create reads its new name and the database's two groups ({@code roles.sql}), so what that
 * read costs must not grow with the roles of the instance. The cost is shown by what the server reads and by the
 * plans it keeps, not by a clock: with {@value #ROLES} roles in the instance, each a member of one group that is
 * itself a member of a role with CREATEDB.
 */
@Tag("all-versions")
class RoleLookupCostTest {
    static final int ROLES = 3000;
    static final String PREFIX = Names.user("many");
    static final String GROUP = PREFIX + "_group";
    static final String ABOVE = PREFIX + "_above";

    @BeforeAll
    static void manyRoles() throws SQLException {
        try (Connection c = superuser(); Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + ABOVE + " NOLOGIN CREATEDB");
            s.execute("CREATE ROLE " + GROUP + " NOLOGIN IN ROLE " + ABOVE);
            s.execute("DO $$ BEGIN FOR i IN 1.." + ROLES + " LOOP EXECUTE format('CREATE ROLE %I NOLOGIN IN ROLE %I', '"
                    + PREFIX + "_' || i, '" + GROUP + "'); END LOOP; END $$");
            s.execute("ANALYZE pg_catalog.pg_authid");
            s.execute("ANALYZE pg_catalog.pg_auth_members");
        }
    }

    @AfterAll
    static void dropThem() throws SQLException {
        try (Connection c = superuser(); Statement s = c.createStatement()) {
            s.execute("DO $$ BEGIN FOR i IN 1.." + ROLES + " LOOP EXECUTE format('DROP ROLE %I', '" + PREFIX
                    + "_' || i); END LOOP; END $$");
            s.execute("DROP ROLE " + GROUP);
            s.execute("DROP ROLE " + ABOVE);
        }
    }

    @Test
    void theLookUpReadsOnlyTheRolesItIsAskedAboutAndThoseTheyReach() throws Exception {
        String member = PREFIX + "_17";
        try (Connection c = superuser()) {
            Map<String, RoleInfo> found = new Inspector(c).roleInfos(List.of(member, GROUP, PREFIX + "_nobody"));
            assertEquals(Set.of(GROUP, member), found.keySet(), "the two roles that exist, by name");
            assertEquals(List.of("it is a member of " + ABOVE + ", which has CREATEDB"), found.get(member).privilegesBeyond(),
                    "the member reaches CREATEDB through its group");

            // the other two names empty, as role(name) pads them
            JsonNode plan = Plans.analyze(c, SqlFile.of("queries/roles.sql").query(), member, "", "");
            long read = Plans.rowsRead(plan, "pg_authid");
            assertTrue(read < 100, "pg_authid rows read (kept or filtered out) by the look-up of one role among "
                    + ROLES + ": " + read + "\n" + plan.toPrettyString());
        }
    }

    @Test
    void theServerKeepsOnePlanForTheLookUpInsteadOfPlanningItEachTime() throws SQLException {
        Assumptions.assumeTrue(PgServer.shared().majorVersion() >= 14,
                "pg_prepared_statements counts the generic plans from PostgreSQL 14");
        try (Connection c = superuser()) {
            Inspector inspector = new Inspector(c);
            for (int i = 1; i <= 15; i++) {
                inspector.roleInfos(List.of(PREFIX + "_" + i, GROUP, PREFIX + "_nobody"));
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT generic_plans, custom_plans FROM pg_catalog.pg_prepared_statements"
                            + " WHERE statement LIKE '%privileges_beyond%'")) {
                assertTrue(rs.next(), "the look-up is a prepared statement of the connection");
                long generic = rs.getLong("generic_plans");
                long custom = rs.getLong("custom_plans");
                assertTrue(generic >= 5, "generic plans " + generic + ", custom plans " + custom);
            }
        }
    }

    private static Connection superuser() throws SQLException {
        return PgServer.shared().connectAsSuperuser("postgres");
    }
}
