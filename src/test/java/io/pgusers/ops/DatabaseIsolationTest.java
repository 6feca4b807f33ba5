package io.pgusers.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgusers.testing.AppDatabase;
import io.pgusers.testing.CliRun;
import io.pgusers.testing.Names;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two application databases on one instance: naming one database never unlocks the users of the other,
 * its protected user above all (role names are cluster-wide).
 */
class DatabaseIsolationTest {
    static AppDatabase shop;
    static AppDatabase other;
    static String otherUser;
    static String otherUserPassword;

    @BeforeAll
    static void provisionTwo() {
        shop = AppDatabase.provision("shop");
        other = AppDatabase.provision("other");
        otherUser = Names.user("otheruser");
        otherUserPassword = Names.password();
        assertEquals(0, other.cli().stdin(otherUserPassword + "\n").run("create", "--password-stdin", otherUser).exitCode());
    }

    @Test
    void theOtherDatabasesProtectedUserCannotBeRepasswordedOrDeletedFromHere() throws SQLException {
        CliRun update = shop.cli().stdin(Names.password() + "\n").run("update-password", "--password-stdin", other.owner());
        assertEquals(4, update.exitCode(), update::toString);
        CliRun delete = shop.cli().run("delete", other.owner());
        assertEquals(4, delete.exitCode(), delete::toString);

        shop.sql("GRANT CONNECT ON DATABASE " + shop.name() + " TO " + other.owner());
        CliRun connected = shop.cli().stdin(Names.password() + "\n").run("update-password", "--password-stdin", other.owner());
        assertEquals(4, connected.exitCode(), connected::toString);
        assertEquals("pgusers: User \"" + other.owner() + "\" is protected\n", connected.err(), "protected in every database");
        CliRun deleteConnected = shop.cli().run("delete", other.owner());
        assertEquals("pgusers: Protected user is managed by the platform and cannot be deleted.\n", deleteConnected.err());
        assertTrue(shop.cli().run("list").out().matches("(?s).*\\| " + other.owner() + " +\\| \\w+ +\\| true .*"),
                "and listed as protected here too");
        try (Connection c = other.loginAsOwner()) {
            assertTrue(c.isValid(2), "the other protected user keeps its password");
        }
    }

    @Test
    void theOtherDatabasesUsersAreNotTouchedFromHere() throws SQLException {
        CliRun update = shop.cli().stdin(Names.password() + "\n").run("update-password", "--password-stdin", otherUser);
        assertEquals(4, update.exitCode(), update::toString);
        assertTrue(update.err().contains("belongs to database \"" + other.name() + "\""), update.err());

        shop.sql("GRANT CONNECT ON DATABASE " + shop.name() + " TO " + otherUser);
        CliRun connected = shop.cli().stdin(Names.password() + "\n").run("update-password", "--password-stdin", otherUser);
        assertEquals(4, connected.exitCode(), connected::toString);
        assertTrue(connected.err().contains("belongs to database \"" + other.name() + "\""), connected.err());
        CliRun delete = shop.cli().run("delete", otherUser);
        assertEquals(4, delete.exitCode(), delete::toString);
        assertTrue(other.roleExists(otherUser));
        try (Connection c = other.login(otherUser, otherUserPassword)) {
            assertTrue(c.isValid(2));
        }
    }

    @Test
    void eachDatabaseListsItsOwnUsersOnly() {
        String list = shop.cli().run("list").out();
        assertTrue(list.contains(shop.owner()), list);
        assertFalse(list.contains(other.owner()), "a database pgusers created is for its own users: " + list);
        assertFalse(list.contains(otherUser), list);
    }
}
