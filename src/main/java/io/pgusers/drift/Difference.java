package io.pgusers.drift;

/**
 * One way in which what a managed user can really do differs from what its access level promises.
 *
 * @param kind       what is compared
 * @param objectType database, schema, table, view, sequence, column, default privileges, role
 * @param object     the object, schema-qualified where it has a schema
 * @param user       the managed user, or one of the database's group roles
 * @param access     the user's access level: read-write or read-only
 * @param expected   what the access level promises, in words
 * @param actual     what the user can really do, in words
 */
public record Difference(Kind kind, String objectType, String object, String user, String access,
                         String expected, String actual) {

    /** In the order differences are listed. */
    public enum Kind {
        /** One of the database's group roles is missing, or has attributes or memberships it must not have. */
        GROUP,
        /** A role attribute that grants more than the access level (SUPERUSER, CREATEDB, ...) or NOINHERIT. */
        ATTRIBUTE,
        /** A missing group membership, or a membership that grants more. */
        MEMBERSHIP,
        /** A read-only user owns an object, so holds every privilege on it. */
        OWNERSHIP,
        /** Privileges on the database, a schema, a table or a sequence. */
        PRIVILEGES,
        /** Privileges that objects created later will carry (pg_default_acl). */
        DEFAULT_PRIVILEGES,
        /** A user whose delete was cut short: it can no longer log in, and is still there. */
        DELETION;

        public String label() {
            return name().toLowerCase().replace('_', '-');
        }
    }

    /** One line in words: {@code table public.t, ro_ann (read-only): expected SELECT; actual SELECT, INSERT}. */
    public String sentence() {
        return objectType + " " + object + ", " + user + " (" + access + "): expected " + expected + "; actual " + actual;
    }
}
