package io.pgusers.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * An application database made by {@code pgusers provision}, with its protected user and that user's
 * generated password, as a platform hook would receive them.
 */
public record AppDatabase(String name, String owner, String ownerPassword) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Provisions a fresh database (the CLI creates it) with a fresh protected user. */
    public static AppDatabase provision(String prefix) {
        String name = prefix + "_" + PgServer.randomToken(8);
        String owner = Names.user("owner");
        CliRun run = CliRun.against(name).run("provision", "--owner", owner, "--json");
        assertEquals(0, run.exitCode(), run::toString);
        JsonNode result = json(run.out());
        return new AppDatabase(name, owner, result.get("password").asText());
    }

    /** The users of {@code list --json}: its {@code "database-users"} array, as the platform's API names it. */
    public static JsonNode listed(String text) {
        JsonNode list = json(text).get("database-users");
        if (list == null || !list.isArray()) {
            throw new AssertionError("not the output of list --json: " + text);
        }
        return list;
    }

    public static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    public CliRun.Builder cli() {
        return CliRun.against(name);
    }

    /** Creates {@code user} with pgusers (the CLI, --password-stdin); returns its password. */
    public String createUser(String user, boolean readOnly) {
        String password = Names.password();
        CliRun run = readOnly
                ? cli().stdin(password + "\n").run("create", "--read-only", "--password-stdin", user)
                : cli().stdin(password + "\n").run("create", "--password-stdin", user);
        assertEquals(0, run.exitCode(), run::toString);
        return password;
    }

    /** Logs in as {@code user} with {@code password}, over TCP with scram-sha-256. */
    public Connection login(String user, String password) throws SQLException {
        return PgServer.shared().connect(name, user, password);
    }

    public Connection loginAsOwner() throws SQLException {
        return login(owner, ownerPassword);
    }

    public Connection superuser() throws SQLException {
        return PgServer.shared().connectAsSuperuser(name);
    }

    /** Runs one statement as the superuser. */
    public void sql(String statement) throws SQLException {
        try (Connection c = superuser(); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    /** The single value of a query run as the superuser. */
    public String value(String query) throws SQLException {
        try (Connection c = superuser(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    public boolean roleExists(String role) throws SQLException {
        return "t".equals(value("SELECT count(*) = 1 FROM pg_roles WHERE rolname = '" + role.replace("'", "''") + "'"));
    }
}
