package io.pgusers.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgusers.http.ApiClient;
import io.pgusers.http.TestService;
import io.pgusers.testing.AppDatabase;
import io.pgusers.testing.CliRun;
import io.pgusers.testing.Names;
import io.pgusers.testing.PgServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Passwords reach neither the server's statement log (the test server runs with log_statement = all),
 * nor the audit trail, nor our messages; the server stores a SCRAM verifier computed by the client.
 */
class SecretsTest {

    @Test
    void noPasswordNorVerifierInTheServerLogEvenWithLogStatementAll() throws IOException, SQLException {
        Assumptions.assumeTrue(PgServer.shared().serverLog().isPresent(), "the server log is readable only for embedded servers");
        AppDatabase db = AppDatabase.provision("secret");
        String name = Names.user("hush");
        String created = "Created_" + Names.password();
        String updated = "Updated_" + Names.password();
        assertEquals(0, db.cli().stdin(created + "\n").run("create", "--password-stdin", name).exitCode());
        assertEquals(0, db.cli().stdin(updated + "\n").run("update-password", "--password-stdin", name).exitCode());
        String verifier = db.value("SELECT rolpassword FROM pg_authid WHERE rolname = '" + name + "'");
        assertTrue(verifier.startsWith("SCRAM-SHA-256$4096:"), "the server holds a SCRAM verifier");

        String log = Files.readString(PgServer.shared().serverLog().get(), StandardCharsets.UTF_8);
        assertTrue(log.contains("GRANT CONNECT ON DATABASE") || log.contains("GRANT ALL PRIVILEGES ON DATABASE"),
                "the log does record the statements pgusers sends (else this test proves nothing)");
        assertFalse(log.contains(created), "the first password is not in the server log");
        assertFalse(log.contains(updated), "the second password is not in the server log");
        assertFalse(log.contains(verifier), "not even the verifier is in the server log");
        assertFalse(log.contains(db.ownerPassword()), "nor the protected user's generated password");
        assertFalse(log.contains("SCRAM-SHA-256$4096"), "no verifier at all");
    }

    @Test
    void noVerifierInTheServerLogWithStatementSamplingEither() throws IOException, SQLException {
        Assumptions.assumeTrue(PgServer.shared().serverLog().isPresent(), "the server log is readable only for embedded servers");
        AppDatabase db = AppDatabase.provision("sampled");
        db.sql("ALTER DATABASE " + db.name() + " SET log_transaction_sample_rate = 1");
        db.sql("ALTER DATABASE " + db.name() + " SET log_min_duration_sample = 0");
        db.sql("ALTER DATABASE " + db.name() + " SET log_statement_sample_rate = 1");
        String name = Names.user("sampled");
        assertEquals(0, db.cli().stdin(Names.password() + "\n").run("create", "--password-stdin", name).exitCode());
        assertEquals(0, db.cli().stdin(Names.password() + "\n").run("update-password", "--password-stdin", name).exitCode());
        String verifier = db.value("SELECT rolpassword FROM pg_authid WHERE rolname = '" + name + "'");
        String log = Files.readString(PgServer.shared().serverLog().get(), StandardCharsets.UTF_8);
        assertFalse(log.contains(verifier), "the verifier is not in the server log");
        assertFalse(log.contains("SCRAM-SHA-256$4096"), "no verifier at all");
    }

    /** The service's pooled sessions are set never to sample a transaction once, when opened, not around each. */
    @Test
    void noVerifierInTheServerLogWithStatementSamplingThroughTheServiceEither() throws IOException, SQLException {
        Assumptions.assumeTrue(PgServer.shared().serverLog().isPresent(), "the server log is readable only for embedded servers");
        AppDatabase db = AppDatabase.provision("sampledapi");
        db.sql("ALTER DATABASE " + db.name() + " SET log_transaction_sample_rate = 1");
        db.sql("ALTER DATABASE " + db.name() + " SET log_min_duration_sample = 0");
        db.sql("ALTER DATABASE " + db.name() + " SET log_statement_sample_rate = 1");
        ApiClient api = TestService.client();
        String users = "/databases/" + db.name() + "/users";
        StringBuilder verifiers = new StringBuilder();
        for (boolean readOnly : new boolean[] {true, false}) {
            String name = Names.user(readOnly ? "sampledro" : "sampledrw");
            String password = Names.password();
            api.post(users, ApiClient.createBody(name, readOnly, password, password)).expect(201);
            String updated = Names.password();
            api.patch(users + "/" + name, ApiClient.passwordBody(updated, updated)).expect(200);
            String verifier = db.value("SELECT rolpassword FROM pg_authid WHERE rolname = '" + name + "'");
            assertTrue(verifier.startsWith("SCRAM-SHA-256$4096:"), verifier);
            verifiers.append(verifier).append('\n');
            try (Connection c = PgServer.shared().connect(db.name(), name, updated)) {
                assertTrue(c.isValid(2), "the user logs in with its new password");
            }
        }
        String log = Files.readString(PgServer.shared().serverLog().get(), StandardCharsets.UTF_8);
        for (String verifier : verifiers.toString().split("\n")) {
            assertFalse(log.contains(verifier), "the verifier is not in the server log");
        }
        assertFalse(log.contains("SCRAM-SHA-256$4096"), "no verifier at all");
    }

    @Test
    void theAuditTrailRecordsEachOperationAndNoPassword() throws SQLException {
        AppDatabase db = AppDatabase.provision("audit");
        String name = Names.user("audited");
        String password = Names.password();
        assertEquals(0, db.cli().stdin(password + "\n").run("create", "--password-stdin", name).exitCode());
        assertEquals(4, db.cli().run("delete", db.owner()).exitCode());
        assertEquals(0, db.cli().run("delete", name).exitCode());
        try (Connection c = PgServer.shared().connectAsSuperuser("postgres"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT operation, target_user, outcome, actor, connecting_role, "
                     + "coalesce(detail, '') AS detail, request_id FROM pgusers.audit_event WHERE database_name = '"
                     + db.name() + "' ORDER BY id")) {
            StringBuilder trail = new StringBuilder();
            java.util.Set<String> requestIds = new java.util.HashSet<>();
            int rows = 0;
            while (rs.next()) {
                rows++;
                trail.append(rs.getString("operation")).append(' ').append(rs.getString("target_user")).append(' ')
                        .append(rs.getString("outcome")).append(' ').append(rs.getString("connecting_role")).append(' ')
                        .append(rs.getString("detail")).append('\n');
                assertEquals(System.getProperty("user.name"), rs.getString("actor"));
                requestIds.add(rs.getString("request_id"));
            }
            assertEquals(rows, requestIds.size(), "each CLI call is an operation with a request id of its own");
            String text = trail.toString();
            assertTrue(text.contains("provision " + db.owner() + " success postgres"), text);
            assertTrue(text.contains("create " + name + " success postgres"), text);
            assertTrue(text.contains("delete " + db.owner() + " refused postgres Protected user"), text);
            assertTrue(text.contains("delete " + name + " success postgres"), text);
            assertFalse(text.contains(password));
            assertFalse(text.contains(db.ownerPassword()));
        }
    }

    @Test
    void passwordsNeverAppearOnTheCommandLine() {
        CliRun run = CliRun.against("postgres").run("create", "--password", "x".repeat(30), "someone_new");
        assertEquals(2, run.exitCode(), "there is no --password option: " + run);
    }
}
