package io.pgusers.ops;

import io.pgusers.core.Access;
import io.pgusers.core.DatabaseUser;
import io.pgusers.core.Failure;
import io.pgusers.core.Password;
import io.pgusers.core.PgUsersException;
import io.pgusers.core.Promise;
import io.pgusers.core.UserName;
import io.pgusers.inspect.DatabaseInfo;
import io.pgusers.inspect.RoleInfo;
import io.pgusers.plan.NewUser;
import io.pgusers.plan.Planner;
import io.pgusers.plan.Target;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code create}: a user with its access and its promise, in one transaction, under the agents' lock. Two
 * creates of one name (through any number of agents, in one database or several) race on the role's name
 * itself: one commits, with what it promised; the others roll back, promise and all, and answer that the
 * user exists.
 *
 * <p>What it reads first (whether the database is pgusers', whether the name is free, the groups) it reads
 * before taking the lock, and the verifier is computed then too: the lock, which the creates of one database
 * queue for, is held for the one transaction that makes the user, nothing more. In a service, the creates of
 * one database that come while a transaction of creates is under way wait in a {@link CreateQueue} and are
 * made together in the next one. A name taken meanwhile fails that transaction (and is answered as taken; in a
 * transaction of several, each is made again alone first); the groups, when one is missing, are read again
 * under the lock.
 * The answer is the user as made, not read back: reading back what it can do would mean reading every ACL of
 * the database, whose cost grows with its users and tables ({@code list} does that).
 */
final class CreateUser {
    private final Context context;

    CreateUser(Context context) {
        this.context = context;
    }

    CreateResult run(UserName name, Access access, Password password, boolean ifNotExists) throws SQLException {
        DatabaseInfo database = context.provisionedDatabase();
        Optional<RoleInfo> existing = context.maintenance().role(name.value());
        if (existing.isPresent()) {
            return existing(database, existing.get(), name, access, ifNotExists);
        }
        NewUser user = new NewUser(name, access, password.scramVerifier());
        boolean groupsMissing = !Groups.missing(context.maintenance(), database.name()).isEmpty();
        try {
            if (!context.creates.make(user, (first, joiners) -> make(database, first, joiners, groupsMissing))) {
                // made with others in a transaction that failed whole: nothing of it was made; now alone
                context.rolledBack();
                make(database, user, List::of, groupsMissing);
            }
        } catch (SQLException e) {
            if (ServerErrors.isDuplicateRole(e)) {
                // created meanwhile, by another agent: its promise, not ours
                return existing(database, context.maintenance().role(name.value()).orElseThrow(() -> e), name, access,
                        ifNotExists);
            }
            throw e;
        }
        return new CreateResult(new DatabaseUser(name.value(), access == Access.READ_ONLY, false, "SCRAM-SHA-256"), true);
    }

    /**
     * Makes {@code first} and the creates that wait for the lock with it, in one transaction under the lock. The
     * groups, when one was missing, are read again under the lock.
     */
    private void make(DatabaseInfo database, NewUser first, CreateQueue.Joiners joiners, boolean groupsMissing)
            throws SQLException {
        context.locked(() -> {
            List<NewUser> users = new ArrayList<>(List.of(first));
            users.addAll(joiners.take());
            Set<Access> missing = groupsMissing ? Groups.missing(context.maintenance(), database.name()) : Set.of();
            context.apply(Planner.createUsers(new Target(database.name(), database.owner(), missing), users));
            return null;
        });
    }

    /**
     * The role was there already. With {@code ifNotExists}, that is a success only for a user that pgusers
     * created in this database with the same access, all done: a role made by hand, a protected user, a user
     * of another database, one being deleted is never "unchanged" (exit 5, as without the option).
     */
    private CreateResult existing(DatabaseInfo database, RoleInfo role, UserName name, Access access,
                                  boolean ifNotExists) throws SQLException {
        if (!ifNotExists) {
            throw PgUsersException.alreadyExists(name);
        }
        Optional<Promise> promise = role.promise().filter(p -> p.database().equals(context.database)
                && (p.standing() == Promise.Standing.READ_ONLY_USER || p.standing() == Promise.Standing.READ_WRITE_USER)
                && p.stage() == Promise.Stage.READY);
        if (promise.isEmpty()) {
            throw new PgUsersException(Failure.ALREADY_EXISTS, "User \"" + name + "\" already exists, and is not a "
                    + "user that pgusers created in database \"" + context.database + "\"");
        }
        Access promised = promise.get().standing().access().orElseThrow();
        if (promised != access) {
            throw new PgUsersException(Failure.ALREADY_EXISTS, "User \"" + name + "\" already exists with "
                    + promised.label() + " access");
        }
        return new CreateResult(new ListUsers(context).one(database, context.promises(), name), false);
    }
}
