package io.pgusers.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgusers.core.Access;
import io.pgusers.core.Promise;
import io.pgusers.core.UserName;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The planner is pure: these tests need no server. */
class PlannerTest {
    private static final Target DB = new Target("My App", "my_app_4553", Set.of());
    private static final String VERIFIER = "SCRAM-SHA-256$4096:c2FsdA==$c3RvcmVk:c2VydmVy";

    @Test
    void readWriteUserGetsTheDocumentedStatementsAfterCreateRoleItsPasswordAndItsPromise() {
        Plan plan = Planner.createUser(DB, UserName.of("Mixed_Case_rw"), Access.READ_WRITE, VERIFIER);
        assertEquals(List.of(
                "CREATE ROLE \"Mixed_Case_rw\" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT;",
                "ALTER ROLE \"Mixed_Case_rw\" PASSWORD 'SCRAM-SHA-256$<verifier computed by pgusers>';",
                "COMMENT ON ROLE \"Mixed_Case_rw\" IS 'pgusers/1 {\"database\":\"My App\",\"role\":\"read-write user\"}';",
                "GRANT CREATE ON SCHEMA public TO \"Mixed_Case_rw\";",
                "GRANT ALL PRIVILEGES ON DATABASE \"My App\" TO \"Mixed_Case_rw\";",
                "GRANT ALL PRIVILEGES ON ALL TABLES IN SCHEMA public TO \"Mixed_Case_rw\";",
                "GRANT ALL PRIVILEGES ON ALL SEQUENCES IN SCHEMA public TO \"Mixed_Case_rw\";",
                "ALTER DEFAULT PRIVILEGES FOR USER \"my_app_4553\" IN SCHEMA public GRANT ALL ON TABLES TO \"Mixed_Case_rw\";",
                "ALTER DEFAULT PRIVILEGES FOR USER \"my_app_4553\" IN SCHEMA public GRANT ALL ON SEQUENCES TO \"Mixed_Case_rw\";"),
                plan.describe().subList(0, 9));
        assertEquals(1, plan.steps().size(), "one transaction: the promise commits with the role, or neither does");
        assertTrue(plan.steps().get(0).transactional());
    }

    @Test
    void readOnlyUserGetsTheDocumentedReadOnlyStatements() {
        Plan plan = Planner.createUser(DB, UserName.of("reader_1"), Access.READ_ONLY, VERIFIER);
        assertEquals("COMMENT ON ROLE \"reader_1\" IS 'pgusers/1 {\"database\":\"My App\",\"role\":\"read-only user\"}';",
                plan.describe().get(2));
        assertEquals(List.of(
                "GRANT USAGE ON SCHEMA public TO \"reader_1\";",
                "GRANT CONNECT ON DATABASE \"My App\" TO \"reader_1\";",
                "GRANT SELECT ON ALL TABLES IN SCHEMA public TO \"reader_1\";",
                "GRANT SELECT ON ALL SEQUENCES IN SCHEMA public TO \"reader_1\";",
                "ALTER DEFAULT PRIVILEGES FOR USER \"my_app_4553\" IN SCHEMA public GRANT SELECT ON TABLES TO \"reader_1\";",
                "ALTER DEFAULT PRIVILEGES FOR USER \"my_app_4553\" IN SCHEMA public GRANT SELECT ON SEQUENCES TO \"reader_1\";"),
                plan.describe().subList(3, 9));
    }

    @Test
    void onTopOfTheDocumentedStatementsAWriterJoinsTheWritersAndGetsDefaultPrivilegesInEverySchema() {
        Plan plan = Planner.createUser(DB, UserName.of("writer_1"), Access.READ_WRITE, VERIFIER);
        List<String> extra = plan.describe().subList(9, plan.describe().size());
        assertEquals("GRANT \"My App-writers\" TO \"writer_1\";", extra.get(0));
        assertTrue(extra.contains("ALTER DEFAULT PRIVILEGES FOR ROLE \"writer_1\" GRANT SELECT ON TABLES TO \"My App-readers\";"),
                extra::toString);
        assertTrue(extra.contains("ALTER DEFAULT PRIVILEGES FOR ROLE \"writer_1\" GRANT USAGE, CREATE ON SCHEMAS TO \"My App-writers\";"),
                extra::toString);
        assertEquals(7, extra.size(), extra::toString);
    }

