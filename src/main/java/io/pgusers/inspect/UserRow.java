package io.pgusers.inspect;

/**
 * One row of {@code database-users.sql}: a user of the current database (read-only or not is
 * {@code io.pgusers.drift.Powers}' answer).
 *
 * @param ownsDatabase  it owns the current database
 * @param ownsADatabase it owns some database of the instance (and so is protected)
 */
public record UserRow(String name, boolean ownsDatabase, boolean ownsADatabase, String passwordEncryption) {
}
