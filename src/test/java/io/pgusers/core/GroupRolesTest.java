package io.pgusers.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class GroupRolesTest {

    @Test
    void aShortDatabaseNameIsKeptWhole() {
        GroupRoles groups = GroupRoles.of("my_app_4553");
        assertEquals("my_app_4553-readers", groups.readers());
        assertEquals("my_app_4553-writers", groups.writers());
        assertEquals(groups.readers(), groups.of(Access.READ_ONLY));
        assertEquals(groups.writers(), groups.of(Access.READ_WRITE));
    }

    @Test
    void aGroupNameCannotBeAUserName() {
        GroupRoles groups = GroupRoles.of("shop");
        assertThrowsInvalid(groups.readers());
        assertThrowsInvalid(groups.writers());
    }

    @Test
    void aLongNameIsCutToWhatPostgresqlKeepsAndStaysDistinct() {
        String a = "a".repeat(60) + "_one";
        String b = "a".repeat(60) + "_two";
        GroupRoles ga = GroupRoles.of(a);
        GroupRoles gb = GroupRoles.of(b);
        assertTrue(ga.readers().getBytes(StandardCharsets.UTF_8).length <= 63, ga.readers());
        assertTrue(ga.readers().endsWith("-readers"));
        assertNotEquals(ga.readers(), gb.readers());
        assertEquals(GroupRoles.of(a), ga, "the same database always gets the same names");
    }

    @Test
    void multibyteCharactersAreNotCutInHalf() {
        String name = "é".repeat(40);
        GroupRoles groups = GroupRoles.of(name);
        byte[] bytes = groups.writers().getBytes(StandardCharsets.UTF_8);
        assertTrue(bytes.length <= 63);
        assertEquals(groups.writers(), new String(bytes, StandardCharsets.UTF_8));
        assertTrue(groups.writers().startsWith("éé"));
    }

    private static void assertThrowsInvalid(String name) {
        PgUsersException e = org.junit.jupiter.api.Assertions.assertThrows(PgUsersException.class, () -> UserName.of(name));
        assertEquals(Failure.INVALID_INPUT, e.failure());
    }
}
