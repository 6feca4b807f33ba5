package io.pgusers.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PasswordTest {

    @Test
    void generatedPasswordsAre64LettersDigitsOrUnderscores() {
        for (int i = 0; i < 200; i++) {
            try (Password password = Password.generate()) {
                String text = new String(password.chars());
                assertEquals(64, text.length());
                assertTrue(text.matches("[A-Za-z0-9_]{64}"), text);
                assertTrue(password.generated());
            }
        }
    }

    @Test
    void generatedPasswordsDiffer() {
        try (Password a = Password.generate(); Password b = Password.generate()) {
            assertFalse(Arrays.equals(a.chars(), b.chars()));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {24, 40, 64})
    void acceptsLengthsFrom24To64(int length) {
        try (Password password = Password.of("x".repeat(length).toCharArray())) {
            assertFalse(password.generated());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 23, 65, 200})
    void refusesOtherLengths(int length) {
        PgUsersException e = assertThrows(PgUsersException.class, () -> Password.of("x".repeat(length).toCharArray()));
        assertEquals("Password must contain between 24 and 64 characters", e.getMessage());
        assertEquals(Failure.INVALID_INPUT, e.failure());
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"", "'"})
    void refusesQuotes(String quote) {
        char[] chars = ("abcdefghijklmnopqrstuvwxyz" + quote).toCharArray();
        PgUsersException e = assertThrows(PgUsersException.class, () -> Password.of(chars));
        assertEquals("Password must not contain the character \" or '", e.getMessage());
        assertTrue(new String(chars).chars().allMatch(c -> c == 0), "a refused password is wiped");
    }

    @Test
    void refusesControlCharacters() {
        PgUsersException e = assertThrows(PgUsersException.class,
                () -> Password.of("abcdefghijklmnopqrstuvwxyz\tabc".toCharArray()));
        assertEquals("Password must not contain control characters", e.getMessage());
    }

    @Test
    void neverShowsItselfAndIsWipedWhenClosed() {
        char[] chars = "a-secret-password-of-some-length".toCharArray();
        Password password = Password.of(chars);
        assertFalse(password.toString().contains("secret"));
        password.close();
        assertTrue(new String(chars).chars().allMatch(c -> c == 0));
    }

    @Test
    void verifierIsScramAndLeavesThePasswordIntact() {
        try (Password password = Password.of("a-secret-password-of-some-length".toCharArray())) {
            String verifier = password.scramVerifier();
            assertTrue(verifier.startsWith("SCRAM-SHA-256$4096:"), verifier);
            assertFalse(verifier.contains("secret"));
            assertEquals("a-secret-password-of-some-length", new String(password.chars()));
            assertNotEquals(verifier, password.scramVerifier(), "each verifier has its own salt");
        }
    }
}
