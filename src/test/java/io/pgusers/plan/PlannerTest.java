package io.pgusers.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgusers.core.Access;
import io.pgusers.core.UserName;
import io.pgusers.inspect.DatabaseInfo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The planner is pure: these tests need no server. */
class PlannerTest {
    private static final DatabaseInfo DB = new DatabaseInfo("My App", "my_app_4553", false);
    private static final String VERIFIER = "SCRAM-SHA-256$4096:c2FsdA==$c3RvcmVk:c2VydmVy";

    @Test
    void readWriteUserGetsTheDocumentedStatementsAfterCreateRole() {
        Plan plan = Planner.createUser(DB, UserName.of("Mixed_Case_rw"), Access.READ_WRITE, VERIFIER, true, true);
        assertEquals(List.of(
                "CREATE ROLE \"Mixed_Case_rw\" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT;",
                "ALTER ROLE \"Mixed_Case_rw\" PASSWORD 'SCRAM-SHA-256$<verifier computed by pgusers>';",
                "GRANT CREATE ON SCHEMA public TO \"Mixed_Case_rw\";",
                "GRANT ALL PRIVILEGES ON DATABASE \"My App\" TO \"Mixed_Case_rw\";",
                "GRANT ALL PRIVILEGES ON ALL TABLES IN SCHEMA public TO \"Mixed_Case_rw\";",
                "GRANT ALL PRIVILEGES ON ALL SEQUENCES IN SCHEMA public TO \"Mixed_Case_rw\";",
                "ALTER DEFAULT PRIVILEGES FOR USER \"my_app_4553\" IN SCHEMA public GRANT ALL ON TABLES TO \"Mixed_Case_rw\";",
                "ALTER DEFAULT PRIVILEGES FOR USER \"my_app_4553\" IN SCHEMA public GRANT ALL ON SEQUENCES TO \"Mixed_Case_rw\";"),
                plan.describe().subList(0, 8));
        assertEquals(1, plan.steps().size(), "one transaction");
        assertTrue(plan.steps().get(0).transactional());
    }

    @Test
    void readOnlyUserGetsTheDocumentedReadOnlyStatements() {
        Plan plan = Planner.createUser(DB, UserName.of("reader_1"), Access.READ_ONLY, VERIFIER, true, true);
        assertEquals(List.of(
                "GRANT USAGE ON SCHEMA public TO \"reader_1\";",
                "GRANT CONNECT ON DATABASE \"My App\" TO \"reader_1\";",
                "GRANT SELECT ON ALL TABLES IN SCHEMA public TO \"reader_1\";",
                "GRANT SELECT ON ALL SEQUENCES IN SCHEMA public TO \"reader_1\";",
                "ALTER DEFAULT PRIVILEGES FOR USER \"my_app_4553\" IN SCHEMA public GRANT SELECT ON TABLES TO \"reader_1\";",
                "ALTER DEFAULT PRIVILEGES FOR USER \"my_app_4553\" IN SCHEMA public GRANT SELECT ON SEQUENCES TO \"reader_1\";"),
                plan.describe().subList(2, 8));
    }

    @Test
    void onTopOfTheDocumentedStatementsAWriterJoinsTheWritersAndGetsDefaultPrivilegesInEverySchema() {
        Plan plan = Planner.createUser(DB, UserName.of("writer_1"), Access.READ_WRITE, VERIFIER, true, true);
        List<String> extra = plan.describe().subList(8, plan.describe().size());
        assertEquals("GRANT \"My App-writers\" TO \"writer_1\";", extra.get(0));
        assertTrue(extra.contains("ALTER DEFAULT PRIVILEGES FOR ROLE \"writer_1\" GRANT SELECT ON TABLES TO \"My App-readers\";"),
                extra::toString);
        assertTrue(extra.contains("ALTER DEFAULT PRIVILEGES FOR ROLE \"writer_1\" GRANT USAGE, CREATE ON SCHEMAS TO \"My App-writers\";"),
                extra::toString);
        assertEquals(7, extra.size(), extra::toString);
    }

    @Test
    void onTopOfTheDocumentedStatementsAReaderJoinsTheReaders() {
        Plan plan = Planner.createUser(DB, UserName.of("reader_1"), Access.READ_ONLY, VERIFIER, true, true);
        assertEquals(List.of("GRANT \"My App-readers\" TO \"reader_1\";"), plan.describe().subList(8, 9));
        assertEquals(9, plan.describe().size());
    }

