package io.pgusers.ops;

import io.pgusers.core.Access;
import io.pgusers.core.GroupRoles;
import io.pgusers.core.PgUsersException;
import io.pgusers.core.Promise;
import io.pgusers.drift.DatabaseState;
import io.pgusers.inspect.AgentRole;
import io.pgusers.inspect.DatabaseInfo;
import io.pgusers.inspect.Inspector;
import io.pgusers.inspect.Promises;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What check and repair compare: the managed users (the database owner unless it is a superuser, and every
 * role whose promise makes it a user of this database, with the access promised; never the agent's own
 * role), the users whose delete was cut short, every ACL of the database, and the roles.
 */
final class PrivilegeState {
    private final Context context;

    PrivilegeState(Context context) {
        this.context = context;
    }

    DatabaseState read() throws SQLException {
        Promises promises = context.promises();
        DatabaseInfo db = context.provisionedDatabase(promises);
        Inspector inspector = context.application();
        AgentRole agent = inspector.agentRole();
        Map<String, Access> promised = new LinkedHashMap<>();
        List<String> beingDeleted = new ArrayList<>();
        if (!db.ownerIsSuperuser()) {
            promised.put(db.owner(), Access.READ_WRITE);
        }
        promises.usersOf(db.name()).forEach((user, promise) -> {
            if (promise.stage() == Promise.Stage.BEING_DELETED) {
                beingDeleted.add(user);
            } else {
                promise.standing().access().ifPresent(access -> promised.putIfAbsent(user, access));
            }
        });
        promised.remove(agent.name());
        if (promised.isEmpty()) {
            throw PgUsersException.refused("Database \"" + db.name() + "\" has no user pgusers manages: its owner \""
                    + db.owner() + "\" is a superuser and no promise names another; run provision first");
        }
        Groups.missing(context.maintenance(), db.name()); // refused when a stranger holds a group's name
        GroupRoles groups = GroupRoles.of(db.name());
        List<String> roles = new ArrayList<>(promised.keySet());
        roles.add(groups.readers());
        roles.add(groups.writers());
        return new DatabaseState(agent.serverMajorVersion(), db.name(), db.owner(), groups, promised,
                inspector.acls(), inspector.roles(roles), beingDeleted);
    }
}
