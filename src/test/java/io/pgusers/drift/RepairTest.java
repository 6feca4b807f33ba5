package io.pgusers.drift;

import static io.pgusers.drift.States.OWNER;
import static io.pgusers.drift.States.READERS;
import static io.pgusers.drift.States.WRITERS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgusers.inspect.RoleRow;
import io.pgusers.plan.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Repair#plan}: the statements it plans for each kind of drift, and that they leave nothing to
 * repair (the plan is applied to the model as the server would apply it, then compared again).
 */
class RepairTest {

    @Test
    void nothingToRepairPlansNothing() {
        Repair.Result result = Repair.plan(States.healthy(18).build());
        assertEquals(List.of(), result.statements());
        assertEquals(List.of(), result.before());
    }

    @Test
    void anExtraGrantIsRevokedFromWhoHoldsIt() {
        States s = States.healthy(18);
        s.table("public", "t1", OWNER, States.granted(OWNER) + "; r1=INSERT,UPDATE");
        assertEquals(List.of("REVOKE INSERT, UPDATE ON TABLE \"public\".\"t1\" FROM \"r1\""), repair(s));
    }

    @Test
    void anExtraGrantToPublicIsRevokedFromPublic() {
        States s = States.healthy(18);
        s.table("public", "t1", OWNER, States.granted(OWNER) + "; PUBLIC=DELETE");
        assertEquals(List.of("REVOKE DELETE ON TABLE \"public\".\"t1\" FROM PUBLIC"), repair(s));
    }

    @Test
    void aTableTheSuperuserCreatedIsGrantedToBothGroups() {
        States s = States.healthy(18);
        s.table("public", "by_super", "postgres", "postgres=ALL");
        assertEquals(List.of(
                "GRANT SELECT ON TABLE \"public\".\"by_super\" TO \"app-readers\"",
                "GRANT ALL PRIVILEGES ON TABLE \"public\".\"by_super\" TO \"app-writers\""), repair(s));
    }

    @Test
    void aRevokedSelectIsGrantedBackToTheReadersGroup() {
        States s = States.healthy(18);
        s.table("ws", "t2", "w1", "w1=ALL; " + WRITERS + "=ALL");
        assertEquals(List.of("GRANT SELECT ON TABLE \"ws\".\"t2\" TO \"app-readers\""), repair(s));
    }

    @Test
    void theThreeDriftsOfTheIssueTakeThreeStatements() {
        States s = States.healthy(18);
        s.table("public", "t1", OWNER, States.granted(OWNER) + "; r1=INSERT");
        s.table("public", "by_super", "postgres", "postgres=ALL");
        s.table("ws", "t2", "w1", "w1=ALL; " + WRITERS + "=ALL");
        assertEquals(List.of(
                "REVOKE INSERT ON TABLE \"public\".\"t1\" FROM \"r1\"",
                "GRANT SELECT ON TABLE \"public\".\"by_super\", \"ws\".\"t2\" TO \"app-readers\"",
                "GRANT ALL PRIVILEGES ON TABLE \"public\".\"by_super\" TO \"app-writers\""), repair(s));
    }

    @Test
    void everyTableOfASchemaIsGrantedAtOnce() {
        States s = States.healthy(18);
        s.schema("stage", "w2", "w2=ALL; " + READERS + "=USAGE; " + WRITERS + "=ALL");
        for (int i = 0; i < 3; i++) {
            s.table("stage", "import_" + i, "postgres", "postgres=ALL");
        }
        assertEquals(List.of(
                "GRANT SELECT ON ALL TABLES IN SCHEMA \"stage\" TO \"app-readers\"",
                "GRANT ALL PRIVILEGES ON ALL TABLES IN SCHEMA \"stage\" TO \"app-writers\""), repair(s));
    }

    @Test
    void manyTablesAreListedOneALine() {
        States s = States.healthy(18);
        for (int i = 0; i < 6; i++) {
            s.table("public", "extra_" + i, "postgres", "postgres=ALL; " + WRITERS + "=ALL");
        }
        List<String> statements = repair(s);
        assertEquals(1, statements.size(), statements::toString);
        assertTrue(statements.get(0).startsWith("GRANT SELECT ON TABLE\n    \"public\".\"extra_0\",\n"), statements.get(0));
    }

