package io.pgusers.ops;

import io.pgusers.core.DatabaseUser;
import io.pgusers.core.Promise;
import io.pgusers.core.UserName;
import io.pgusers.inspect.Promises;
import io.pgusers.inspect.UserRow;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** {@code list}: the users of the database, and the one user an operation returns. */
final class ListUsers {
    private final Context context;

    ListUsers(Context context) {
        this.context = context;
    }

    List<DatabaseUser> run() throws SQLException {
        Promises promises = context.promises();
        context.provisionedDatabase(promises);
        return context.application().users(beingDeleted(promises)).stream()
                .map(row -> user(row, promises)).toList();
    }

    /** The user as list shows it, after an operation. */
    DatabaseUser one(UserName name) throws SQLException {
        Promises promises = context.promises();
        return context.application().user(name.value())
                .map(row -> user(row, promises))
                .orElseThrow(() -> io.pgusers.core.PgUsersException.unknownUser(name));
    }

    /** The users of this database a delete of which was cut short: no longer LOGIN, still listed. */
    private List<String> beingDeleted(Promises promises) {
        return promises.usersOf(context.database).entrySet().stream()
                .filter(e -> e.getValue().stage() == Promise.Stage.BEING_DELETED)
                .map(java.util.Map.Entry::getKey).toList();
    }

    private DatabaseUser user(UserRow row, Promises promises) {
        Optional<Promise> promise = promises.of(row.name());
        Optional<String> other = promise.map(Promise::database).filter(db -> !db.equals(context.database));
        boolean beingDeleted = promise.map(p -> p.stage() == Promise.Stage.BEING_DELETED).orElse(false);
        return new DatabaseUser(row.name(), row.readOnly(), Protection.isProtected(row, promises),
                row.passwordEncryption(), other, beingDeleted);
    }
}
