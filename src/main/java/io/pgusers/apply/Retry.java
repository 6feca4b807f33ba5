package io.pgusers.apply;

import java.sql.SQLException;
import java.util.concurrent.ThreadLocalRandom;

/** Which errors are worth a second try, and how long to wait before it. */
final class Retry {
    private Retry() {
    }

    /**
     * Serialization failures, deadlocks, and "tuple concurrently updated" (concurrent GRANTs on one
     * object, an internal error with no SQLSTATE of its own).
     */
    static boolean isTransient(SQLException e) {
        String state = e.getSQLState();
        return "40001".equals(state) || "40P01".equals(state)
                || ("XX000".equals(state) && String.valueOf(e.getMessage()).contains("tuple concurrently updated"));
    }

    static void pause(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(10, 50L << attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
