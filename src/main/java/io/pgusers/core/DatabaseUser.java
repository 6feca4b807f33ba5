package io.pgusers.core;

import java.util.Optional;

/**
 * One line of the users list, as the platform shows it, and what pgusers knows besides.
 *
 * @param passwordEncryption {@code SCRAM-SHA-256}, {@code MD5}, or null when the role has no password
 * @param otherDatabase      the database pgusers made the user for, when that is another one (an adopted
 *                           database lets in users of other databases)
 * @param beingDeleted       a delete of it was cut short: {@code pgusers delete NAME} finishes it
 */
public record DatabaseUser(String name, boolean readOnly, boolean isProtected, String passwordEncryption,
                           Optional<String> otherDatabase, boolean beingDeleted) {

    /** A user as the platform knows them: the list's four columns. */
    public DatabaseUser(String name, boolean readOnly, boolean isProtected, String passwordEncryption) {
        this(name, readOnly, isProtected, passwordEncryption, Optional.empty(), false);
    }
}
