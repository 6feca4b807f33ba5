package io.pgusers.inspect;

import java.util.List;

/**
 * One of a database's two group roles, as {@code group-roles.sql} reads it.
 *
 * @param comment the role's comment, or null
 * @param admins  the roles other than superusers that hold ADMIN OPTION on it
 */
public record GroupRoleRow(String name, boolean canLogin, String comment, List<String> admins) {

    public GroupRoleRow {
        admins = List.copyOf(admins);
    }
}