    @Test
    void aReadersTableIsGivenToTheDatabaseOwner() {
        States s = States.healthy(18);
        s.table("public", "mine", "r1", "r1=ALL");
        assertEquals(List.of(
                "ALTER TABLE \"public\".\"mine\" OWNER TO \"own\"",
                "GRANT SELECT ON TABLE \"public\".\"mine\" TO \"app-readers\"",
                "GRANT ALL PRIVILEGES ON TABLE \"public\".\"mine\" TO \"app-writers\""), repair(s));
    }

    @Test
    void aSequenceAColumnOwnsGoesWithItsTableNeverOnItsOwn() {
        States s = States.healthy(15);
        // as privilege-acls.sql returns them: sequences first (ORDER BY object_type)
        s.ownedSequence("public", "ro_owned_id_seq", "ro_owned", "r1", "r1=ALL");
        s.ownedSequence("public", "ro_ident_id_seq", "ro_ident", "r1", "r1=ALL");
        s.sequence("public", "ro_loose_seq", "r1", "r1=ALL");
        s.table("public", "ro_ident", "r1", "r1=ALL");
        s.table("public", "ro_owned", "r1", "r1=ALL");
        Repair.Result result = Repair.plan(s.build());

        List<Difference> ownership = result.before().stream().filter(d -> d.kind() == Difference.Kind.OWNERSHIP).toList();
        assertEquals(List.of(
                "sequence public.ro_loose_seq, r1 (read-only): expected not the owner (an owner holds every privilege); actual the owner",
                "table public.ro_ident, r1 (read-only): expected not the owner (an owner holds every privilege);"
                        + " actual the owner, with its sequence public.ro_ident_id_seq",
                "table public.ro_owned, r1 (read-only): expected not the owner (an owner holds every privilege);"
                        + " actual the owner, with its sequence public.ro_owned_id_seq"),
                ownership.stream().map(Difference::sentence).toList(), "one difference per table, none for its sequence");
        assertEquals(List.of(
                "ALTER TABLE \"public\".\"ro_ident\" OWNER TO \"own\"",
                "ALTER TABLE \"public\".\"ro_owned\" OWNER TO \"own\"",
                "ALTER SEQUENCE \"public\".\"ro_loose_seq\" OWNER TO \"own\"",
                "GRANT SELECT ON TABLE \"public\".\"ro_ident\", \"public\".\"ro_owned\" TO \"app-readers\"",
                "GRANT ALL PRIVILEGES ON TABLE \"public\".\"ro_ident\", \"public\".\"ro_owned\" TO \"app-writers\"",
                "GRANT SELECT ON SEQUENCE \"public\".\"ro_owned_id_seq\", \"public\".\"ro_ident_id_seq\", \"public\".\"ro_loose_seq\""
                        + " TO \"app-readers\"",
                "GRANT ALL PRIVILEGES ON SEQUENCE \"public\".\"ro_owned_id_seq\", \"public\".\"ro_ident_id_seq\","
                        + " \"public\".\"ro_loose_seq\" TO \"app-writers\""),
                repair(s), "the owned sequences change owner with their tables (the model cascades, nothing remains)");
    }

    @Test
    void aReadersSequenceWhoseTableIsNotAReadersIsLeftRemainingNotAlteredOnItsOwn() {
        States s = States.healthy(15);
        s.ownedSequence("public", "odd_id_seq", "t1", "r1", "r1=ALL");
        Repair.Result result = Repair.plan(s.build());
        assertTrue(shown(result).stream().noneMatch(st -> st.startsWith("ALTER SEQUENCE")), () -> shown(result).toString());
        assertTrue(result.remaining().stream().anyMatch(d -> d.kind() == Difference.Kind.OWNERSHIP
                && d.object().equals("public.odd_id_seq")), () -> result.remaining().toString());
    }

    @Test
    void attributesAreTakenBack() {
        States s = States.healthy(18);
        s.role(new RoleRow("r1", true, true, true, true, true, true, true,
                List.of(new RoleRow.Membership(READERS, "postgres", true))));
        assertEquals(List.of("ALTER ROLE \"r1\" NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS"), repair(s));
    }

