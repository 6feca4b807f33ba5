package io.pgusers.http;

import static io.pgusers.http.ApiClient.createBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgusers.testing.AppDatabase;
import io.pgusers.testing.CliRun;
import io.pgusers.testing.Names;
import io.pgusers.testing.PgServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One audit row per operation, from the CLI and from the API, with who, from where, as which role,
 * what, where, how it ended and the request id; {@code pgusers audit} prints them. Never a password.
 */
class AuditTrailTest {
    static AppDatabase db;
    static ApiClient api;
    static String users;

    static String cliUser;
    static String cliPassword;
    static String apiUser;
    static String apiPassword;
    static String createId;
    static String conflictId;
    static String resetId;
    static String resetPassword;
    static String deleteId;
    static String listId;

    @BeforeAll
    static void operate() {
        db = AppDatabase.provision("audit");
        api = TestService.client();
        users = "/databases/" + db.name() + "/users";

        cliUser = Names.user("cli");
        cliPassword = Names.password();
        CliRun cli = db.cli().stdin(cliPassword + "\n").run("create", "--password-stdin", cliUser);
        assertEquals(0, cli.exitCode(), cli::toString);

        apiUser = Names.user("api");
        ApiClient.Answer created = api.post(users, createBody(apiUser, true, null, null)).expect(201);
        createId = created.requestId();
        apiPassword = created.user().get("password").asText();
        conflictId = api.post(users, createBody(apiUser, false, null, null)).expect(409).requestId();
        ApiClient.Answer reset = api.post(users + "/" + apiUser + "/reset_password", null).expect(200);
        resetId = reset.requestId();
        resetPassword = reset.user().get("password").asText();
        deleteId = api.delete(users + "/" + apiUser).expect(204).requestId();
        listId = api.get(users).expect(200).requestId();
    }

    @Test
    void eachApiOperationIsOneRowWithItsRequestIdCallerAndAddress() {
        List<JsonNode> rows = auditJson("--since", "15m");
        assertRow(rows, createId, "create", apiUser, "success", null);
        assertRow(rows, conflictId, "create", apiUser, "already_exists", "User \"" + apiUser + "\" already exists");
        assertRow(rows, resetId, "reset-password", apiUser, "success", null);
        assertRow(rows, deleteId, "delete", apiUser, "success", null);
        assertRow(rows, listId, "list", null, "success", null);
    }

    @Test
    void aCliOperationIsARowWithTheOsUser() {
        JsonNode row = auditJson().stream()
                .filter(r -> cliUser.equals(r.get("user").asText()))
                .findFirst().orElseThrow(() -> new AssertionError("no row for the CLI create of " + cliUser));
        assertEquals(System.getProperty("user.name"), row.get("actor").asText());
        assertTrue(row.get("client_address").isNull(), row.toString());
        assertEquals(PgServer.shared().superuser(), row.get("connecting_role").asText());
        assertEquals("create", row.get("operation").asText());
        assertEquals(db.name(), row.get("database").asText());
        assertEquals("success", row.get("outcome").asText());
    }

    @Test
    void theTableShowsTheSameRowsWithin120Columns() {
        CliRun run = db.cli().run("audit", "--since", "1h");
        assertEquals(0, run.exitCode(), run::toString);
        String header = run.out().lines().skip(1).findFirst().orElse("");
        List<String> columns = List.of(header.split("\\|")).stream().map(String::strip).filter(c -> !c.isEmpty()).toList();
        assertEquals(List.of("TIME (UTC)", "WHO", "ROLE", "OPERATION", "USER", "REQUEST", "OUTCOME"), columns, run.out());
        for (String id : List.of(createId, conflictId, resetId, deleteId)) {
            assertTrue(run.out().contains("| " + id.substring(0, 8) + " |"), id);
        }
        run.out().lines().forEach(line -> assertTrue(line.length() <= 120, "wider than 120 columns: " + line));
        assertTrue(run.err().contains("(database \"" + db.name() + "\" on "), run.err());
    }

