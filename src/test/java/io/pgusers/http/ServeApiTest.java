package io.pgusers.http;

import static io.pgusers.http.ApiClient.createBody;
import static io.pgusers.http.ApiClient.passwordBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgusers.testing.AppDatabase;
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
 * The platform's database-users API over real HTTP against a real {@code serve} and a real PostgreSQL:
 * every endpoint, every error status, and what the users it makes can really do.
 */
class ServeApiTest {
    private static final String INSUFFICIENT_PRIVILEGE = "42501";
    private static final String INVALID_PASSWORD = "28P01";

    static AppDatabase db;
    static ApiClient api;
    static String users;

    @BeforeAll
    static void setUp() throws SQLException {
        db = AppDatabase.provision("api");
        api = TestService.client();
        users = "/databases/" + db.name() + "/users";
        try (Connection owner = db.loginAsOwner(); Statement s = owner.createStatement()) {
            s.execute("CREATE TABLE accounts (id serial PRIMARY KEY, label text)");
            s.execute("INSERT INTO accounts (label) VALUES ('from the protected user')");
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Health, token

    @Test
    void healthAnswersWithoutTheToken() {
        ApiClient.Answer health = api.withToken(null).get("/health").expect(200);
        assertEquals("ok", health.json().get("status").asText());
    }

    @Test
    void everyApiRequestWithoutTheRightTokenIs401AndNothingElse() {
        String name = db.owner();
        List<String[]> requests = List.of(
                new String[] {"GET", "/databases", null},
                new String[] {"GET", users, null},
                new String[] {"POST", users, createBody(Names.user("nope"), false, null, null)},
                new String[] {"PATCH", users + "/" + name, passwordBody(Names.password(), Names.password())},
                new String[] {"POST", users + "/" + name + "/reset_password", null},
                new String[] {"DELETE", users + "/" + name, null},
                new String[] {"GET", "/databases/no_such_database/users", null});
        for (ApiClient client : List.of(api.withToken(null), api.withToken("wrong-" + TestService.TOKEN),
                api.withToken(TestService.TOKEN.substring(1)), api.withToken(""))) {
            for (String[] r : requests) {
                ApiClient.Answer answer = client.send(r[0], r[1], r[2]);
                assertEquals(401, answer.status(), () -> r[0] + " " + r[1] + ": " + answer.body());
                assertEquals("{\"error\":\"Unauthorized\"}", answer.body());
            }
        }
        assertEquals(0, countRoles("nope_%"), "no request got through");
        assertTrue(ownerLogsIn(), "the protected user's password is unchanged");
    }

    @Test
    void theBearerSchemeIsCaseInsensitive() throws Exception {
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(api.base() + users))
                .header("Authorization", "bearer " + TestService.TOKEN).build();
        var response = java.net.http.HttpClient.newHttpClient().send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
    }

    // ---------------------------------------------------------------------------------------------
    // List

    @Test
    void listShowsTheProtectedUserInThePlatformsShape() {
        ApiClient.Answer answer = api.get(users).expect(200);
        JsonNode list = answer.json().get("database-users");
        assertNotNull(list, answer.body());
        JsonNode owner = find(list, db.owner());
        assertNotNull(owner, answer.body());
        assertFalse(owner.get("read_only").asBoolean());
        assertTrue(owner.get("protected").asBoolean());
        assertEquals("SCRAM-SHA-256", owner.get("dbms_attributes").get("password_encryption").asText());
        assertNull(owner.get("password"), "a list never shows a password");
        assertNotNull(answer.requestId(), "X-Request-Id");
        assertEquals("no-store", answer.raw().headers().firstValue("Cache-Control").orElse(null));
    }

    @Test
    void databasesListsTheProvisionedOnes() {
        JsonNode databases = api.get("/databases").expect(200).json().get("databases");
        List<String> ids = new ArrayList<>();
        databases.forEach(d -> ids.add(d.get("id").asText()));
        assertTrue(ids.contains(db.name()), ids.toString());
        assertFalse(ids.contains("postgres"), ids.toString());
    }

    // ---------------------------------------------------------------------------------------------
    // Create

    @Test
    void createWithoutPasswordGeneratesOneThatLogsIn() throws SQLException {
        String name = Names.user("gen");
        ApiClient.Answer answer = api.post(users, createBody(name, false, null, null)).expect(201);
        JsonNode user = answer.user();
        assertEquals(name, user.get("name").asText());
        assertFalse(user.get("read_only").asBoolean());
        assertFalse(user.get("protected").asBoolean());
        assertEquals("SCRAM-SHA-256", user.get("dbms_attributes").get("password_encryption").asText());
        String password = user.get("password").asText();
        assertTrue(password.matches("[A-Za-z0-9_]{64}"), password);
        try (Connection c = db.login(name, password); Statement s = c.createStatement()) {
            s.execute("INSERT INTO accounts (label) VALUES ('from a generated read-write user')");
        }
    }

    @Test
    void createWithAPasswordDoesNotEchoIt() throws SQLException {
        String name = Names.user("given");
        String password = Names.password();
        ApiClient.Answer answer = api.post(users, createBody(name, false, password, password)).expect(201);
        assertNull(answer.user().get("password"), answer.body());
        assertFalse(answer.body().contains(password));
        db.login(name, password).close();
    }

    @Test
    void aReadOnlyUserMadeThroughTheApiReadsButCannotWrite() throws SQLException {
        String name = Names.user("ro");
        JsonNode user = api.post(users, createBody(name, true, null, null)).expect(201).user();
        assertTrue(user.get("read_only").asBoolean());
        try (Connection c = db.login(name, user.get("password").asText()); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT label FROM accounts WHERE id = 1")) {
                assertTrue(rs.next());
                assertEquals("from the protected user", rs.getString(1));
            }
            SQLException insert = assertThrows(SQLException.class,
                    () -> s.execute("INSERT INTO accounts (label) VALUES ('from a reader')"));
            assertEquals(INSUFFICIENT_PRIVILEGE, insert.getSQLState(), insert.getMessage());
            SQLException create = assertThrows(SQLException.class,
                    () -> s.execute("CREATE TABLE reader_table_" + name + " (v int)"));
            assertEquals(INSUFFICIENT_PRIVILEGE, create.getSQLState(), create.getMessage());
        }
        assertTrue(find(api.get(users).expect(200).json().get("database-users"), name).get("read_only").asBoolean());
    }

