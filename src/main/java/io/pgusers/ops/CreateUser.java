package io.pgusers.ops;

import io.pgusers.core.Access;
import io.pgusers.core.DatabaseUser;
import io.pgusers.core.Failure;
import io.pgusers.core.Password;
import io.pgusers.core.PendingVerifier;
import io.pgusers.core.PgUsersException;
import io.pgusers.core.Promise;
import io.pgusers.core.UserName;
import io.pgusers.inspect.DatabaseInfo;
import io.pgusers.inspect.RoleInfo;
import io.pgusers.plan.NewUser;
import io.pgusers.plan.Planner;
import io.pgusers.plan.Target;
import java.sql.SQLException;
import io.pgusers.apply.LockTimeout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/**
 * {@code create}: a user with its access and its promise, in one transaction, under the agents' lock. Two
 * creates of one name (through any number of agents, in one database or several) race on the role's name
 * itself: one commits, with what it promised; the others roll back, promise and all, and answer that the
 * user exists.
 *
 * <p>What it reads first (whether the database is pgusers', then in one round trip whether the name is free
 * and the groups) it reads before taking the lock, while the verifier is computed on another thread: the lock,
 * which the creates of one database queue for, is held for the one transaction that makes the user, nothing
 * more. In a service, the creates of one database that come while a transaction of creates is under way wait
 * in a {@link CreateQueue} and are made together in the next one. A name taken meanwhile fails its
 * transaction, and is answered as taken (in a transaction of several, a name taken by the time the lock is
 * held is left out, and made alone); the groups, when one is missing, are read again under the lock.
 *
 * <p>The answer is the user as made, not read back: reading back what it can do would mean reading every ACL of
 * the database, whose cost grows with its users and tables ({@code list} does that).
 */
final class CreateUser {
    private final Context context;

    CreateUser(Context context) {
        this.context = context;
    }

    CreateResult run(UserName name, Access access, Password password, boolean ifNotExists) throws SQLException {
        try (PendingVerifier verifier = password.scramVerifierInBackground()) {
            return create(name, access, verifier, ifNotExists);
        }
    }

    /** While {@code verifier} is computed, reads what the create needs; then makes the user. */
    private CreateResult create(UserName name, Access access, PendingVerifier verifier, boolean ifNotExists)
            throws SQLException {
        DatabaseInfo database = context.provisionedDatabase();
        List<String> names = new ArrayList<>(Groups.names(database.name()));
        names.add(name.value());
        Map<String, RoleInfo> roles = context.maintenance().roleInfos(names);
        Optional<RoleInfo> existing = Optional.ofNullable(roles.get(name.value()));
        if (existing.isPresent()) {
            return existing(database, existing.get(), name, access, ifNotExists);
        }
        boolean groupsMissing = !Groups.missing(roles, database.name()).isEmpty();
        NewUser user = new NewUser(name, access, verifier.get());
        try {
            if (queued(database, user, groupsMissing) == CreateQueue.Outcome.ALONE) {
                // left out of a transaction of several, or in one the server refused whole: nothing of it was made
                if (Thread.currentThread().isInterrupted()) {
                    throw new SQLException("interrupted while waiting to create \"" + name + "\": nothing was changed");
                }
                if (context.createQueue().stopping()) {
                    throw CreateQueue.stopped();
                }
                context.rolledBack();
                underLock(() -> {
                    context.apply(Planner.createUser(target(database, groupsMissing), name, access, user.verifier()));
                    return null;
                });
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

    /** Makes {@code user} through the database's queue: in a transaction of its own, or with the others that wait. */
    private CreateQueue.Outcome queued(DatabaseInfo database, NewUser user, boolean groupsMissing) throws SQLException {
        Duration patience = context.session.source().lockTimeout();
        try {
            return context.createQueue().make(user, patience, (first, joiners) -> make(database, first, joiners, groupsMissing));
        } catch (CreateQueue.FailedTogether e) {
            context.mayHaveSent();
            if (e.failure instanceof SQLException sql) {
                throw sql;
            }
            throw (RuntimeException) e.failure;
        } catch (CreateQueue.GaveUp e) {
            throw LockTimeout.inProcess(patience, "the agents' lock of database \"" + database.name()
                    + "\" (held by this service's other creates there)");
        }
    }

    /**
     * Under the lock: makes {@code first} and the creates that wait with it, in one transaction, but for those whose
     * name is taken by now (returned: each runs alone, to find it taken). The groups, when one was missing, are read
     * again. A statement the server refuses rolls the transaction back whole: with others in it, that is a
     * {@link CreateQueue.RefusedWhole}.
     */
    private Set<NewUser> make(DatabaseInfo database, NewUser first, CreateQueue.Joiners joiners, boolean groupsMissing)
            throws SQLException {
        return underLock(() -> {
            List<NewUser> users = new ArrayList<>(List.of(first));
            users.addAll(joiners.take());
            if (users.size() == 1) {
                context.apply(Planner.createUsers(target(database, groupsMissing), users));
                return Set.of();
            }
            Set<String> names = new HashSet<>(context.maintenance().existingRoles(users.stream().map(u -> u.name().value()).toList()));
            Set<NewUser> taken = users.stream().filter(u -> names.contains(u.name().value())).collect(Collectors.toSet());
            List<NewUser> free = users.stream().filter(u -> !taken.contains(u)).toList();
            if (!free.isEmpty()) {
                Target target = target(database, groupsMissing);
                try {
                    context.apply(Planner.createUsers(target, free));
                } catch (SQLException e) {
                    throw ServerErrors.isRefusal(e) ? new CreateQueue.RefusedWhole(e) : e;
                }
            }
            return taken;
        });
    }

    /**
     * Runs {@code work} under the agents' lock. Its plan commits on a connection of its own: once {@code work} has
     * returned, the users are made, and a failure to commit the lock's transaction (which holds nothing of them:
     * a lost connection, say) is logged, not answered as the create's failure.
     */
    private <T> T underLock(Context.Work<T> work) throws SQLException {
        List<T> done = new ArrayList<>(1);
        try {
            return context.locked(() -> {
                done.add(work.run());
                return done.get(0);
            });
        } catch (SQLException e) {
            if (done.isEmpty()) {
                throw e;
            }
            LoggerFactory.getLogger(CreateUser.class)
                    .warn("the users were made; the agents' lock was then let go without its commit: {}", e.getMessage());
            return done.get(0);
        }
    }

    /** The database as a plan needs it; its groups read again when one was missing. */
    private Target target(DatabaseInfo database, boolean groupsMissing) throws SQLException {
        Set<Access> missing = groupsMissing ? Groups.missing(context.maintenance(), database.name()) : Set.of();
        return new Target(database.name(), database.owner(), missing);
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