    @Test
    void onADatabaseWithoutItsGroupsCreateMakesThemFirst() {
        Plan plan = Planner.createUser(DB, UserName.of("reader_1"), Access.READ_ONLY, VERIFIER, false, true);
        assertTrue(plan.describe().get(0).startsWith("CREATE ROLE \"My App-readers\" NOLOGIN"), plan.describe().toString());
        assertFalse(plan.describe().stream().anyMatch(s -> s.startsWith("CREATE ROLE \"My App-writers\"")));
        assertEquals(1, plan.steps().size(), "one transaction");
    }

    @Test
    void theVerifierIsSentButNeverShown() {
        Plan plan = Planner.updatePassword(UserName.of("reader_1"), VERIFIER);
        Statement statement = plan.statements().get(plan.statements().size() - 1);
        assertTrue(statement.isSecret());
        assertTrue(statement.sql().contains(VERIFIER));
        assertFalse(statement.shown().contains(VERIFIER));
        assertFalse(statement.toString().contains(VERIFIER));
        assertFalse(String.join("\n", plan.describe()).contains(VERIFIER));
    }

    @Test
    void deleteVisitsOtherDatabasesFirstAndDropsTheRoleLastInTheApplicationDatabase() {
        Map<String, String> others = new LinkedHashMap<>();
        others.put("reports", "postgres");
        Plan plan = Planner.deleteUser(DB, UserName.of("writer_1"), others);
        assertEquals(4, plan.steps().size());
        assertEquals(List.of("ALTER ROLE \"writer_1\" NOLOGIN;"), plan.steps().get(0).statements().stream()
                .map(st -> st.shown() + ";").toList(), "first it can no longer log in");
        assertEquals(List.of("ALTER ROLE \"writer_1\" LOGIN"), plan.steps().get(0).undo().stream()
                .map(Statement::sql).toList(), "which a later failure gives back");
        assertFalse(plan.steps().get(1).transactional(), "then its sessions are ended");
        assertEquals("reports", plan.steps().get(2).database());
        assertEquals(List.of(
                "-- in database \"reports\": REASSIGN OWNED BY \"writer_1\" TO \"postgres\";",
                "-- in database \"reports\": DROP OWNED BY \"writer_1\";",
                "REASSIGN OWNED BY \"writer_1\" TO \"my_app_4553\";",
                "DROP OWNED BY \"writer_1\";",
                "DROP ROLE \"writer_1\";"), plan.describe().subList(2, 7));
        assertEquals(null, plan.steps().get(3).database());
    }

    @Test
    void provisioningANewDatabaseCanBeUndone() {
        Plan plan = Planner.provision("appdb", null, UserName.of("owner_1"), VERIFIER, false, false, List.of(), List.of());
        assertEquals(3, plan.steps().size());
        assertEquals(List.of("DROP ROLE \"owner_1\""), plan.steps().get(0).undo().stream().map(Statement::sql).toList());
        assertEquals(List.of("DROP DATABASE \"appdb\" WITH (FORCE)"),
                plan.steps().get(1).undo().stream().map(Statement::sql).toList(), "its own connection may still be open");
        assertFalse(plan.steps().get(1).transactional(), "CREATE DATABASE cannot run in a transaction");
        assertTrue(plan.describe().contains("REVOKE CREATE ON SCHEMA public FROM PUBLIC;"));
        assertTrue(plan.describe().contains("REVOKE CONNECT, TEMPORARY ON DATABASE \"appdb\" FROM PUBLIC;"),
                "a database it creates is for its own users only");
    }

    @Test
    void quotesEveryIdentifierEvenAwkwardOnes() {
        DatabaseInfo awkward = new DatabaseInfo("db\"; DROP TABLE x; --", "own\"er", false);
        Plan plan = Planner.createUser(awkward, UserName.of("reader_1"), Access.READ_ONLY, VERIFIER, true, true);
        assertTrue(plan.describe().contains("GRANT CONNECT ON DATABASE \"db\"\"; DROP TABLE x; --\" TO \"reader_1\";"),
                plan.describe().toString());
    }
}