    @ParameterizedTest
    @ValueSource(ints = {13, 16})
    void aMembershipThatGrantsMoreIsRevokedNamingItsGrantorFrom16(int major) {
        States s = States.healthy(major);
        s.role(new RoleRow("r1", false, false, false, false, false, true, true, List.of(
                new RoleRow.Membership(READERS, "postgres", true), new RoleRow.Membership("w1", "admin1", true))));
        String grantedBy = major >= 16 ? " GRANTED BY \"admin1\"" : "";
        assertEquals(List.of("REVOKE \"w1\" FROM \"r1\"" + grantedBy), repair(s));
    }

    @ParameterizedTest
    @ValueSource(ints = {15, 16})
    void aGroupMemberThatIsNotAManagedUserIsRevoked(int major) {
        States s = States.healthy(major);
        s.role(new RoleRow(WRITERS, false, false, false, false, false, true, false, List.of(),
                List.of(new RoleRow.Membership("w1", "postgres", true), new RoleRow.Membership("intruder", "dba", true))));
        assertEquals(List.of("REVOKE \"app-writers\" FROM \"intruder\"" + (major >= 16 ? " GRANTED BY \"dba\"" : "")),
                repair(s));
    }

    @Test
    void aMissingMembershipIsGranted() {
        States s = States.healthy(18);
        s.role(new RoleRow("r2", false, false, false, false, false, true, true, List.of()));
        s.role(new RoleRow("w2", false, false, false, false, false, true, true, List.of()));
        assertEquals(List.of("GRANT \"app-readers\" TO \"r2\"", "GRANT \"app-writers\" TO \"w2\""), repair(s));
    }

    @Test
    void noinheritBefore16IsTheRolesAttribute() {
        States s = States.healthy(13);
        s.role(new RoleRow("r1", false, false, false, false, false, false, true,
                List.of(new RoleRow.Membership(READERS, "postgres", false))));
        assertEquals(List.of("ALTER ROLE \"r1\" INHERIT"), repair(s));
    }

    @Test
    void aMembershipWithoutInheritFrom16IsGrantedAgainWithInherit() {
        States s = States.healthy(16);
        s.role(new RoleRow("r1", false, false, false, false, false, true, true,
                List.of(new RoleRow.Membership(READERS, "postgres", false))));
        assertEquals(List.of("GRANT \"app-readers\" TO \"r1\" WITH INHERIT TRUE"), repair(s));
    }

    @Test
    void aWriterWithoutDefaultPrivilegesGetsThem() {
        States s = States.healthy(18);
        s.withoutDefaults("w2");
        assertEquals(List.of(
                "ALTER DEFAULT PRIVILEGES FOR ROLE \"w2\" GRANT SELECT ON TABLES TO \"app-readers\"",
                "ALTER DEFAULT PRIVILEGES FOR ROLE \"w2\" GRANT ALL PRIVILEGES ON TABLES TO \"app-writers\"",
                "ALTER DEFAULT PRIVILEGES FOR ROLE \"w2\" GRANT SELECT ON SEQUENCES TO \"app-readers\"",
                "ALTER DEFAULT PRIVILEGES FOR ROLE \"w2\" GRANT ALL PRIVILEGES ON SEQUENCES TO \"app-writers\"",
                "ALTER DEFAULT PRIVILEGES FOR ROLE \"w2\" GRANT USAGE ON SCHEMAS TO \"app-readers\"",
                "ALTER DEFAULT PRIVILEGES FOR ROLE \"w2\" GRANT ALL PRIVILEGES ON SCHEMAS TO \"app-writers\""), repair(s));
    }

    @Test
    void defaultPrivilegesThatGrantMoreAreRevokedWhereTheyAre() {
        States s = States.healthy(18);
        s.defaults("w1", null, "table", States.granted("w1") + "; PUBLIC=INSERT");
        s.defaults(OWNER, "public", "table", "r1=SELECT,TRUNCATE");
        assertEquals(List.of(
                "ALTER DEFAULT PRIVILEGES FOR ROLE \"own\" IN SCHEMA \"public\" REVOKE TRUNCATE ON TABLES FROM \"r1\"",
                "ALTER DEFAULT PRIVILEGES FOR ROLE \"w1\" REVOKE INSERT ON TABLES FROM PUBLIC"), repair(s));
    }

