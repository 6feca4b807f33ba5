package io.pgusers.inspect;

import io.pgusers.core.Promise;
import java.util.List;
import java.util.Optional;

/**
 * A role as pgusers needs to know it before touching it ({@code roles.sql}).
 *
 * @param privilegesBeyond why its power reaches beyond one database's data (its attributes, its memberships
 *                         of pg_* roles or of roles with such attributes), in words; empty when it does not
 * @param comment          its comment, whose first line may be pgusers' promise
 * @param administeredBy   the roles other than superusers that hold ADMIN OPTION on it
 * @param ownedDatabases   the databases it owns
 */
public record RoleInfo(String name, boolean superuser, boolean canLogin, boolean isAgent, boolean canConnect,
                       List<String> privilegesBeyond, Optional<String> comment, List<String> administeredBy,
                       List<String> ownedDatabases) {

    public RoleInfo {
        privilegesBeyond = List.copyOf(privilegesBeyond);
        administeredBy = List.copyOf(administeredBy);
        ownedDatabases = List.copyOf(ownedDatabases);
    }

    /** pgusers' promise on it, when it has one that nobody but a superuser could have written. */
    public Optional<Promise> promise() {
        return administeredBy.isEmpty() ? comment.flatMap(Promise::parse) : Optional.empty();
    }

    /** Its comment as it was before pgusers wrote a promise there. */
    public Optional<String> keptComment() {
        return comment.flatMap(Promise::kept);
    }
}
