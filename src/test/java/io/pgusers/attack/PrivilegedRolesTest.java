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
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 7, "privileged roles are handed out": a role whose power reaches beyond one database's data, made
 * by hand and able to connect, is never re-passworded, reset or deleted (exit 4, HTTP 403, nothing changed),
 * and never listed as read-only.
 */
class PrivilegedRolesTest {
    static AppDatabase db;
    /** Each privileged role, by name, with the words that say why it is refused. */
    static final Map<String, String> WHY = new LinkedHashMap<>();
    static final String PASSWORD = Names.password();

    @BeforeAll
    static void makeThemByHand() throws SQLException {
        db = AppDatabase.provision("privileged");
        String middle = Names.user("middle");
        String bypassing = Names.user("bypassing");
        db.sql("CREATE ROLE " + middle + " NOLOGIN");
        db.sql("GRANT pg_read_server_files TO " + middle);
        db.sql("CREATE ROLE " + bypassing + " NOLOGIN BYPASSRLS");
        role("program", "", "GRANT pg_execute_server_program TO %s", "it is a member of pg_execute_server_program");
        role("through", "", "GRANT " + middle + " TO %s", "it is a member of pg_read_server_files");
        role("setrole", "NOINHERIT", "GRANT pg_write_server_files TO %s", "it is a member of pg_write_server_files");
        role("creatrole", "CREATEROLE", null, "it has CREATEROLE");
        role("creatdb", "CREATEDB", null, "it has CREATEDB");
        role("replicat", "REPLICATION", null, "it has REPLICATION");
        role("bypasser", "BYPASSRLS", null, "it has BYPASSRLS");
        role("inherits", "", "GRANT " + bypassing + " TO %s", "which has BYPASSRLS");
        role("monitors", "", "GRANT pg_monitor TO %s", "it is a member of pg_monitor");
    }

    private static void role(String prefix, String attributes, String grant, String why) throws SQLException {
        String name = Names.user(prefix);
        db.sql("CREATE ROLE " + name + " LOGIN " + attributes + " PASSWORD '" + PASSWORD + "'");
        db.sql("GRANT CONNECT ON DATABASE " + db.name() + " TO " + name);
        if (grant != null) {
            db.sql(String.format(grant, name));
        }
        WHY.put(name, why);
    }

    @Test
    void theCliRefusesToRepasswordOrDeleteThemAndSaysWhy() throws SQLException {
        for (Map.Entry<String, String> role : WHY.entrySet()) {
            String name = role.getKey();
            CliRun update = db.cli().stdin(Names.password() + "\n").run("update-password", "--password-stdin", name);
            assertEquals(4, update.exitCode(), update::toString);
            assertTrue(update.err().contains(role.getValue()), update.err());
            assertTrue(update.err().contains("beyond one database's data"), update.err());
            CliRun delete = db.cli().run("delete", name);
            assertEquals(4, delete.exitCode(), delete::toString);
            CliRun deleteIfExists = db.cli().run("delete", "--if-exists", name);
            assertEquals(4, deleteIfExists.exitCode(), deleteIfExists::toString);
            CliRun create = db.cli().run("create", "--generate-password", "--if-not-exists", name);
            assertEquals(5, create.exitCode(), create::toString);
            assertUnchanged(name);
        }
    }

    @Test
    void theApiRefusesThemWith403() throws SQLException {
        ApiClient api = TestService.client();
        for (Map.Entry<String, String> role : WHY.entrySet()) {
            String path = "/databases/" + db.name() + "/users/" + role.getKey();
            String next = Names.password();
            ApiClient.Answer patch = api.patch(path, ApiClient.passwordBody(next, next)).expect(403);
            assertTrue(patch.error().contains(role.getValue()), patch.body());
            api.post(path + "/reset_password", null).expect(403);
            api.delete(path).expect(403);
            assertUnchanged(role.getKey());
        }
    }

    @Test
    void noneOfThemIsListedAsReadOnly() {
        CliRun list = db.cli().run("list", "--json");
        assertEquals(0, list.exitCode(), list::toString);
        int seen = 0;
        for (JsonNode user : AppDatabase.listed(list.out())) {
            if (WHY.containsKey(user.get("name").asText())) {
                seen++;
                assertFalse(user.get("read_only").asBoolean(), user.toString());
            }
        }
        assertEquals(WHY.size(), seen, list.out());
    }

    /** The role is there, with its attributes and its old password. */
    private static void assertUnchanged(String name) throws SQLException {
        assertTrue(db.roleExists(name), name);
        try (Connection c = db.login(name, PASSWORD)) {
            assertTrue(c.isValid(2), name + " still logs in with its password");
        }
    }
}
