package io.pgusers.plan;

import io.pgusers.core.Access;
import io.pgusers.core.GroupRoles;
import java.util.EnumSet;
import java.util.Set;

/**
 * The application database as a plan needs to know it.
 *
 * @param database      its name
 * @param owner         the role that owns it: the {@code <database>} of the documented statements
 * @param missingGroups the group roles it does not have yet (a database provisioned by an early pgusers)
 */
public record Target(String database, String owner, Set<Access> missingGroups) {

    public Target {
        missingGroups = missingGroups.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(missingGroups));
    }

    public GroupRoles groups() {
        return GroupRoles.of(database);
    }
}
