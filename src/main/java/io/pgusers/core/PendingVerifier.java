package io.pgusers.core;

import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.postgresql.util.PasswordUtil;

/**
 * A password's SCRAM-SHA-256 verifier being computed on a thread of its own, from a copy of the password taken
 * when it began: 4,096 rounds of HMAC-SHA-256, about 2 ms in a warm JVM and 7 ms in a fresh one, that the caller
 * spends on its round trips to the server instead of waiting for them. {@link #close()} wipes the copy, whether
 * the verifier was used or not.
 */
public final class PendingVerifier implements AutoCloseable {
    private static final int THREADS = Runtime.getRuntime().availableProcessors();

    /**
     * As many daemon threads as the machine has cores, made when needed and ended after a minute idle (a one-shot
     * command never waits for them), and as many verifiers waiting for one: beyond that, the caller computes its
     * own, as it did before there were threads. However many requests come, hashing never holds more threads.
     */
    private static final ExecutorService HASHING = hashing();

    private final char[] copy;
    private final CompletableFuture<String> verifier;
    private volatile boolean discarded;

    PendingVerifier(char[] password) {
        this.copy = Arrays.copyOf(password, password.length);
        // pgjdbc wipes the array it hashes
        this.verifier = CompletableFuture.supplyAsync(() -> PasswordUtil.encodeScramSha256(copy), HASHING);
    }

    /** The verifier, once computed. */
    public String get() {
        if (discarded) {
            throw new IllegalStateException("the verifier was discarded");
        }
        try {
            return verifier.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /**
     * Gives up the verifier: not computed if it has not begun (a cancelled task is skipped when its turn comes), and
     * the copy of the password wiped either way. {@link #get} fails from then on.
     */
    @Override
    public void close() {
        discarded = true;
        verifier.cancel(false);
        Arrays.fill(copy, '\0');
    }

    private static ExecutorService hashing() {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(THREADS, THREADS, 1, TimeUnit.MINUTES,
                new ArrayBlockingQueue<>(THREADS), task -> {
                    Thread thread = new Thread(task, "pgusers-scram");
                    thread.setDaemon(true);
                    return thread;
                }, new ThreadPoolExecutor.CallerRunsPolicy());
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
