package io.pgusers.ops;

import io.pgusers.plan.NewUser;
import java.sql.SQLException;
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
 * <p>Each create still answers as if it had run alone. Names are distinct within a transaction (a second
 * create of a name waits for the next, and finds the role taken). When the shared transaction fails for any
 * reason (a role of the same name made by hand meanwhile, a lock waited on too long, a lost connection), it
 * rolled back whole, and each of its creates runs again alone, to its own answer. A create taken into another's
 * transaction waits for it, whatever happens to its own request: it is made, or nothing of it is.
 *
 * <p>One queue per database in one process (a CLI call has one create); agents of other processes still
 * queue on the agents' lock.
 */
final class CreateQueue {
    /** The most users one transaction creates. */
    static final int MOST = 64;

    /** Makes users in one transaction, under the agents' lock. */
    @FunctionalInterface
    interface Maker {
        /**
         * Makes {@code first} and those {@code joiners} gives, all or none. Asks {@code joiners} once, holding
         * the agents' lock (the creates that came while it waited for the lock join too).
         */
        void make(NewUser first, Joiners joiners) throws SQLException;
    }

    /** The waiting creates that join a transaction. */
    @FunctionalInterface
    interface Joiners {
        List<NewUser> take();
    }

    /** A create waiting its turn. */
    private static final class Waiter {
        final NewUser user;
        /** Set once made (true) or to be made alone (false). */
        Boolean made;

        Waiter(NewUser user) {
            this.user = user;
        }
    }

    private final Deque<Waiter> waiting = new ArrayDeque<>();
    /** Whether a transaction of creates is under way. */
    private boolean making;

    /**
     * Makes {@code user}, in a transaction of its own or of another create of this queue. Returns true once it is
     * made; false when the transaction that held it failed with others in it: nothing of it was made, and the
     * caller makes it alone. When it failed alone, the failure is thrown.
     */
    boolean make(NewUser user, Maker maker) throws SQLException {
        Waiter mine = new Waiter(user);
        synchronized (this) {
            waiting.add(mine);
            try {
                while (making && mine.made == null) {
                    wait();
                }
            } catch (InterruptedException e) {
                if (waiting.remove(mine)) {
                    Thread.currentThread().interrupt();
                    throw new SQLException("interrupted while waiting to create \"" + user.name() + "\": nothing was changed");
                }
                awaitUninterruptibly(mine);
            }
            if (mine.made != null) {
                return mine.made;
            }
            making = true;
            waiting.remove(mine);
        }
        List<Waiter> joined = new ArrayList<>();
        boolean made = false;
        try {
            maker.make(user, () -> join(mine, joined));
            made = true;
            return true;
        } catch (SQLException | RuntimeException e) {
            if (joined.isEmpty()) {
                throw e;
            }
            return false;
        } finally {
            finish(joined, made);
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
    private synchronized void finish(List<Waiter> joined, boolean made) {
        joined.forEach(w -> w.made = made);
        making = false;
        notifyAll();
    }

    /** Waits for the transaction that took {@code mine} to end, keeping the interrupt for afterwards. */
    private void awaitUninterruptibly(Waiter mine) {
        while (mine.made == null) {
            try {
                wait();
            } catch (InterruptedException again) {
                // it is being made: its answer is awaited all the same
            }
        }
        Thread.currentThread().interrupt();
    }
}