    @Test
    void onTopOfTheDocumentedStatementsAReaderJoinsTheReaders() {
        Plan plan = Planner.createUser(DB, UserName.of("reader_1"), Access.READ_ONLY, VERIFIER);
        assertEquals(List.of("GRANT \"My App-readers\" TO \"reader_1\";"), plan.describe().subList(9, 10));
        assertEquals(10, plan.describe().size());
    }

    @Test
    void onADatabaseWithoutItsGroupsCreateMakesThemFirstWithTheirPromises() {
        Target early = new Target("My App", "my_app_4553", EnumSet.of(Access.READ_ONLY));
        Plan plan = Planner.createUser(early, UserName.of("reader_1"), Access.READ_ONLY, VERIFIER);
        assertTrue(plan.describe().get(0).startsWith("CREATE ROLE \"My App-readers\" NOLOGIN"), plan.describe().toString());
        assertEquals("COMMENT ON ROLE \"My App-readers\" IS 'pgusers/1 {\"database\":\"My App\",\"role\":\"readers group\"}';",
                plan.describe().get(1));
        assertFalse(plan.describe().stream().anyMatch(s -> s.startsWith("CREATE ROLE \"My App-writers\"")));
        assertEquals(1, plan.steps().size(), "one transaction");
    }

    @Test
    void theVerifierIsSentButNeverShownAndNeverWaits() {
        Plan plan = Planner.updatePassword(UserName.of("reader_1"), VERIFIER);
        List<Statement> statements = plan.statements();
        Statement secret = statements.get(statements.size() - 1);
        assertTrue(secret.isSecret());
        assertTrue(secret.sql().contains(VERIFIER));
        assertFalse(secret.shown().contains(VERIFIER));
        assertFalse(secret.toString().contains(VERIFIER));
        assertFalse(String.join("\n", plan.describe()).contains(VERIFIER));
        assertEquals("SELECT FROM pg_catalog.pg_authid WHERE rolname = ? FOR UPDATE", statements.get(1).sql(),
                "the role's row is taken first, by a statement without the secret");
    }

    @Test
    void aDeleteThatBeginsMarksTheRoleAndVisitsOtherDatabasesFirstAndDropsTheRoleLast() {
        Map<String, String> others = new LinkedHashMap<>();
        others.put("reports", "postgres");
        Promise marked = Promise.of("My App", Promise.Standing.READ_WRITE_USER).at(Promise.Stage.BEING_DELETED);
        String before = "pgusers/1 {\"database\":\"My App\",\"role\":\"read-write user\"}\nthe DBA's note";
        Plan plan = Planner.deleteUser(new Deletion(DB, UserName.of("writer_1"), Deletion.Start.BEGIN, marked,
                Optional.of(before), others));
        assertEquals(4, plan.steps().size());
        assertEquals(List.of("ALTER ROLE \"writer_1\" NOLOGIN;",
                        "COMMENT ON ROLE \"writer_1\" IS U&'pgusers/1 {\"database\":\"My App\",\"role\":\"read-write user\","
                                + "\"stage\":\"being deleted\"}\\000Athe DBA''s note';"),
                plan.steps().get(0).statements().stream().map(st -> st.shown() + ";").toList(),
                "first it can no longer log in, and its promise says it is being deleted, in one transaction");
        assertEquals(List.of("ALTER ROLE \"writer_1\" LOGIN", "COMMENT ON ROLE \"writer_1\" IS U&'pgusers/1 {\"database\":"
                        + "\"My App\",\"role\":\"read-write user\"}\\000Athe DBA''s note'"),
                plan.steps().get(0).undo().stream().map(Statement::sql).toList(), "which a later failure gives back");
        assertFalse(plan.steps().get(1).transactional(), "then its sessions are ended");
        assertEquals("reports", plan.steps().get(2).database());
        assertEquals(List.of(
                "-- in database \"reports\": REASSIGN OWNED BY \"writer_1\" TO \"postgres\";",
                "-- in database \"reports\": DROP OWNED BY \"writer_1\";",
                "REASSIGN OWNED BY \"writer_1\" TO \"my_app_4553\";",
                "DROP OWNED BY \"writer_1\";",
                "DROP ROLE \"writer_1\";"), plan.describe().subList(3, 8));
        assertEquals(null, plan.steps().get(3).database());
    }

