package io.pgusers.attack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgusers.testing.AppDatabase;
import io.pgusers.testing.CliRun;
import io.pgusers.testing.Login;
import io.pgusers.testing.Names;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/**
 * Issue 7, "read-only users": what PostgreSQL lets every role do, pgusers closes where it can (temporary
 * tables, on the databases it creates) and reports where it cannot (large objects a reader owns).
 */
class ReadOnlyLimitsTest {

    @Test
    void aReaderCannotCreateTemporaryTablesInADatabasePgusersCreatedAndAWriterCan() throws SQLException {
        AppDatabase db = AppDatabase.provision("notemp");
        String reader = Names.user("reader");
        String writer = Names.user("writer");
        try (Login ro = Login.as(db, reader, db.createUser(reader, true));
             Login rw = Login.as(db, writer, db.createUser(writer, false))) {
            ro.cannot("CREATE TEMPORARY TABLE scratch (i int)");
            rw.can("CREATE TEMPORARY TABLE scratch (i int)");
        }
    }

    @Test
    void largeObjectsAReaderOwnsAreReportedByCheckAndLeftToTheDba() throws SQLException {
        AppDatabase db = AppDatabase.provision("lobs");
        String reader = Names.user("lobber");
        try (Login ro = Login.as(db, reader, db.createUser(reader, true))) {
            ro.can("SELECT lo_from_bytea(0, 'written by a reader')");
            ro.can("SELECT lo_from_bytea(0, 'twice')");
        }
        CliRun check = db.cli().run("check");
        assertEquals(6, check.exitCode(), check::toString);
        assertTrue(check.out().contains("large objects 2 of " + reader) && check.out().contains("the owner of 2 large objects"),
                check.out());
        CliRun repair = db.cli().run("repair");
        assertEquals(6, repair.exitCode(), "repair cannot give large objects away: " + repair);
        assertTrue(repair.err().contains("Left as they are") && repair.err().contains("lo_unlink"), repair.err());
    }
}
