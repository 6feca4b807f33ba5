package io.pgusers.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgusers.testing.AppDatabase;
import io.pgusers.testing.CliRun;
import io.pgusers.testing.Names;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code pgusers list}: who is listed, and what each column says, against what PostgreSQL holds. */
class ListCommandTest {
    static AppDatabase db;
    static String writer;
    static String reader;

    @BeforeAll
    static void provision() {
        db = AppDatabase.provision("list");
        writer = Names.user("w");
        reader = Names.user("r");
        assertEquals(0, db.cli().run("create", "--generate-password", writer).exitCode());
        assertEquals(0, db.cli().run("create", "--generate-password", "--read-only", reader).exitCode());
    }

    @Test
    void showsTheSeedsTableWithTheProtectedUserFirst() {
        CliRun run = db.cli().run("list");
        assertEquals(0, run.exitCode(), run::toString);
        String[] lines = run.out().split("\n");
        assertTrue(lines[0].matches("\\+-+\\+-{11}\\+-{11}\\+-{21}\\+"), lines[0]);
        assertTrue(lines[1].matches("\\| +USERNAME +\\| READ-ONLY \\| PROTECTED \\| PASSWORD ENCRYPTION \\|"), lines[1]);
        assertTrue(lines[3].matches("\\| " + db.owner() + " +\\| false +\\| true +\\| SCRAM-SHA-256 +\\|"), lines[3]);
        assertTrue(run.out().matches("(?s).*\\| " + writer + " +\\| false +\\| false +\\| SCRAM-SHA-256 +\\|.*"), run.out());
        assertTrue(run.out().matches("(?s).*\\| " + reader + " +\\| true +\\| false +\\| SCRAM-SHA-256 +\\|.*"), run.out());
    }

    @Test
    void leavesOutSuperusersTheAgentGroupRolesAndRolesThatCannotConnect() throws SQLException {
        String superuser = Names.user("su");
        String group = Names.user("grp");
        String outsider = Names.user("out");
        db.sql("CREATE ROLE " + superuser + " LOGIN SUPERUSER");
        db.sql("CREATE ROLE " + group + " NOLOGIN");
        db.sql("CREATE ROLE " + outsider + " LOGIN");
        db.sql("REVOKE CONNECT ON DATABASE " + db.name() + " FROM PUBLIC");
        try {
            List<String> names = names(db.cli().run("list", "--json"));
            assertFalse(names.contains(superuser));
            assertFalse(names.contains(group));
            assertFalse(names.contains("postgres"));
            assertFalse(names.contains(outsider), "no CONNECT once PUBLIC lost it");
            assertTrue(names.containsAll(List.of(db.owner(), writer, reader)), names.toString());
            assertFalse(names.stream().anyMatch(n -> n.startsWith("pg_")));
        } finally {
            db.sql("GRANT CONNECT ON DATABASE " + db.name() + " TO PUBLIC");
        }
    }

    @Test
    void readOnlyReflectsWhatTheRoleCanReallyDo() throws SQLException {
        db.sql("CREATE TABLE IF NOT EXISTS list_probe (v int)");
        db.sql("GRANT INSERT ON list_probe TO " + reader);
        try {
            assertFalse(user(reader).get("read_only").asBoolean(), "an INSERT grant makes it able to write");
        } finally {
            db.sql("REVOKE INSERT ON list_probe FROM " + reader);
        }
        db.sql("GRANT TRIGGER ON list_probe TO " + reader);
        try {
            assertFalse(user(reader).get("read_only").asBoolean(), "TRIGGER lets it attach code to writes");
        } finally {
            db.sql("REVOKE TRIGGER ON list_probe FROM " + reader);
        }
        assertTrue(user(reader).get("read_only").asBoolean());
    }

    @Test
    void jsonIsAnArrayOfThePlatformsFields() {
        CliRun run = db.cli().run("database-list-users", "--json");
        assertEquals(0, run.exitCode(), run::toString);
        JsonNode users = AppDatabase.listed(run.out());
        assertTrue(users.isArray());
        JsonNode owner = users.get(0);
        assertEquals(List.of("name", "read_only", "protected", "password_encryption"), fields(owner));
        assertEquals(db.owner(), owner.get("name").asText());
        assertTrue(owner.get("protected").asBoolean());
    }

    @Test
    void optionsWorkBeforeAndAfterTheCommandName() {
        CliRun before = CliRun.against("postgres").run("-d", db.name(), "list", "--json");
        CliRun after = CliRun.against("postgres").run("list", "--json", "-d", db.name());
        assertEquals(0, before.exitCode(), before::toString);
        assertEquals(before.out(), after.out());
        assertTrue(names(after).contains(db.owner()));
    }

    private static JsonNode user(String name) {
        for (JsonNode user : AppDatabase.listed(db.cli().run("list", "--json").out())) {
            if (user.get("name").asText().equals(name)) {
                return user;
            }
        }
        throw new AssertionError(name + " not listed");
    }

    private static List<String> names(CliRun run) {
        assertEquals(0, run.exitCode(), run::toString);
        List<String> names = new ArrayList<>();
        AppDatabase.listed(run.out()).forEach(u -> names.add(u.get("name").asText()));
        return names;
    }

    private static List<String> fields(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
