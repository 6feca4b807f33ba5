package io.pgusers.cli;

import io.pgusers.core.PgUsersException;
import java.math.BigDecimal;
import java.time.Duration;

/** {@code --lock-timeout SECONDS}: a positive number of seconds, fractions allowed ({@code 0.5}). */
final class LockTimeout {
    private LockTimeout() {
    }

    static Duration parse(String text) {
        try {
            BigDecimal seconds = new BigDecimal(text.strip());
            long millis = seconds.movePointRight(3).longValueExact();
            if (millis > 0) {
                return Duration.ofMillis(millis);
            }
        } catch (NumberFormatException | ArithmeticException e) {
            // explained below
        }
        throw PgUsersException.invalid("--lock-timeout takes a number of seconds above 0 (5, 0.5), not \"" + text + "\"");
    }
}