    @Test
    void anExistingUserIs409() {
        String name = Names.user("twice");
        api.post(users, createBody(name, false, null, null)).expect(201);
        ApiClient.Answer again = api.post(users, createBody(name, true, null, null)).expect(409);
        assertEquals("User \"" + name + "\" already exists", again.error());
    }

    @Test
    void invalidNamesAndPasswordsAre422AndChangeNothing() throws SQLException {
        String good = Names.user("valid");
        assertEquals("Name must contain between 6 and 32 characters",
                api.post(users, createBody("abc", false, null, null)).expect(422).error());
        assertEquals("Name must start with a letter",
                api.post(users, createBody("1abcdefg", false, null, null)).expect(422).error());
        assertEquals("Name must only contain alphanumerical characters and underscores (_)",
                api.post(users, createBody("bad-name-x", false, null, null)).expect(422).error());
        assertEquals("Name is required",
                api.post(users, "{\"database_user\": {\"read_only\": false}}").expect(422).error());
        assertEquals("Password must contain between 24 and 64 characters",
                api.post(users, createBody(good, false, "short", "short")).expect(422).error());
        String quoted = "quote'" + Names.password();
        assertEquals("Password must not contain the character \" or '",
                api.post(users, createBody(good, false, quoted, quoted)).expect(422).error());
        assertEquals("Password confirmation doesn't match",
                api.post(users, createBody(good, false, Names.password(), Names.password())).expect(422).error());
        assertEquals("Password confirmation doesn't match",
                api.post(users, createBody(good, false, Names.password(), null)).expect(422).error());
        assertFalse(db.roleExists(good));
    }

    @Test
    void malformedRequestsAre400AndHugeOnes413() {
        String name = Names.user("malformed");
        assertEquals(400, api.post(users, "{not json").status());
        assertEquals(400, api.post(users, "[]").status());
        assertEquals(400, api.post(users, "{\"name\": \"" + name + "\"}").status());
        assertEquals(400, api.post(users, "{\"database_user\": \"" + name + "\"}").status());
        assertEquals(400, api.post(users, "{\"database_user\": {\"name\": \"" + name + "\", \"read_only\": \"yes\"}}").status());
        assertEquals(400, api.post(users, "{\"database_user\": {\"name\": 12345678}}").status());
        assertEquals(400, api.post(users, "{\"database_user\": {\"name\": \"" + name + "\"}} trailing").status());
        ApiClient.Answer empty = api.post(users, "").expect(400);
        assertTrue(empty.error().startsWith("Malformed request"), empty.body());
        assertEquals(400, api.patch(users + "/" + name, "{oops").status());
        assertEquals(413, api.post(users, createBody(name, false, "x".repeat(100_000), null)).status(), "64 KiB at most");
        assertEquals(0, countRoles(name));
    }