    @Test
    void createOnSchemaPublicIsRevokedFromPublic() {
        States s = States.healthy(13);
        s.schema("public", "postgres", "postgres=ALL; PUBLIC=USAGE,CREATE; " + READERS + "=USAGE; " + WRITERS + "=ALL");
        assertEquals(List.of("REVOKE CREATE ON SCHEMA \"public\" FROM PUBLIC"), repair(s));
    }

    @Test
    void aColumnGrantIsRevokedOnTheTable() {
        States s = States.healthy(18);
        s.column("public", "t1", "label", OWNER, "r1=SELECT,UPDATE");
        assertEquals(List.of("REVOKE UPDATE ON TABLE \"public\".\"t1\" FROM \"r1\""), repair(s));
    }

    @ParameterizedTest
    @ValueSource(ints = {13, 18})
    void aDatabaseProvisionedBeforeTheGroupsIsBroughtUpToDate(int major) {
        // What an earlier pgusers left: the documented statements only, per user, and no groups.
        States s = new States(major);
        for (String user : List.of(OWNER, "w1")) {
            s.roles.put(user, new RoleRow(user, false, false, false, false, false, true, true, List.of()));
            s.promised.put(user, io.pgusers.core.Access.READ_WRITE);
        }
        s.roles.put("r1", new RoleRow("r1", false, false, false, false, false, true, true, List.of()));
        s.promised.put("r1", io.pgusers.core.Access.READ_ONLY);
        s.database("PUBLIC=CONNECT,TEMPORARY; own=ALL; w1=ALL; r1=CONNECT");
        s.schema("public", "postgres", "postgres=ALL; PUBLIC=USAGE; own=CREATE; w1=CREATE; r1=USAGE");
        s.table("public", "t1", OWNER, "own=ALL; w1=ALL; r1=SELECT");
        s.table("public", "t2", "w1", "w1=ALL");
        s.defaults(OWNER, "public", "table", "w1=ALL; r1=SELECT");
        Repair.Result result = Repair.plan(s.build());
        assertFalse(result.before().isEmpty());
        assertEquals(List.of(), result.remaining(), () -> result.remaining().toString());
        List<String> statements = shown(result);
        assertTrue(statements.get(0).startsWith("CREATE ROLE \"app-readers\" NOLOGIN"), statements::toString);
        assertTrue(statements.contains("GRANT \"app-writers\" TO \"own\", \"w1\""), statements::toString);
        assertTrue(statements.contains(
                "ALTER DEFAULT PRIVILEGES FOR ROLE \"own\", \"w1\", \"app-writers\" GRANT SELECT ON TABLES TO \"app-readers\""),
                statements::toString);
        assertTrue(statements.size() <= 20, statements::toString);
    }

    @Test
    void everyDriftAtOnceIsRepairedInOnePlan() {
        States s = States.healthy(16);
        s.table("public", "t1", OWNER, States.granted(OWNER) + "; r1=INSERT; PUBLIC=UPDATE");
        s.table("public", "by_super", "postgres", "postgres=ALL");
        s.table("public", "mine", "r2", "r2=ALL");
        s.schema("r2s", "r2", "r2=ALL");
        s.column("ws", "t2", "x", "w1", "r2=INSERT");
        s.role(new RoleRow("r1", false, true, false, false, false, false, true, List.of(
                new RoleRow.Membership(READERS, "postgres", false), new RoleRow.Membership(WRITERS, "postgres", true))));
        s.withoutDefaults("w1");
        s.defaults("w2", null, "sequence", States.granted("w2") + "; " + READERS + "=USAGE");
        Repair.Result result = Repair.plan(s.build());
        assertEquals(List.of(), result.remaining(), () -> result.remaining() + "\n" + String.join("\n", shown(result)));
        assertEquals(1, result.plan().steps().size(), "one transaction");
    }

    private static List<String> repair(States s) {
        Repair.Result result = Repair.plan(s.build());
        assertEquals(List.of(), result.remaining(), () -> "left: " + result.remaining());
        return shown(result);
    }

    private static List<String> shown(Repair.Result result) {
        return result.statements().stream().map(Statement::shown).toList();
    }
}
