package io.pgusers.sql;

import io.pgusers.core.Visible;

/**
 * The one quoting function for identifiers, and the one for the few literals that cannot be bound as
 * parameters (a password verifier in {@code CREATE ROLE}). Everything user-given goes through here,
 * even after validation.
 *
 * <p>A name holding a character that a person could not see ({@link Visible#isInvisible}: a newline, an
 * escape, a zero-width space) is written with Unicode escapes ({@code U&"a\000Ab"}), so that a statement
 * that is shown (repair, --dry-run, --debug) is one line a DBA can read and still the exact statement sent.
 * (Unicode escapes need standard_conforming_strings, which every session of the agent sets.)
 */
public final class Sql {
    private Sql() {
    }

    /** {@code "name"}, with embedded double quotes doubled. */
    public static String identifier(String name) {
        return quoted(name, '"', "an identifier");
    }

    /** {@code 'text'}, with embedded single quotes doubled (standard_conforming_strings is on). */
    public static String literal(String text) {
        return quoted(text, '\'', "a literal");
    }

    private static String quoted(String text, char quote, String what) {
        if (text.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(what + " cannot contain a NUL character");
        }
        String doubled = String.valueOf(quote) + quote;
        if (!hasInvisible(text)) {
            return quote + text.replace(String.valueOf(quote), doubled) + quote;
        }
        StringBuilder out = new StringBuilder("U&").append(quote);
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            if (c == quote) {
                out.append(doubled);
            } else if (c == '\\') {
                out.append("\\\\");
            } else if (Visible.isInvisible(c)) {
                out.append(c > 0xFFFF ? String.format("\\+%06X", c) : String.format("\\%04X", c));
            } else {
                out.appendCodePoint(c);
            }
        }
        return out.append(quote).toString();
    }

    private static boolean hasInvisible(String text) {
        return text.codePoints().anyMatch(Visible::isInvisible);
    }
}
