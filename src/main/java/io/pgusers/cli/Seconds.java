package io.pgusers.cli;

import io.pgusers.core.PgUsersException;
import java.math.BigDecimal;
import java.time.Duration;

/** An option that takes a positive number of seconds, fractions allowed ({@code 0.5}): --lock-timeout, --stop-timeout. */
final class Seconds {
    private Seconds() {
    }

    static Duration parse(String option, String text) {
        try {
            BigDecimal seconds = new BigDecimal(text.strip());
            long millis = seconds.movePointRight(3).longValueExact();
            if (millis > 0) {
                return Duration.ofMillis(millis);
            }
        } catch (NumberFormatException | ArithmeticException e) {
            // explained below
        }
        throw PgUsersException.invalid(option + " takes a number of seconds above 0 (5, 0.5), not \"" + text + "\"");
    }
}