    @Test
    void oneDatabaseUnlessAllAreAskedFor() {
        AppDatabase other = AppDatabase.provision("auditother");
        String elsewhere = Names.user("elsewhere");
        assertEquals(0, other.cli().run("create", "--generate-password", elsewhere).exitCode());
        List<String> mine = auditJson().stream().map(r -> r.get("database").asText()).distinct().toList();
        assertEquals(List.of(db.name()), mine);
        CliRun all = db.cli().run("audit", "--all-databases", "--json");
        assertEquals(0, all.exitCode(), all::toString);
        List<String> databases = new ArrayList<>();
        AppDatabase.json(all.out()).forEach(r -> databases.add(r.get("database").asText()));
        assertTrue(databases.contains(db.name()) && databases.contains(other.name()), databases.toString());
        CliRun table = db.cli().run("audit", "--all-databases");
        assertTrue(table.out().lines().skip(1).findFirst().orElse("").contains(" DATABASE "), table.out());
        table.out().lines().forEach(line -> assertTrue(line.length() <= 120, "wider than 120 columns: " + line));
    }

    @Test
    void underSudoThePersonBehindItIsRecordedBesideTheOsUser() {
        String name = Names.user("sudoed");
        CliRun run = db.cli().env("SUDO_USER", "alice").run("create", "--generate-password", name);
        assertEquals(0, run.exitCode(), run::toString);
        JsonNode row = auditJson().stream().filter(r -> name.equals(r.get("user").asText())).findFirst().orElseThrow();
        assertEquals(System.getProperty("user.name") + " (sudo by alice)", row.get("actor").asText());
    }

    @Test
    void neverAPassword() throws SQLException {
        String json = db.cli().run("audit", "--json").out();
        String table = db.cli().run("audit").out();
        String stored;
        try (Connection c = PgServer.shared().connectAsSuperuser("postgres"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT string_agg(a::text, ' ') FROM pgusers.audit_event a")) {
            rs.next();
            stored = rs.getString(1);
        }
        for (String password : List.of(cliPassword, apiPassword, resetPassword)) {
            assertFalse(json.contains(password));
            assertFalse(table.contains(password));
            assertFalse(stored.contains(password));
        }
    }

    @Test
    void sinceLeavesOutWhatCameBefore() {
        assertEquals(0, auditJson("--since", "2999-01-01").size());
        assertEquals(0, auditJson("--since", "2999-01-01T00:00:00Z").size());
        assertTrue(auditJson("--since", "2000-01-01").size() >= 5);
    }

    @Test
    void aSinceThatIsNeitherADurationNorATimeIsAUsageError() {
        CliRun run = db.cli().run("audit", "--since", "yesterday-ish");
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("--since takes a duration"), run.err());
    }

    // ---------------------------------------------------------------------------------------------

    private static List<JsonNode> auditJson(String... options) {
        List<String> args = new ArrayList<>(List.of("audit", "--json"));
        args.addAll(List.of(options));
        CliRun run = db.cli().run(args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run::toString);
        List<JsonNode> rows = new ArrayList<>();
        AppDatabase.json(run.out()).forEach(rows::add);
        return rows;
    }

    private static void assertRow(List<JsonNode> rows, String requestId, String operation, String user, String outcome,
                                  String detail) {
        assertNotNull(requestId, "the response had an X-Request-Id");
        List<JsonNode> mine = rows.stream().filter(r -> requestId.equals(r.get("request_id").asText())).toList();
        assertEquals(1, mine.size(), () -> "one row for request " + requestId + ": " + mine);
        JsonNode row = mine.get(0);
        assertEquals(UsersApi.ACTOR, row.get("actor").asText());
        assertEquals("127.0.0.1", row.get("client_address").asText());
        assertEquals(PgServer.shared().superuser(), row.get("connecting_role").asText());
        assertEquals(operation, row.get("operation").asText());
        assertEquals(db.name(), row.get("database").asText());
        assertEquals(user, row.get("user").isNull() ? null : row.get("user").asText());
        assertEquals(outcome, row.get("outcome").asText());
        if (detail != null) {
            assertEquals(detail, row.get("detail").asText());
        }
        assertTrue(row.get("time").asText().matches("\\d{4}-\\d\\d-\\d\\dT.*"), row.toString());
    }
}