    @Test
    void aDeleteCutShortIsResumedWithoutItsFirstStep() {
        Promise marked = Promise.of("My App", Promise.Standing.READ_ONLY_USER).at(Promise.Stage.BEING_DELETED);
        Plan plan = Planner.deleteUser(new Deletion(DB, UserName.of("reader_1"), Deletion.Start.RESUME, marked,
                Optional.of(marked.comment(Optional.empty())), Map.of()));
        assertEquals(2, plan.steps().size(), plan.describe().toString());
        assertFalse(plan.steps().get(0).transactional(), "its sessions are ended");
        assertEquals("DROP ROLE \"reader_1\";", plan.describe().get(plan.describe().size() - 1));
    }

    @Test
    void provisioningANewDatabaseCreatesItClosedAndOpensItToItsUsersOnlyAndCanBeUndone() {
        Plan plan = Planner.provision(new Provisioning("appdb", UserName.of("owner_1"), Provisioning.OwnerRole.CREATE,
                Provisioning.DatabaseNow.MISSING, EnumSet.allOf(Access.class), List.of(), List.of(), Optional.of(VERIFIER),
                Optional.empty()));
        assertEquals(4, plan.steps().size(), plan.describe().toString());
        assertEquals(List.of("CREATE ROLE \"owner_1\" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT",
                "COMMENT ON ROLE \"owner_1\" IS 'pgusers/1 {\"database\":\"appdb\",\"role\":\"protected user\",\"stage\":\"provisioning\"}'"),
                plan.steps().get(0).statements().stream().map(Statement::sql).toList(), "no password yet: none is shown yet");
        assertEquals(List.of("DROP ROLE \"owner_1\""), plan.steps().get(0).undo().stream().map(Statement::sql).toList());
        assertEquals(List.of("CREATE DATABASE \"appdb\" WITH OWNER = \"owner_1\" ALLOW_CONNECTIONS = false"),
                plan.steps().get(1).statements().stream().map(Statement::sql).toList());
        assertEquals(List.of("DROP DATABASE \"appdb\" WITH (FORCE)"),
                plan.steps().get(1).undo().stream().map(Statement::sql).toList(), "its own connection may still be open");
        assertFalse(plan.steps().get(1).transactional(), "CREATE DATABASE cannot run in a transaction");
        assertEquals(List.of("REVOKE CONNECT, TEMPORARY ON DATABASE \"appdb\" FROM PUBLIC",
                        "ALTER DATABASE \"appdb\" WITH ALLOW_CONNECTIONS true"),
                plan.steps().get(2).statements().stream().map(Statement::sql).toList(),
                "closed to PUBLIC and opened to its users in one transaction");
        List<String> last = plan.steps().get(3).statements().stream().map(Statement::shown).toList();
        assertTrue(last.contains("REVOKE CREATE ON SCHEMA public FROM PUBLIC"), last::toString);
        assertEquals("COMMENT ON ROLE \"owner_1\" IS 'pgusers/1 {\"database\":\"appdb\",\"role\":\"protected user\","
                + "\"stage\":\"password not shown\"}'", last.get(last.size() - 1), "the password is set last, not yet shown");
        assertTrue(plan.steps().get(3).statements().get(last.size() - 2).isSecret());
    }

    @Test
    void adoptingADatabaseKeepsTheOwnersCommentAndSetsNoPassword() {
        Plan plan = Planner.provision(new Provisioning("shop", UserName.existing("shop_owner"), Provisioning.OwnerRole.EXISTS,
                Provisioning.DatabaseNow.OWNED, Set.of(), List.of("public", "sales"), List.of(), Optional.empty(),
                Optional.of("our shop's owner")));
        assertEquals(1, plan.steps().size());
        List<String> sql = plan.steps().get(0).statements().stream().map(Statement::sql).toList();
        assertEquals("COMMENT ON ROLE \"shop_owner\" IS U&'pgusers/1 {\"database\":\"shop\",\"role\":\"protected user\"}"
                + "\\000Aour shop''s owner'", sql.get(sql.size() - 1), "the comment it had stays, after the promise");
        assertTrue(sql.contains("GRANT USAGE ON SCHEMA \"sales\" TO \"shop-readers\""), sql::toString);
        assertTrue(plan.statements().stream().noneMatch(Statement::isSecret));
    }

    @Test
    void quotesEveryIdentifierEvenAwkwardOnes() {
        Target awkward = new Target("db\"; DROP TABLE x; --", "own\"er", Set.of());
        Plan plan = Planner.createUser(awkward, UserName.of("reader_1"), Access.READ_ONLY, VERIFIER);
        assertTrue(plan.describe().contains("GRANT CONNECT ON DATABASE \"db\"\"; DROP TABLE x; --\" TO \"reader_1\";"),
                plan.describe().toString());
    }
}
