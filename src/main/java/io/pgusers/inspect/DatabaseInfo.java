package io.pgusers.inspect;

/**
 * An application database and the role that owns it: the {@code <database>} of the documented statements.
 *
 * @param allowsConnections false while provision has created it and not yet opened it to its users
 */
public record DatabaseInfo(String name, String owner, boolean ownerIsSuperuser, boolean allowsConnections) {
}
