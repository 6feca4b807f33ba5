package io.pgusers.ops;

import io.pgusers.core.PgUsersException;
import io.pgusers.core.Promise;
import io.pgusers.core.UserName;
import io.pgusers.inspect.DatabaseInfo;
import io.pgusers.inspect.Inspector;
import io.pgusers.inspect.RoleInfo;
import io.pgusers.plan.Deletion;
import io.pgusers.plan.Planner;
import io.pgusers.plan.Target;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code delete}: the role goes, in every database, and what it owns stays, passed to each database's owner.
 * A delete cut short (its first step takes LOGIN away and marks the role "being deleted") is finished by the
 * next delete of that user, with or without {@code --if-exists}.
 */
final class DeleteUser {
    private final Context context;

    DeleteUser(Context context) {
        this.context = context;
    }

    /** False when it did not exist and {@code ifExists} was given. */
    boolean run(UserName name, boolean ifExists) throws SQLException {
        DatabaseInfo database = context.provisionedDatabase(context.promises());
        Inspector inspector = context.application();
        Optional<RoleInfo> role = inspector.role(name.value());
        if (role.isEmpty()) {
            if (ifExists) {
                return false;
            }
            throw PgUsersException.unknownUser(name);
        }
        Protection.refusal(role.get(), name, context.database, Protection.Change.DELETE).ifPresent(why -> {
            throw PgUsersException.refused(why);
        });
        Optional<Promise> promise = role.get().promise();
        boolean resumed = promise.map(p -> p.stage() == Promise.Stage.BEING_DELETED).orElse(false);
        Promise marked = promise.orElse(Promise.of(context.database, Promise.Standing.FOREIGN_ROLE))
                .at(Promise.Stage.BEING_DELETED);
        Map<String, String> others = new LinkedHashMap<>();
        for (String other : inspector.otherDatabasesDependingOn(name.value())) {
            inspector.database(other).ifPresent(info -> others.put(other, info.owner()));
        }
        context.apply(Planner.deleteUser(new Deletion(new Target(database.name(), database.owner(), Set.of()), name,
                resumed ? Deletion.Start.RESUME : Deletion.Start.BEGIN, marked, role.get().comment(), others)));
        return true;
    }
}
