package io.pgusers.inspect;

import io.pgusers.core.Promise;
import java.util.Optional;

/**
 * An application database and the role that owns it: the {@code <database>} of the documented statements.
 *
 * @param allowsConnections false while provision has created it and not yet opened it to its users
 * @param ownerPromise      what pgusers promised about the owner, when it did and the promise counts (no role
 *                          but a superuser could have written it)
 */
public record DatabaseInfo(String name, String owner, boolean ownerIsSuperuser, boolean allowsConnections,
                           Optional<Promise> ownerPromise) {
}
