package io.pgusers.inspect;

import java.util.List;

/**
 * A role as pgusers needs to know it before touching it.
 *
 * @param privilegesBeyond why its power reaches beyond one database's data (its attributes, its memberships
 *                         of pg_* roles or of roles with such attributes), in words; empty when it does not
 */
public record RoleInfo(String name, boolean superuser, boolean canLogin, boolean isAgent, boolean canConnect,
                       List<String> privilegesBeyond) {

    public RoleInfo {
        privilegesBeyond = List.copyOf(privilegesBeyond);
    }

    /** Why pgusers must not touch this role, or null when it may. */
    public String notOursBecause() {
        if (name.startsWith("pg_")) {
            return "it is a role of PostgreSQL itself";
        }
        if (isAgent) {
            return "it is the role pgusers connects as";
        }
        if (!privilegesBeyond.isEmpty()) {
            return String.join("; ", privilegesBeyond)
                    + " (pgusers changes no role whose power reaches beyond one database's data)";
        }
        if (!canLogin) {
            return "it cannot log in (a group role)";
        }
        if (!canConnect) {
            return "it cannot connect to this database";
        }
        return null;
    }
}
