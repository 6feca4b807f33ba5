package io.pgusers.ops;

import io.pgusers.core.DatabaseUser;
import io.pgusers.core.PgUsersException;
import io.pgusers.core.Promise;
import io.pgusers.core.UserName;
import io.pgusers.drift.Powers;
import io.pgusers.inspect.DatabaseInfo;
import io.pgusers.inspect.Inspector;
import io.pgusers.inspect.Promises;
import io.pgusers.inspect.RoleRow;
import io.pgusers.inspect.UserRow;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code list}: the users of the database, and the one user an operation returns. Whether each is read-only
 * is {@link Powers}' answer, from the catalogs read in bulk: three queries, whatever the number of users
 * and objects.
 */
final class ListUsers {
    private final Context context;

    ListUsers(Context context) {
        this.context = context;
    }

    List<DatabaseUser> run() throws SQLException {
        Promises promises = context.promises();
        DatabaseInfo database = context.provisionedDatabase(promises);
        Inspector inspector = context.application();
        List<UserRow> rows = inspector.users(beingDeleted(promises));
        List<String> names = rows.stream().map(UserRow::name).toList();
        Powers powers = Powers.of(context.major, database.name(), database.owner(), inspector.acls(),
                inspector.roles(names));
        return rows.stream().map(row -> user(row, promises, powers)).toList();
    }

    /**
     * The user as list shows it, after an operation on it in {@code database} ({@code promises} as read before
     * it): the ACLs are read with PUBLIC's entries and those of the roles the user reaches only, not every
     * other user's.
     */
    DatabaseUser one(DatabaseInfo database, Promises promises, UserName name) throws SQLException {
        Inspector inspector = context.application();
        UserRow row = inspector.user(name.value()).orElseThrow(() -> PgUsersException.unknownUser(name));
        List<RoleRow> roles = inspector.roles(List.of(name.value()));
        Powers powers = Powers.of(context.major, database.name(), database.owner(),
                inspector.acls(Powers.granteesFor(roles)), roles);
        return user(row, promises, powers);
    }

    /** The users of this database a delete of which was cut short: no longer LOGIN, still listed. */
    private List<String> beingDeleted(Promises promises) {
        return promises.usersOf(context.database).entrySet().stream()
                .filter(e -> e.getValue().stage() == Promise.Stage.BEING_DELETED)
                .map(Map.Entry::getKey).toList();
    }

    private DatabaseUser user(UserRow row, Promises promises, Powers powers) {
        Optional<Promise> promise = promises.of(row.name());
        Optional<String> other = promise.map(Promise::database).filter(db -> !db.equals(context.database));
        boolean beingDeleted = promise.map(p -> p.stage() == Promise.Stage.BEING_DELETED).orElse(false);
        return new DatabaseUser(row.name(), powers.readOnly(row.name()), Protection.isProtected(row, promises),
                row.passwordEncryption(), other, beingDeleted);
    }
}
