package io.pgusers.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pgusers.core.Failure;
import io.pgusers.core.PgUsersException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** {@code pgusers audit --since}: durations back from now, or times, local unless they say otherwise. */
class SinceTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T12:00:00Z"), ZoneId.of("Europe/Paris"));

    @Test
    void shortDurationsCountBackFromNow() {
        assertEquals(Instant.parse("2026-11-26T11:59:30Z"), at("30s"));
        assertEquals(Instant.parse("2026-11-26T11:30:00Z"), at("30m"));
        assertEquals(Instant.parse("2026-11-26T10:00:00Z"), at("2h"));
        assertEquals(Instant.parse("2026-11-19T12:00:00Z"), at("7d"));
        assertEquals(Instant.parse("2026-11-12T12:00:00Z"), at("2w"));
    }

    @Test
    void isoDurationsToo() {
        assertEquals(Instant.parse("2026-11-26T10:30:00Z"), at("PT1H30M"));
        assertEquals(Instant.parse("2026-11-25T12:00:00Z"), at("P1D"));
    }

    @Test
    void timesWithoutAnOffsetAreLocal() {
        assertEquals(Instant.parse("2026-11-25T23:00:00Z"), at("2026-11-26"));
        assertEquals(Instant.parse("2026-11-26T09:00:00Z"), at("2026-11-26T10:00"));
        assertEquals(Instant.parse("2026-11-26T09:00:00Z"), at("2026-11-26 10:00"));
    }

    @Test
    void timesWithAnOffsetAreThatMoment() {
        assertEquals(Instant.parse("2026-11-26T10:00:00Z"), at("2026-11-26T10:00:00Z"));
        assertEquals(Instant.parse("2026-11-26T08:00:00Z"), at("2026-11-26T10:00:00+02:00"));
    }

    @Test
    void anythingElseSaysWhatItTakes() {
        PgUsersException e = assertThrows(PgUsersException.class, () -> Since.parse("last tuesday", CLOCK));
        assertEquals(Failure.INVALID_INPUT, e.failure());
        assertEquals("--since takes a duration (30m, 2h, 7d) or a time (2026-11-26, 2026-11-26T10:00, "
                + "2026-11-26T10:00:00Z), not \"last tuesday\"", e.getMessage());
    }

    private static Instant at(String since) {
        return Since.parse(since, CLOCK).toInstant();
    }
}
