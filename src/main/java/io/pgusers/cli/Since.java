package io.pgusers.cli;

import io.pgusers.core.PgUsersException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The moment {@code --since} names: a duration back from now ({@code 90s}, {@code 30m}, {@code 2h},
 * {@code 7d}, {@code 2w}, or ISO-8601 {@code PT2H}, {@code P7D}), or a time ({@code 2026-11-26},
 * {@code 2026-11-26T10:00}, {@code 2026-11-26 10:00}, in the local time zone; or with an offset,
 * {@code 2026-11-26T10:00:00Z}).
 */
final class Since {
    private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(s|sec|m|min|h|d|w)");

    private Since() {
    }

    static OffsetDateTime parse(String text, Clock clock) {
        String value = text.strip();
        OffsetDateTime now = OffsetDateTime.now(clock);
        Matcher shortForm = SHORT.matcher(value.toLowerCase());
        if (shortForm.matches()) {
            long n = Long.parseLong(shortForm.group(1));
            return switch (shortForm.group(2)) {
                case "s", "sec" -> now.minusSeconds(n);
                case "m", "min" -> now.minusMinutes(n);
                case "h" -> now.minusHours(n);
                case "d" -> now.minusDays(n);
                default -> now.minusWeeks(n);
            };
        }
        try {
            if (value.startsWith("P") || value.startsWith("p")) {
                return value.toUpperCase().contains("T") ? now.minus(Duration.parse(value)) : now.minus(Period.parse(value));
            }
            String iso = value.replace(' ', 'T');
            if (iso.length() == 10) {
                return LocalDate.parse(iso).atStartOfDay(clock.getZone()).toOffsetDateTime();
            }
            if (iso.endsWith("Z") || iso.matches(".*[+-]\\d\\d(:?\\d\\d)?$")) {
                return OffsetDateTime.parse(iso);
            }
            return LocalDateTime.parse(iso).atZone(clock.getZone()).toOffsetDateTime();
        } catch (DateTimeParseException e) {
            throw PgUsersException.invalid("--since takes a duration (30m, 2h, 7d) or a time (2026-11-26, "
                    + "2026-11-26T10:00, 2026-11-26T10:00:00Z), not \"" + text + "\"");
        }
    }
}
