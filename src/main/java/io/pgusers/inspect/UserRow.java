package io.pgusers.inspect;

/** One row of {@code database-users.sql}. */
public record UserRow(String name, boolean ownsDatabase, String passwordEncryption, boolean readOnly) {
}
