package io.pgusers.core;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * A database user name that follows the platform's rules: 6 to 32 characters, ASCII letters, digits and
 * underscores, starting with a letter. PostgreSQL reserves the {@code pg_} prefix, so it is refused too.
 * A {@code UserName} that exists is valid; it is still quoted every time it goes into SQL. Names of users
 * that may exist already ({@link #existing}) are only held to PostgreSQL's own limits.
 */
public final class UserName {
    public static final int MIN_LENGTH = 6;
    public static final int MAX_LENGTH = 32;

    /** PostgreSQL's NAMEDATALEN - 1. */
    private static final int MAX_ROLE_NAME_BYTES = 63;
    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9_]*");

    private final String value;

    private UserName(String value) {
        this.value = value;
    }

    /** Validates {@code raw} with the platform's rules; the exception names the rule that failed. */
    public static UserName of(String raw) {
        if (raw == null || raw.isEmpty()) {
            throw PgUsersException.invalid("Name is required");
        }
        if (raw.length() < MIN_LENGTH || raw.length() > MAX_LENGTH) {
            throw PgUsersException.invalid("Name must contain between 6 and 32 characters");
        }
        if (!ALLOWED.matcher(raw).matches()) {
            throw PgUsersException.invalid("Name must only contain alphanumerical characters and underscores (_)");
        }
        char first = raw.charAt(0);
        if (!((first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z'))) {
            throw PgUsersException.invalid("Name must start with a letter");
        }
        if (raw.regionMatches(true, 0, "pg_", 0, 3)) {
            throw PgUsersException.invalid("Name must not start with \"pg_\": PostgreSQL reserves it");
        }
        return new UserName(raw);
    }

    /**
     * The name of a user that may already exist, for update-password and delete: any PostgreSQL role name
     * (1 to 63 bytes, no NUL), since a user made outside pgusers need not follow the creation rules. It is
     * quoted like any other; whether pgusers may touch that role is decided against the catalogs.
     */
    public static UserName existing(String raw) {
        if (raw == null || raw.isEmpty()) {
            throw PgUsersException.invalid("Name is required");
        }
        if (raw.indexOf('\0') >= 0 || raw.getBytes(StandardCharsets.UTF_8).length > MAX_ROLE_NAME_BYTES) {
            throw PgUsersException.invalid("Name must be a PostgreSQL role name: 1 to 63 bytes, no NUL");
        }
        return new UserName(raw);
    }

    /** True when SQL must quote the name to reach this role: unquoted, PostgreSQL folds it to lower case. */
    public boolean foldsInSql() {
        return !value.equals(value.toLowerCase(java.util.Locale.ROOT));
    }

    public String value() {
        return value;
    }

    @Override
    public String toString() {
        return value;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof UserName that && value.equals(that.value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
