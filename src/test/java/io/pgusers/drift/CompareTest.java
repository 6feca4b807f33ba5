package io.pgusers.drift;

import static io.pgusers.drift.States.OWNER;
import static io.pgusers.drift.States.READERS;
import static io.pgusers.drift.States.WRITERS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgusers.core.Access;
import io.pgusers.drift.Difference.Kind;
import io.pgusers.inspect.RoleRow;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** {@link Drift#compare}: what it finds, and what it leaves alone, without a server. */
class CompareTest {

    @ParameterizedTest
    @ValueSource(ints = {13, 14, 15, 16, 17, 18})
    void aDatabaseAsPgusersLeavesItHasNoDifference(int major) {
        assertEquals(List.of(), Drift.compare(States.healthy(major).build()));
    }

    @Test
    void anExtraInsertGrantedToAReaderIsADifferenceOfThatReaderOnly() {
        States s = States.healthy(18);
        s.table("public", "t1", OWNER, States.granted(OWNER) + "; r1=INSERT");
        List<Difference> found = Drift.compare(s.build());
        assertEquals(1, found.size(), found::toString);
        Difference d = found.get(0);
        assertEquals(Kind.PRIVILEGES, d.kind());
        assertEquals("table", d.objectType());
        assertEquals("public.t1", d.object());
        assertEquals("r1", d.user());
        assertEquals("read-only", d.access());
        assertEquals("SELECT", d.expected());
        assertEquals("SELECT, INSERT", d.actual());
    }

    @Test
    void aTableTheSuperuserCreatedIsADifferenceForEveryUserAndBothGroups() {
        States s = States.healthy(17);
        s.table("public", "by_super", "postgres", "postgres=ALL");
        List<Difference> found = Drift.compare(s.build());
        assertEquals(Set.of(OWNER, "w1", "w2", "r1", "r2", READERS, WRITERS), users(found));
        assertTrue(found.stream().allMatch(d -> d.object().equals("public.by_super") && d.actual().equals("no privileges")));
        Difference writer = found.stream().filter(d -> d.user().equals("w1")).findFirst().orElseThrow();
        assertEquals("ALL PRIVILEGES", writer.expected());
    }

    @Test
    void aRevokedSelectIsADifferenceForTheReadersAndTheirGroup() {
        States s = States.healthy(16);
        s.table("ws", "t2", "w1", "w1=ALL; " + WRITERS + "=ALL");
        List<Difference> found = Drift.compare(s.build());
        assertEquals(Set.of("r1", "r2", READERS), users(found));
        assertTrue(found.stream().allMatch(d -> d.expected().equals("SELECT") && d.actual().equals("no privileges")));
    }

    @Test
    void aSelectHeldDirectlyStillLeavesTheGroupShortForUsersCreatedLater() {
        States s = States.healthy(18);
        s.table("ws", "t2", "w1", "w1=ALL; " + WRITERS + "=ALL; r1=SELECT; r2=SELECT");
        List<Difference> found = Drift.compare(s.build());
        assertEquals(Set.of(READERS), users(found));
    }

    @Test
    void outsideTheSchemasOfTheWritersNothingIsRequiredButReadersStillMayOnlyRead() {
        States s = States.healthy(18);
        s.schema("audit", "postgres", "postgres=ALL; r1=USAGE");
        s.table("audit", "log", "postgres", "postgres=ALL");
        assertEquals(List.of(), Drift.compare(s.build()));
        s.table("audit", "log", "postgres", "postgres=ALL; r1=SELECT,INSERT");
        List<Difference> found = Drift.compare(s.build());
        assertEquals(1, found.size(), found::toString);
        assertEquals("at most SELECT", found.get(0).expected());
    }

    @Test
    void aSchemaAWriterCreatesIsCoveredInFull() {
        States s = States.healthy(18);
        s.schema("w2s", "w2", "w2=ALL");
        List<Difference> found = Drift.compare(s.build());
        assertEquals(Set.of(OWNER, "w1", "r1", "r2", READERS, WRITERS), users(found));
    }

    @Test
    void createOnSchemaPublicForPublicMakesEveryReaderAWriter() {
        States s = States.healthy(13);
        s.schema("public", "postgres", "postgres=ALL; PUBLIC=USAGE,CREATE; " + READERS + "=USAGE; " + WRITERS + "=ALL");
        List<Difference> found = Drift.compare(s.build());
        assertEquals(Set.of("r1", "r2", READERS), users(found));
        assertTrue(found.stream().allMatch(d -> d.actual().equals("USAGE, CREATE")), found::toString);
    }

    @Test
    void temporaryTablesAreAllowedToReadersButCreateOnTheDatabaseIsNot() {
        States s = States.healthy(18);
        s.database("PUBLIC=CONNECT,TEMPORARY; own=ALL; " + WRITERS + "=ALL; r2=CREATE");
        List<Difference> found = Drift.compare(s.build());
        assertEquals(1, found.size(), found::toString);
        assertEquals("CONNECT (TEMPORARY allowed)", found.get(0).expected());
        assertEquals("CREATE, CONNECT, TEMPORARY", found.get(0).actual());
    }

    @Test
    void aColumnGrantBeyondSelectIsADifference() {
        States s = States.healthy(18);
        s.column("public", "t1", "label", OWNER, "r1=UPDATE");
        List<Difference> found = Drift.compare(s.build());
        assertEquals(1, found.size(), found::toString);
        assertEquals("column", found.get(0).objectType());
        assertEquals("public.t1.label", found.get(0).object());
    }

    @Test
    void attributesThatGrantMoreAndNoinheritAreDifferences() {
        States s = States.healthy(18);
        s.role(new RoleRow("r1", true, true, false, false, true, false, true,
                List.of(new RoleRow.Membership(READERS, "postgres", false))));
        List<Difference> found = Drift.compare(s.build());
        List<String> attributes = found.stream().filter(d -> d.kind() == Kind.ATTRIBUTE).map(Difference::actual).toList();
        assertEquals(List.of("SUPERUSER", "CREATEDB", "BYPASSRLS", "NOINHERIT"), attributes);
        assertTrue(found.stream().anyMatch(d -> d.kind() == Kind.MEMBERSHIP
                && d.actual().equals("a member of " + READERS + " that does not inherit its privileges")));
    }

    @Test
    void aMembershipThatGrantsMoreIsADifferenceAndItsPrivilegesShow() {
        States s = States.healthy(18);
        s.role(new RoleRow("r1", false, false, false, false, false, true, true, List.of(
                new RoleRow.Membership(READERS, "postgres", true), new RoleRow.Membership("w1", "postgres", true))));
        s.role(new RoleRow("w1", false, false, false, false, false, true, true,
                List.of(new RoleRow.Membership(WRITERS, "postgres", true))));
        List<Difference> found = Drift.compare(s.build());
        assertTrue(found.stream().anyMatch(d -> d.kind() == Kind.MEMBERSHIP && d.user().equals("r1")
                && d.actual().equals("a member of w1")), found::toString);
        assertTrue(found.stream().anyMatch(d -> d.kind() == Kind.PRIVILEGES && d.user().equals("r1")
                && d.object().equals("ws.t2") && d.actual().equals("ALL PRIVILEGES")), found::toString);
    }

    @Test
    void aReaderThatOwnsATableIsADifference() {
        States s = States.healthy(18);
        s.table("public", "mine", "r1", States.granted("r1"));
        List<Difference> found = Drift.compare(s.build());
        assertTrue(found.stream().anyMatch(d -> d.kind() == Kind.OWNERSHIP && d.user().equals("r1")));
    }

    @Test
    void aWriterWithoutDefaultPrivilegesLeavesWhatItCreatesLaterToItself() {
        States s = States.healthy(18);
        s.withoutDefaults("w2");
        List<Difference> found = Drift.compare(s.build());
        assertTrue(found.stream().allMatch(d -> d.kind() == Kind.DEFAULT_PRIVILEGES), found::toString);
        assertTrue(found.stream().anyMatch(d -> d.object().equals("tables that w2 creates later, in any schema")
                && d.user().equals("r1") && d.actual().equals("no privileges")));
        assertTrue(found.stream().anyMatch(d -> d.object().equals("schemas that w2 creates later")
                && d.user().equals(WRITERS) && d.expected().equals("USAGE, CREATE")));
        assertTrue(found.stream().noneMatch(d -> d.user().equals("w2")), "w2 owns what it creates");
    }

    @Test
    void defaultPrivilegesInOneSchemaThatGrantMoreAreADifference() {
        States s = States.healthy(18);
        s.defaults(OWNER, "public", "table", "r1=SELECT,INSERT");
        List<Difference> found = Drift.compare(s.build());
        assertEquals(1, found.size(), found::toString);
        assertEquals("tables that own creates later, in schema public", found.get(0).object());
    }

    @Test
    void missingGroupsAreDifferences() {
        States s = States.healthy(18);
        s.roles.remove(READERS);
        List<Difference> found = Drift.compare(s.build());
        assertTrue(found.stream().anyMatch(d -> d.kind() == Kind.GROUP && d.object().equals(READERS)
                && d.actual().equals("missing")));
    }

    @Test
    void tableAndSequenceWritersPrivilegesFollowTheVersion() {
        States s = States.healthy(17);
        // as a database upgraded from 16 holds them: ALL without MAINTAIN
        String all16 = "SELECT,INSERT,UPDATE,DELETE,TRUNCATE,REFERENCES,TRIGGER";
        s.table("ws", "t2", "w1", "w1=" + all16 + "; " + READERS + "=SELECT; " + WRITERS + "=" + all16);
        List<Difference> found = Drift.compare(s.build());
        assertEquals(Set.of(OWNER, "w1", "w2", WRITERS), users(found));
        assertTrue(found.stream().allMatch(d -> d.actual().endsWith("TRIGGER")), found::toString);
        assertEquals(List.of(), Drift.compare(States.healthy(16).table("ws", "t2", "w1",
                "w1=" + all16 + "; " + READERS + "=SELECT; " + WRITERS + "=" + all16).build()));
    }

    @Test
    void aGroupMemberThatIsNotAManagedUserIsADifference() {
        States s = States.healthy(18);
        RoleRow readers = s.roleRow(READERS);
        s.role(new RoleRow(READERS, false, false, false, false, false, true, false, List.of(),
                List.of(new RoleRow.Membership("r1", "postgres", true), new RoleRow.Membership("reporting", "dba", true))));
        List<Difference> found = Drift.compare(s.build());
        assertEquals(1, found.size(), found::toString);
        assertEquals(Kind.GROUP, found.get(0).kind());
        assertEquals("a member reporting, which pgusers does not manage here", found.get(0).actual());
        assertTrue(readers.members().isEmpty());
    }

    @Test
    void aRegisteredUserWhoseRoleIsGoneIsIgnored() {
        States s = States.healthy(18);
        s.promised.put("ghost1", Access.READ_ONLY);
        assertEquals(List.of(), Drift.compare(s.build()));
    }

    private static Set<String> users(List<Difference> differences) {
        return differences.stream().map(Difference::user).collect(Collectors.toSet());
    }
}
