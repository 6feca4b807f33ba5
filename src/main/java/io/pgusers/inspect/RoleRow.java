package io.pgusers.inspect;

import java.util.List;

/**
 * One row of {@code privilege-roles.sql}: a role's attributes, the roles it is a direct member of, and the
 * roles directly in it ({@code members}, each with the grantor as {@link Membership#grantor()}).
 */
public record RoleRow(String name, boolean superuser, boolean createDb, boolean createRole, boolean replication,
                      boolean bypassRls, boolean inherit, boolean login, List<Membership> memberOf,
                      List<Membership> members) {

    public RoleRow {
        memberOf = List.copyOf(memberOf);
        members = List.copyOf(members);
    }

    /** A role with no members. */
    public RoleRow(String name, boolean superuser, boolean createDb, boolean createRole, boolean replication,
                   boolean bypassRls, boolean inherit, boolean login, List<Membership> memberOf) {
        this(name, superuser, createDb, createRole, replication, bypassRls, inherit, login, memberOf, List.of());
    }

    /**
     * A direct membership: {@code role} (or, in {@code members}, the member) granted by {@code grantor};
     * {@code inherits} when the member holds the role's privileges without SET ROLE; {@code set} when it may
     * SET ROLE to it (always before 16); {@code admin} when it may grant the role, to others or to itself.
     */
    public record Membership(String role, String grantor, boolean inherits, boolean set, boolean admin) {

        /** A membership as pgusers grants them: SET allowed, no ADMIN OPTION. */
        public Membership(String role, String grantor, boolean inherits) {
            this(role, grantor, inherits, true, false);
        }
    }
}
