package io.pgusers.ops;

import io.pgusers.apply.Executor;
import io.pgusers.apply.OperationLock;
import io.pgusers.core.Failure;
import io.pgusers.core.PgUsersException;
import io.pgusers.core.Promise;
import io.pgusers.inspect.DatabaseInfo;
import io.pgusers.inspect.Inspector;
import io.pgusers.inspect.Promises;
import io.pgusers.plan.Plan;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * What every operation on one application database works with: its connections, its name, the agents'
 * lock, the executor, and the one translation of server errors. Package-private: the operations' own.
 */
final class Context {
    final Session session;
    final String database;
    final Audit audit;
    /** The server's major version. */
    final int major;
    /** The queues of the creates waiting in this process, by database (see {@link #createQueue}). */
    private final Map<String, CreateQueue> createQueues;
    /** Whether the operation under way has begun sending its plan: then it is not run again. */
    private boolean changing;

    Context(Session session, String database, Audit audit, int major, Map<String, CreateQueue> createQueues) {
        this.session = session;
        this.database = database;
        this.audit = audit;
        this.major = major;
        this.createQueues = createQueues;
    }

    /** The creates of this database waiting in this process, made together: asked once it is known to be pgusers'. */
    CreateQueue createQueue() {
        return createQueues.computeIfAbsent(database, d -> new CreateQueue());
    }

    /** Reads the catalogs of the application database (and the shared ones). */
    Inspector application() {
        return new Inspector(session.application());
    }

    /** Reads the catalogs of the maintenance database (and the shared ones). */
    Inspector maintenance() {
        return new Inspector(session.maintenance());
    }

    /** Work that talks to the server. */
    @FunctionalInterface
    interface Work<T> {
        T run() throws SQLException;
    }

    /**
     * Runs {@code work}, turning a driver or server error into a {@link Failure} with one clear line. When a
     * connection broke (the server ended the session, restarted, failed over) before anything of a change
     * was sent, {@code work} runs once more on fresh connections: a pooled connection the server ended is
     * then no failure of the request.
     */
    <T> T database(Work<T> work) {
        changing = false;
        try {
            return work.run();
        } catch (SQLException e) {
            if (!ServerErrors.isConnectionFailure(e) || changing) {
                throw ServerErrors.translate(e);
            }
            session.reset();
            try {
                return work.run();
            } catch (SQLException again) {
                throw ServerErrors.translate(again);
            }
        }
    }

    /**
     * Runs {@code work} holding the agents' lock of the application database (and of {@code others}): another
     * agent's change of it waits until this one has committed or rolled back, at most lock_timeout.
     */
    <T> T locked(List<String> others, Work<T> work) throws SQLException {
        try (OperationLock lock = OperationLock.take(session.maintenance(), database)) {
            for (String other : others) {
                lock.alsoLock(other);
            }
            T result = work.run();
            lock.release();
            return result;
        }
    }

    <T> T locked(Work<T> work) throws SQLException {
        return locked(List.of(), work);
    }

    void apply(Plan plan) throws SQLException {
        changing = true;
        new Executor(session).apply(plan);
    }

    /**
     * After a plan that failed whole and was rolled back for sure (nothing of it committed), the operation may be
     * run again as if nothing had been sent.
     */
    void rolledBack() {
        changing = false;
    }

    /** Another operation's transaction may have sent this one's change: it is not run again on a lost connection. */
    void mayHaveSent() {
        changing = true;
    }

    /** Every promise of the instance (shared catalogs, read through the maintenance connection). */
    Promises promises() throws SQLException {
        return Promises.of(maintenance().promises());
    }

    /**
     * The application database, when it exists and pgusers provisioned it; else the failure that says so, with
     * the databases pgusers does manage. Reads one row when the database's owner is its protected user (as
     * provision leaves it), every promise of the instance only when it is not.
     */
    DatabaseInfo provisionedDatabase() throws SQLException {
        var info = maintenance().database(database);
        if (info.isPresent() && info.get().ownerPromise()
                .filter(p -> p.database().equals(database) && p.isProtectedUser()).isPresent()) {
            return provisioned(info.get(), info.get().ownerPromise().get());
        }
        return provisionedDatabase(promises());
    }

    /**
     * The application database, when it exists and pgusers provisioned it; else the failure that says so, with
     * the databases pgusers does manage.
     */
    DatabaseInfo provisionedDatabase(Promises promises) throws SQLException {
        var protectedUser = promises.protectedUserOf(database);
        var info = maintenance().database(database);
        if (info.isEmpty() || protectedUser.isEmpty()) {
            throw notManaged(promises, info.isPresent());
        }
        return provisioned(info.get(), protectedUser.get().getValue());
    }

    private DatabaseInfo provisioned(DatabaseInfo info, Promise protectedUser) {
        if (protectedUser.stage() == Promise.Stage.PROVISIONING) {
            throw new PgUsersException(Failure.UNKNOWN_DATABASE, "Database \"" + database + "\" is being provisioned:"
                    + " run pgusers provision -d " + database + " again to finish it");
        }
        return info;
    }

    /** The failure for a database pgusers does not manage, naming those it does: one message for every command. */
    PgUsersException notManaged() throws SQLException {
        return notManaged(promises(), maintenance().database(database).isPresent());
    }

    private PgUsersException notManaged(Promises promises, boolean exists) throws SQLException {
        List<String> managed = Instance.existing(promises.provisionedDatabases(), maintenance());
        String what = Provision.belongsToPostgres(database) ? "belongs to PostgreSQL, not to its users"
                : exists ? "is not managed by pgusers" : "does not exist";
        String rest = managed.isEmpty()
                ? "pgusers manages no database yet: pgusers -d NAME provision makes or adopts one"
                : "pgusers manages " + Instance.quotedList(managed) + ": name one with -d"
                        + (Provision.belongsToPostgres(database) ? "" : ", or run pgusers -d " + database
                                + " provision to " + (exists ? "adopt" : "make") + " this one");
        return new PgUsersException(Failure.UNKNOWN_DATABASE, "Database \"" + database + "\" " + what + "; " + rest);
    }
}
