package io.pgusers.ops;

import io.pgusers.plan.NewUser;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The creates of one database that wait in this process, made together: while one transaction creates users
 * under the agents' lock, the creates that arrive meanwhile wait here instead of on the lock; the next of them
 * then takes the lock and creates itself and all the others that wait, in one transaction (each role with its
 * password and promise, the grants once with every new user as a grantee). On a database whose tables are in
 * {@code public}, the documented grants rewrite the ACL of every table, and a transaction that rewrites them
 * for eight users costs little more than one that does it for one.
 *
 * <p>Each create still answers as if it had run alone:
 * <ul>
 *   <li>names are distinct within a transaction, and a name taken by the time the lock is held is left out of
 *       it (that create runs alone, and finds the role taken);</li>
 *   <li>when the server refuses the shared transaction (it rolled back whole: a statement failed), each of its
 *       creates runs again alone, to its own answer;</li>
 *   <li>when it failed in a way that leaves its outcome unknown (a lost connection, a cancel, the lock's commit),
 *       each of its creates fails with that error, which names no user: nothing is run again on a guess;</li>
 *   <li>a create waits here at most as long as it would have waited for the agents' lock (lock_timeout); one taken
 *       into another's transaction waits for its end, whatever happens to its own request.</li>
 * </ul>
 *
 * <p>One queue per database in one process (a CLI call has one create); agents of other processes still
 * queue on the agents' lock.
 */
final class CreateQueue {
    /** The most users one transaction creates. */
    static final int MOST = 64;

    /** How a create that did not fail ended. */
    enum Outcome {
        /** Made, in its own transaction or another's. */
        MADE,
        /** Nothing of it was made: the caller makes it alone. */
        ALONE
    }

    /** Makes users in one transaction, under the agents' lock. */
    @FunctionalInterface
    interface Maker {
        /**
         * Makes {@code first} and those {@code joiners} gives, all or none, except those it leaves out: those it
         * returns, which run alone. Asks {@code joiners} once, holding the agents' lock (the creates that came
         * while it waited for the lock join too).
         *
         * @throws RefusedWhole when the server refused the transaction, which rolled back whole
         */
        Set<NewUser> make(NewUser first, Joiners joiners) throws SQLException;
    }

    /** The waiting creates that join a transaction. */
    @FunctionalInterface
    interface Joiners {
        List<NewUser> take();
    }

    /** The server refused the shared transaction: it rolled back whole, and each of its creates may run alone. */
    static final class RefusedWhole extends SQLException {
        private static final long serialVersionUID = 1L;
        final SQLException refusal;

        RefusedWhole(SQLException refusal) {
            super(refusal.getMessage(), refusal.getSQLState(), refusal);
            this.refusal = refusal;
        }
    }

    /** A create taken into another's transaction, which failed with an outcome unknown: its error. */
    static final class FailedTogether extends Exception {
        private static final long serialVersionUID = 1L;
        final Exception failure;

        FailedTogether(Exception failure) {
            super(failure.getMessage(), failure);
            this.failure = failure;
        }
    }

    /** A create waiting its turn. */
    private static final class Waiter {
        final NewUser user;
        /** Set when it ended without failing. */
        Outcome outcome;
        /** Set when the transaction that held it failed. */
        Exception failure;

        Waiter(NewUser user) {
            this.user = user;
        }

        boolean ended() {
            return outcome != null || failure != null;
        }
    }

    /** The SQLSTATE of a cancelled statement. */
    private static final String QUERY_CANCELED = "57014";

    private final Deque<Waiter> waiting = new ArrayDeque<>();
    /** Whether a transaction of creates is under way. */
    private boolean making;
    /** Whether the service stops: no transaction begins any more. */
    private boolean stopping;

    /**
     * Makes {@code user}, in a transaction of its own or of another create of this queue. When it failed alone, the
     * failure is thrown as it came.
     *
     * @param patience how long it may wait here for a transaction under way (lock_timeout); once taken into one, it
     *                 waits for its end
     * @throws FailedTogether when the transaction of another create that held it failed, its outcome unknown
     * @throws GaveUp when it waited longer than {@code patience}, nothing changed
     * @throws SQLException {@link #stopped()} when the service stops while it waits
     */
    Outcome make(NewUser user, Duration patience, Maker maker) throws SQLException, FailedTogether, GaveUp {
        Waiter mine = new Waiter(user);
        synchronized (this) {
            waiting.add(mine);
            long deadline = System.nanoTime() + patience.toNanos();
            try {
                while (making && !mine.ended() && !stopping) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        if (waiting.remove(mine)) {
                            throw new GaveUp();
                        }
                        break; // taken into a transaction meanwhile: its end is awaited below
                    }
                    wait(Math.max(1, left / 1_000_000));
                }
            } catch (InterruptedException e) {
                if (waiting.remove(mine)) {
                    Thread.currentThread().interrupt();
                    throw new SQLException("interrupted while waiting to create \"" + user.name() + "\": nothing was changed");
                }
                Thread.currentThread().interrupt();
            }
            if (!waiting.contains(mine)) {
                awaitEnd(mine);
            } else if (stopping) {
                waiting.remove(mine);
                throw stopped();
            }
            if (mine.ended()) {
                if (mine.failure != null) {
                    throw new FailedTogether(mine.failure);
                }
                return mine.outcome;
            }
            making = true;
            waiting.remove(mine);
        }
        return lead(mine, maker);
    }

    /**
     * From now on, no transaction of creates begins: those that wait fail, nothing of them made (a service stopping:
     * the transaction under way, if one is, ends as its statements are cancelled).
     */
    synchronized void stop() {
        stopping = true;
        notifyAll();
    }

    /** Whether {@link #stop} was called: a create to be made alone is not begun either. */
    synchronized boolean stopping() {
        return stopping;
    }

    /** What a create that waited is answered when the service stops: the answer of a cancelled statement. */
    static SQLException stopped() {
        return new SQLException("the service is stopping", QUERY_CANCELED);
    }

    /** Makes {@code mine} and those that join it, and tells each how it ended. */
    private Outcome lead(Waiter mine, Maker maker) throws SQLException {
        List<Waiter> joined = new ArrayList<>();
        Set<NewUser> leftOut = Set.of();
        Exception failure = null;
        boolean refused = false;
        try {
            leftOut = maker.make(mine.user, () -> join(mine, joined));
            return leftOut.contains(mine.user) ? Outcome.ALONE : Outcome.MADE;
        } catch (RefusedWhole e) {
            refused = true;
            if (joined.isEmpty()) {
                throw e.refusal;
            }
            return Outcome.ALONE;
        } catch (SQLException | RuntimeException e) {
            failure = e;
            throw e;
        } catch (Error e) {
            failure = new SQLException("the transaction that was to create this user failed: nothing was changed", e);
            throw e;
        } finally {
            finish(joined, leftOut, refused, failure);
        }
    }

    /** Takes the waiting creates of names not yet in the transaction, first come first. */
    private synchronized List<NewUser> join(Waiter first, List<Waiter> joined) {
        if (!joined.isEmpty()) {
            throw new IllegalStateException("the creates that join a transaction are taken once");
        }
        Set<String> names = new HashSet<>(List.of(first.user.name().value()));
        for (var it = waiting.iterator(); it.hasNext() && joined.size() < MOST - 1; ) {
            Waiter next = it.next();
            if (names.add(next.user.name().value())) {
                joined.add(next);
                it.remove();
            }
        }
        return joined.stream().map(w -> w.user).toList();
    }

    /** Tells the creates of the transaction how it ended, and lets the next transaction begin. */
    private synchronized void finish(List<Waiter> joined, Set<NewUser> leftOut, boolean refused, Exception failure) {
        for (Waiter w : joined) {
            if (failure != null) {
                w.failure = failure;
            } else {
                w.outcome = refused || leftOut.contains(w.user) ? Outcome.ALONE : Outcome.MADE;
            }
        }
        making = false;
        notifyAll();
    }

    /**
     * Waits for the transaction that took {@code mine} to end, however long it takes (its leader's waits are bounded)
     * and whatever happens to this thread: it is being made, and its answer is awaited all the same.
     */
    private void awaitEnd(Waiter mine) {
        boolean interrupted = false;
        while (!mine.ended()) {
            try {
                wait();
            } catch (InterruptedException again) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** A create that waited here longer than its patience: it left the queue, nothing of it made. */
    static final class GaveUp extends Exception {
        private static final long serialVersionUID = 1L;
    }
}
