package io.pgusers.sql;

/**
 * The one quoting function for identifiers, and the one for the few literals that cannot be bound as
 * parameters (a password verifier in {@code CREATE ROLE}). Everything user-given goes through here,
 * even after validation.
 */
public final class Sql {
    private Sql() {
    }

    /** {@code "name"}, with embedded double quotes doubled. */
    public static String identifier(String name) {
        if (name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("an identifier cannot contain a NUL character");
        }
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    /** {@code 'text'}, with embedded single quotes doubled (standard_conforming_strings is on since 9.1). */
    public static String literal(String text) {
        if (text.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a literal cannot contain a NUL character");
        }
        return '\'' + text.replace("'", "''") + '\'';
    }
}
