package io.pgusers.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pgusers.core.DatabaseUser;
import java.util.List;
import org.junit.jupiter.api.Test;

class UsersTableTest {

    @Test
    void rendersTheSeedsTableExactly() {
        String expected = """
                +----------------+-----------+-----------+---------------------+
                |    USERNAME    | READ-ONLY | PROTECTED | PASSWORD ENCRYPTION |
                +----------------+-----------+-----------+---------------------+
                | my_app_4553    | false     | true      | SCRAM-SHA-256       |
                | my_app_4553_rw | false     | false     | MD5                 |
                | my_app_4553_ro | true      | false     | MD5                 |
                +----------------+-----------+-----------+---------------------+
                """;
        assertEquals(expected, UsersTable.render(List.of(
                new DatabaseUser("my_app_4553", false, true, "SCRAM-SHA-256"),
                new DatabaseUser("my_app_4553_rw", false, false, "MD5"),
                new DatabaseUser("my_app_4553_ro", true, false, "MD5"))));
    }

    @Test
    void centresHeadersOverWideColumnsAndShowsAMissingPassword() {
        String expected = """
                +---------------------------+-----------+-----------+---------------------+
                |         USERNAME          | READ-ONLY | PROTECTED | PASSWORD ENCRYPTION |
                +---------------------------+-----------+-----------+---------------------+
                | a_rather_long_user_name_1 | true      | false     | NONE                |
                +---------------------------+-----------+-----------+---------------------+
                """;
        assertEquals(expected, UsersTable.render(List.of(
                new DatabaseUser("a_rather_long_user_name_1", true, false, null))));
    }
}
