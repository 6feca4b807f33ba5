package io.pgusers.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UserNameTest {

    @ParameterizedTest
    @ValueSource(strings = {"abcdef", "my_app_4553_rw", "MixedCase_User", "a2345678901234567890123456789012", "user__"})
    void acceptsNamesThePlatformAccepts(String name) {
        assertEquals(name, UserName.of(name).value());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "abcde|Name must contain between 6 and 32 characters",
        "a23456789012345678901234567890123|Name must contain between 6 and 32 characters",
        "1abcdef|Name must start with a letter",
        "_abcdef|Name must start with a letter",
        "abc-def|Name must only contain alphanumerical characters and underscores (_)",
        "abc def|Name must only contain alphanumerical characters and underscores (_)",
        "abc\"def|Name must only contain alphanumerical characters and underscores (_)",
        "abc'def|Name must only contain alphanumerical characters and underscores (_)",
        "usérname|Name must only contain alphanumerical characters and underscores (_)",
        "pg_something|Name must not start with \"pg_\": PostgreSQL reserves it",
        "PG_something|Name must not start with \"pg_\": PostgreSQL reserves it",
    })
    void refusesOthersNamingTheRule(String name, String message) {
        PgUsersException e = assertThrows(PgUsersException.class, () -> UserName.of(name));
        assertEquals(Failure.INVALID_INPUT, e.failure());
        assertEquals(message, e.getMessage());
    }
}
