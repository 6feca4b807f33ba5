package io.pgusers.ops;

import io.pgusers.core.Promise;
import io.pgusers.core.UserName;
import io.pgusers.inspect.RoleInfo;
import io.pgusers.inspect.UserRow;
import io.pgusers.inspect.Promises;
import java.util.Optional;

/**
 * The one rule of what pgusers protects and what it may change.
 *
 * <p>A role is <em>protected</em> when it owns a database, or when pgusers' promise names it the protected
 * user of one: whichever database is named, since role names belong to the whole instance. It is then never
 * deleted nor given a new password.
 *
 * <p>Besides, pgusers changes no role that is not a user it may manage here: PostgreSQL's own roles, the
 * role it connects as, a role whose power reaches beyond one database's data, a role that cannot log in (a
 * group) or cannot connect to the database, a user pgusers made for another database.
 */
final class Protection {
    private Protection() {
    }

    /** What is being done to the role: the messages differ. */
    enum Change {
        NEW_PASSWORD, DELETE
    }

    static boolean isProtected(RoleInfo role) {
        return !role.ownedDatabases().isEmpty() || role.promise().map(Promise::isProtectedUser).orElse(false);
    }

    static boolean isProtected(UserRow row, Promises promises) {
        return row.ownsADatabase() || promises.of(row.name()).map(Promise::isProtectedUser).orElse(false);
    }

    /** Why {@code role} must not undergo {@code change} through {@code database}; empty when it may. */
    static Optional<String> refusal(RoleInfo role, UserName name, String database, Change change) {
        Optional<Promise> promise = role.promise();
        boolean beingDeleted = promise.map(p -> p.stage() == Promise.Stage.BEING_DELETED).orElse(false);
        String notOurs = notOursBecause(role);
        if (notOurs != null) {
            return Optional.of("User \"" + name + "\" is not managed by pgusers: " + notOurs);
        }
        if (isProtected(role)) {
            return Optional.of(change == Change.DELETE ? "Protected user is managed by the platform and cannot be deleted."
                    : "User \"" + name + "\" is protected");
        }
        if (promise.isPresent() && !promise.get().database().equals(database)) {
            return Optional.of("User \"" + name + "\" belongs to database \"" + promise.get().database()
                    + "\": name that database with -d");
        }
        if (beingDeleted && change == Change.NEW_PASSWORD) {
            return Optional.of("User \"" + name + "\" is being deleted (a delete was cut short): pgusers delete "
                    + name + " finishes it");
        }
        // a role being deleted has lost its LOGIN already: that does not stop the delete that finishes
        if (!beingDeleted) {
            if (!role.canLogin()) {
                return Optional.of("User \"" + name + "\" is not managed by pgusers: it cannot log in (a group role)");
            }
            if (!role.canConnect()) {
                return Optional.of("User \"" + name + "\" is not managed by pgusers: it cannot connect to this database");
            }
        }
        return Optional.empty();
    }

    /** Why pgusers must not touch this role at all, whatever the database, or null. */
    private static String notOursBecause(RoleInfo role) {
        if (role.name().startsWith("pg_")) {
            return "it is a role of PostgreSQL itself";
        }
        if (role.isAgent()) {
            return "it is the role pgusers connects as";
        }
        if (!role.privilegesBeyond().isEmpty()) {
            return String.join("; ", role.privilegesBeyond())
                    + " (pgusers changes no role whose power reaches beyond one database's data)";
        }
        if (role.promise().map(p -> !p.standing().isUser() && p.standing() != Promise.Standing.FOREIGN_ROLE).orElse(false)) {
            return "it is a group role of pgusers";
        }
        return null;
    }
}
