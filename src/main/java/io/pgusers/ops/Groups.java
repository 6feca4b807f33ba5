package io.pgusers.ops;

import io.pgusers.core.Access;
import io.pgusers.core.GroupRoles;
import io.pgusers.core.PgUsersException;
import io.pgusers.core.Promise;
import io.pgusers.inspect.Inspector;
import io.pgusers.inspect.RoleInfo;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The two group roles of a database, as far as an operation must know them before it plans. */
final class Groups {
    private Groups() {
    }

    /**
     * The database's group roles that do not exist yet. A role of a group's name that is not that group (its
     * promise says nothing of the kind: pgusers did not make it, or a role other than a superuser holds ADMIN
     * OPTION on it and could have written that promise) is in the way: pgusers would hand it a group's access.
     * Refused (exit 4), naming it.
     */
    static Set<Access> missing(Inspector inspector, String database) throws SQLException {
        return missing(inspector.roleInfos(names(database)), database);
    }

    /** The names of the database's two groups, to read with {@link Inspector#roleInfos} (with others, say). */
    static List<String> names(String database) {
        GroupRoles groups = GroupRoles.of(database);
        return Arrays.stream(Access.values()).map(groups::of).toList();
    }

    /** As {@link #missing(Inspector, String)}, from {@code roles}: what {@link Inspector#roleInfos} found of {@link #names}. */
    static Set<Access> missing(Map<String, RoleInfo> roles, String database) {
        GroupRoles groups = GroupRoles.of(database);
        Set<Access> missing = EnumSet.noneOf(Access.class);
        for (Access access : Access.values()) {
            Optional<RoleInfo> role = Optional.ofNullable(roles.get(groups.of(access)));
            if (role.isEmpty()) {
                missing.add(access);
                continue;
            }
            Promise expected = Promise.of(database, Promise.Standing.group(access));
            if (!role.get().promise().equals(Optional.of(expected))) {
                String why = !role.get().administeredBy().isEmpty()
                        ? "role " + String.join(", ", role.get().administeredBy()) + " holds ADMIN OPTION on it"
                        : "it was not made by pgusers" + (role.get().canLogin() ? " (it can log in)" : "");
                throw PgUsersException.refused("Role \"" + role.get().name() + "\" is in the way: pgusers keeps the "
                        + access.label() + " users of database \"" + database + "\" in a group role of that name, and "
                        + why + ". Rename or drop it, then try again.");
            }
        }
        return missing;
    }
}