    @Test
    void aCreateThatFailsHalfwayLeavesNoUser() throws SQLException {
        String name = Names.user("halfway");
        String trigger = "fail_" + name;
        db.sql("CREATE FUNCTION " + trigger + "() RETURNS event_trigger LANGUAGE plpgsql AS "
                + "$$ BEGIN RAISE EXCEPTION 'grants are broken today'; END $$");
        db.sql("CREATE EVENT TRIGGER " + trigger + " ON ddl_command_end WHEN TAG IN ('GRANT') EXECUTE PROCEDURE "
                + trigger + "()");
        try {
            ApiClient.Answer answer = api.post(users, createBody(name, false, null, null)).expect(503);
            assertTrue(answer.error().contains("grants are broken today"), answer.body());
            assertFalse(db.roleExists(name), "CREATE ROLE was rolled back with the failed GRANT");
        } finally {
            db.sql("DROP EVENT TRIGGER " + trigger);
            db.sql("DROP FUNCTION " + trigger + "()");
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Update password, reset password

    @Test
    void patchSetsTheConfirmedPassword() throws SQLException {
        String name = Names.user("patch");
        String old = Names.password();
        api.post(users, createBody(name, false, old, old)).expect(201);
        String fresh = Names.password();
        ApiClient.Answer answer = api.patch(users + "/" + name, passwordBody(fresh, fresh)).expect(200);
        assertEquals(name, answer.user().get("name").asText());
        assertNull(answer.user().get("password"), answer.body());
        db.login(name, fresh).close();
        assertRefused(name, old);
    }

    @Test
    void patchWithAMismatchedConfirmationIs422AndKeepsThePassword() throws SQLException {
        String name = Names.user("mismatch");
        String old = Names.password();
        api.post(users, createBody(name, false, old, old)).expect(201);
        ApiClient.Answer answer = api.patch(users + "/" + name, passwordBody(Names.password(), Names.password())).expect(422);
        assertEquals("Password confirmation doesn't match", answer.error());
        db.login(name, old).close();
    }

    @Test
    void resetPasswordGeneratesOneThatLogsIn() throws SQLException {
        String name = Names.user("reset");
        String old = Names.password();
        api.post(users, createBody(name, true, old, old)).expect(201);
        ApiClient.Answer answer = api.post(users + "/" + name + "/reset_password", null).expect(200);
        String fresh = answer.user().get("password").asText();
        assertTrue(fresh.matches("[A-Za-z0-9_]{64}"), fresh);
        assertTrue(answer.user().get("read_only").asBoolean(), "the access stays");
        db.login(name, fresh).close();
        assertRefused(name, old);
    }

    @Test
    void anMd5UserBecomesScramWhenItsPasswordIsReset() throws SQLException {
        String name = Names.user("md5");
        String old = Names.password();
        api.post(users, createBody(name, false, old, old)).expect(201);
        try (Connection c = db.superuser(); Statement s = c.createStatement()) {
            s.execute("SET password_encryption = 'md5'");
            s.execute("ALTER ROLE " + name + " PASSWORD '" + old + "'");
        }
        assertEquals("MD5", find(api.get(users).expect(200).json().get("database-users"), name)
                .get("dbms_attributes").get("password_encryption").asText());
        JsonNode reset = api.post(users + "/" + name + "/reset_password", null).expect(200).user();
        assertEquals("SCRAM-SHA-256", reset.get("dbms_attributes").get("password_encryption").asText());
    }

    // ---------------------------------------------------------------------------------------------
    // Delete

    @Test
    void deleteIs204AndTheRoleIsGone() throws SQLException {
        String name = Names.user("gone");
        api.post(users, createBody(name, false, null, null)).expect(201);
        ApiClient.Answer answer = api.delete(users + "/" + name).expect(204);
        assertEquals("", answer.body());
        assertFalse(db.roleExists(name));
        assertEquals("User \"" + name + "\" does not exist", api.delete(users + "/" + name).expect(404).error());
    }

    // ---------------------------------------------------------------------------------------------
    // 403, 404

    @Test
    void theProtectedUserIs403Everywhere() {
        String owner = users + "/" + db.owner();
        assertEquals("User \"" + db.owner() + "\" is protected",
                api.post(owner + "/reset_password", null).expect(403).error());
        String password = Names.password();
        assertEquals("User \"" + db.owner() + "\" is protected",
                api.patch(owner, passwordBody(password, password)).expect(403).error());
        assertEquals("Protected user is managed by the platform and cannot be deleted.",
                api.delete(owner).expect(403).error());
        assertTrue(ownerLogsIn());
    }

    @Test
    void rolesThatAreNotOursAre403() {
        String superuser = PgServer.shared().superuser();
        ApiClient.Answer answer = api.post(users + "/" + superuser + "/reset_password", null).expect(403);
        assertTrue(answer.error().startsWith("User \"" + superuser + "\" is not managed by pgusers"), answer.body());
        api.delete(users + "/" + superuser).expect(403);
    }

    @Test
    void unknownUsersAre404() {
        String name = Names.user("ghost");
        String expected = "User \"" + name + "\" does not exist";
        assertEquals(expected, api.post(users + "/" + name + "/reset_password", null).expect(404).error());
        String password = Names.password();
        assertEquals(expected, api.patch(users + "/" + name, passwordBody(password, password)).expect(404).error());
        assertEquals(expected, api.delete(users + "/" + name).expect(404).error());
    }

    @Test
    void aDatabaseThatPgusersDidNotProvisionIs404() {
        String unprovisioned = PgServer.shared().createDatabase("plain");
        for (String id : List.of("no_such_database", unprovisioned, "postgres", "template1")) {
            String path = "/databases/" + id + "/users";
            String error = api.get(path).expect(404).error();
            assertTrue(error.startsWith("Database \"" + id + "\" " + (id.equals("no_such_database") ? "does not exist"
                    : id.equals(unprovisioned) ? "is not managed by pgusers" : "belongs to PostgreSQL, not to its users")
                    + "; pgusers manages "), error);
            String name = Names.user("elsewhere");
            api.post(path, createBody(name, false, null, null)).expect(404);
            api.post(path + "/" + db.owner() + "/reset_password", null).expect(404);
            api.delete(path + "/" + db.owner()).expect(404);
            assertEquals(0, countRoles(name));
        }
    }

    @Test
    void unknownPathsAre404InJson() {
        ApiClient.Answer answer = api.get("/nothing/here").expect(404);
        assertEquals("Not Found", answer.error());
    }

    // ---------------------------------------------------------------------------------------------
    // The page

    @Test
    void thePageIsServedFromTheJarWithoutTheTokenAndLoadsNothingFromElsewhere() {
        ApiClient anonymous = api.withToken(null);
        ApiClient.Answer page = anonymous.get("/").expect(200);
        assertTrue(page.raw().headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(page.body().contains("Database Users"));
        String policy = page.raw().headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(policy.contains("default-src 'none'") && policy.contains("connect-src 'self'"), policy);
        String css = anonymous.get("/app.css").expect(200).body();
        String js = anonymous.get("/app.js").expect(200).body();
        for (String file : List.of(page.body(), css, js)) {
            assertFalse(file.matches("(?s).*(https?:)?//[a-z0-9.-]+\\.[a-z]{2,}/.*"), "an address elsewhere in the page files");
            assertFalse(file.contains("@import"));
        }
    }

    // ---------------------------------------------------------------------------------------------

    private static JsonNode find(JsonNode list, String name) {
        for (JsonNode user : list) {
            if (user.get("name").asText().equals(name)) {
                return user;
            }
        }
        return null;
    }

    private static boolean ownerLogsIn() {
        try (Connection c = db.loginAsOwner()) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    private static void assertRefused(String user, String password) {
        SQLException e = assertThrows(SQLException.class, () -> db.login(user, password).close());
        assertEquals(INVALID_PASSWORD, e.getSQLState(), e.getMessage());
    }

    private static int countRoles(String like) {
        try {
            return Integer.parseInt(db.value("SELECT count(*) FROM pg_roles WHERE rolname LIKE '" + like + "'"));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
