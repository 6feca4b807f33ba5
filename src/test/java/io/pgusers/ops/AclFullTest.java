package io.pgusers.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgusers.testing.AppDatabase;
import io.pgusers.testing.CliRun;
import io.pgusers.testing.Names;
import io.pgusers.testing.PgServer;
import org.junit.jupiter.api.Test;

/**
 * Issue 9: the documented statements give every user an entry in the ACL of every table of schema public, and
 * a table's ACL must fit in its row of pg_class (no TOAST there): about 2,400 users fill it. The next create
 * is refused with a message that says so (exit 4), and nothing is changed.
 */
class AclFullTest {

    @Test
    void aCreateThatWouldOverflowATablesPrivilegesIsRefusedAndChangesNothing() throws Exception {
        AppDatabase db = AppDatabase.provision("aclfull");
        String prefix = "fill_" + PgServer.randomToken(6) + "_";
        db.sql("CREATE TABLE public.crowded (v text)");
        // as many roles as the table's ACL takes, each granted SELECT on it, until PostgreSQL refuses one more
        db.sql("DO $$ DECLARE i int := 0; BEGIN LOOP i := i + 1;"
                + " EXECUTE format('CREATE ROLE %I NOLOGIN', '" + prefix + "' || i);"
                + " BEGIN EXECUTE format('GRANT SELECT ON public.crowded TO %I', '" + prefix + "' || i);"
                + " EXCEPTION WHEN program_limit_exceeded THEN EXECUTE format('DROP ROLE %I', '" + prefix + "' || i); EXIT; END;"
                + " END LOOP; END $$");
        try {
            int filled = Integer.parseInt(db.value("SELECT count(*) FROM pg_roles WHERE rolname LIKE '" + prefix + "%'"));
            assertTrue(filled > 1_000, "the ACL filled up after " + filled + " roles");
            String user = Names.user("one_more");
            CliRun run = db.cli().stdin(Names.password() + "\n").run("create", "--read-only", "--password-stdin", user);
            assertEquals(4, run.exitCode(), run::toString);
            assertTrue(run.err().contains("the privileges of a table must fit in its row of pg_class")
                    && run.err().contains("Nothing was changed"), run.err());
            assertFalse(db.roleExists(user), "no role left behind");
        } finally {
            db.sql("DROP TABLE public.crowded");
            db.sql("DO $$ DECLARE r name; BEGIN FOR r IN SELECT rolname FROM pg_roles WHERE rolname LIKE '" + prefix
                    + "%' LOOP EXECUTE format('DROP ROLE %I', r); END LOOP; END $$");
        }
    }
}
