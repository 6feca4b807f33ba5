package io.pgusers.attack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgusers.http.ApiClient;
import io.pgusers.http.TestService;
import io.pgusers.testing.AppDatabase;
import io.pgusers.testing.CliRun;
import io.pgusers.testing.Names;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 7, "names forge the output": role names made by hand hold a newline and a forged row, a carriage
 * return, an ANSI escape that retitles the terminal, a zero-width space that makes a lookalike of the
 * protected user. Every human-readable output shows them escaped, one line a row; JSON stays exact.
 */
class ForgedNamesTest {
    static AppDatabase db;
    /** Each forged name, with how the tables and messages show it. */
    static final Map<String, String> FORGED = new java.util.LinkedHashMap<>();

    @BeforeAll
    static void makeThemByHand() throws SQLException {
        db = AppDatabase.provision("forged");
        FORGED.put("rowmaker\n| fake_admin | false | true | SCRAM-SHA-256 |", "rowmaker\\n| fake_admin | false | true | SCRAM-SHA-256 |");
        FORGED.put("eraser\r| eraser2 ", "eraser\\r| eraser2 ");
        FORGED.put("title\u001b]0;pwned\u0007", "title\\u001b]0;pwned\\u0007");
        FORGED.put(db.owner() + "\u200b", db.owner() + "\\u200b");
        FORGED.put("back\\slash", "back\\\\slash");
        for (String name : FORGED.keySet()) {
            db.sql("CREATE ROLE " + io.pgusers.sql.Sql.identifier(name) + " LOGIN");
            db.sql("GRANT CONNECT ON DATABASE " + db.name() + " TO " + io.pgusers.sql.Sql.identifier(name));
        }
    }

    @Test
    void theUsersTableHasOneLineARowAndShowsEachNameEscaped() {
        CliRun list = db.cli().run("list");
        assertEquals(0, list.exitCode(), list::toString);
        List<String> lines = list.out().lines().toList();
        assertEquals(3 + 1 + FORGED.size() + 1, lines.size(), list.out()); // border, header, border, rows, border
        for (String line : lines) {
            assertTrue(line.startsWith("+") || line.startsWith("| "), line);
            assertTrue(line.chars().noneMatch(c -> c < 0x20 || c == 0x7f || c == 0x200b), line);
        }
        for (String shown : FORGED.values()) {
            assertTrue(lines.stream().anyMatch(line -> line.startsWith("| " + shown + " ")), shown + " in\n" + list.out());
        }
        assertEquals(1, lines.stream().filter(line -> line.matches(".*\\| true +\\| SCRAM-SHA-256 +\\|")).count(),
                "one row is protected, whatever the names hold:\n" + list.out());
    }

    @Test
    void jsonKeepsEachNameExact() {
        CliRun list = db.cli().run("list", "--json");
        List<String> names = new ArrayList<>();
        for (JsonNode user : AppDatabase.listed(list.out())) {
            names.add(user.get("name").asText());
        }
        assertTrue(names.containsAll(FORGED.keySet()), names::toString);

        JsonNode api = TestService.client().get("/databases/" + db.name() + "/users").expect(200).json();
        List<String> fromApi = new ArrayList<>();
        api.get("database-users").forEach(user -> fromApi.add(user.get("name").asText()));
        assertTrue(fromApi.containsAll(FORGED.keySet()), fromApi::toString);
    }

    @Test
    void messagesShowTheNameEscapedOnOneLine() {
        for (Map.Entry<String, String> name : FORGED.entrySet()) {
            CliRun run = db.cli().stdin(Names.password() + "\n").run("update-password", "--password-stdin", name.getKey() + "x");
            assertEquals(3, run.exitCode(), run::toString);
            assertEquals("pgusers: User \"" + name.getValue() + "x\" does not exist\n", run.err());
        }
    }

    @Test
    void theAuditTableShowsNamesFromApiPathsEscaped() {
        String name = "audited\u001b[2J\u001b[Hfake";
        ApiClient api = TestService.client();
        api.delete("/databases/" + db.name() + "/users/" + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20"))
                .expect(404);
        CliRun audit = db.cli().run("audit", "--since", "1h");
        assertEquals(0, audit.exitCode(), audit::toString);
        assertTrue(audit.out().contains("audited\\u001b[2J\\u001b[Hfake"), audit.out());
        assertFalse(audit.out().chars().anyMatch(c -> c == 0x1b), "no escape reaches the terminal");
        CliRun json = db.cli().run("audit", "--since", "1h", "--json");
        assertTrue(AppDatabase.json(json.out()).findValuesAsText("user").contains(name), json.out());
    }
}
