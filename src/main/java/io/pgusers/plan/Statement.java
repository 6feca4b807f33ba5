package io.pgusers.plan;

import java.util.List;

/**
 * One SQL statement of a plan: a value, not an action. {@code parameters} are bound to its {@code ?}s.
 * A statement that must carry a secret (a password verifier cannot be a bound parameter in DDL) has a
 * {@code redacted} form, which is what every display shows.
 */
public record Statement(String sql, List<Object> parameters, String redacted) {

    public Statement {
        parameters = List.copyOf(parameters);
    }

    public static Statement of(String sql, Object... parameters) {
        return new Statement(sql, List.of(parameters), null);
    }

    /** A statement holding a secret: {@code redacted} is shown in its place. */
    public static Statement secret(String sql, String redacted) {
        return new Statement(sql, List.of(), redacted);
    }

    public boolean isSecret() {
        return redacted != null;
    }

    /** What may be printed or logged. */
    public String shown() {
        return redacted != null ? redacted : sql;
    }

    /** What may be shown, on one line and at most about 80 characters: for messages. */
    public String summary() {
        String line = shown().replaceAll("\\s+", " ").strip();
        return line.length() <= 80 ? line : line.substring(0, 77) + "...";
    }

    @Override
    public String toString() {
        return shown();
    }
}
