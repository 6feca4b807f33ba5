package io.pgusers.core;

/**
 * One line of the users list, as the platform shows it.
 *
 * @param passwordEncryption {@code SCRAM-SHA-256}, {@code MD5}, or null when the role has no password
 */
public record DatabaseUser(String name, boolean readOnly, boolean isProtected, String passwordEncryption) {
}
