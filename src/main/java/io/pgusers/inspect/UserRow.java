package io.pgusers.inspect;

/** One row of {@code database-users.sql}. */
/**
 * @param ownsDatabase  it owns the current database
 * @param ownsADatabase it owns some database of the instance (and so is protected)
 */
public record UserRow(String name, boolean ownsDatabase, boolean ownsADatabase, String passwordEncryption,
                      boolean readOnly) {
}
