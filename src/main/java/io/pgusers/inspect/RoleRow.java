package io.pgusers.inspect;

import java.util.List;

/**
 * One row of {@code privilege-roles.sql}: a role's attributes and the roles it is a direct member of.
 */
public record RoleRow(String name, boolean superuser, boolean createDb, boolean createRole, boolean replication,
                      boolean bypassRls, boolean inherit, boolean login, List<Membership> memberOf) {

    public RoleRow {
        memberOf = List.copyOf(memberOf);
    }

    /**
     * A direct membership: {@code role} granted by {@code grantor}; {@code inherits} when the member holds the
     * role's privileges without SET ROLE.
     */
    public record Membership(String role, String grantor, boolean inherits) {
    }
}
