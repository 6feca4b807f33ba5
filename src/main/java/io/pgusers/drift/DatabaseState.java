package io.pgusers.drift;

import io.pgusers.core.Access;
import io.pgusers.core.GroupRoles;
import io.pgusers.inspect.AclRow;
import io.pgusers.inspect.RoleRow;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code check} and {@code repair} start from, read from the catalogs and the promises and not
 * interpreted yet.
 *
 * @param major    the server's major version
 * @param database the application database
 * @param owner    the role that owns it (a protected user)
 * @param groups   the database's two group roles (which may not exist yet)
 * @param promised the managed users and the access each was promised: the protected users (read-write)
 *                 and the users pgusers created; a name with no role behind it is ignored
 * @param acls     {@code privilege-acls.sql}
 * @param roles    {@code privilege-roles.sql}, for the managed users and the groups
 * @param beingDeleted the users of the database a delete of which was cut short
 */
public record DatabaseState(int major, String database, String owner, GroupRoles groups,
                            Map<String, Access> promised, List<AclRow> acls, List<RoleRow> roles,
                            List<String> beingDeleted) {

    public DatabaseState {
        promised = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(promised));
        acls = List.copyOf(acls);
        roles = List.copyOf(roles);
        beingDeleted = List.copyOf(beingDeleted);
    }

    /** No delete cut short. */
    public DatabaseState(int major, String database, String owner, GroupRoles groups, Map<String, Access> promised,
                         List<AclRow> acls, List<RoleRow> roles) {
        this(major, database, owner, groups, promised, acls, roles, List.of());
    }
}
