package io.pgusers.http;

import io.pgusers.ops.ConnectionSource;
import java.util.function.Consumer;

/** What {@code pgusers serve} does: start the server, run until SIGTERM or SIGINT, stop in order. */
public final class Serve {
    private Serve() {
    }

    /**
     * Runs the service until it is asked to terminate; returns the exit code, 0 after an orderly stop.
     *
     * @param notes where to say what happens (standard error)
     */
    public static int run(ConnectionSource logins, TokenAuth auth, ApiServer.Options options, Consumer<String> notes) {
        Termination termination = Termination.listen();
        try (ApiServer server = ApiServer.start(logins, auth, options)) {
            notes.accept("pgusers serve: the database-users API and the Database Users page on "
                    + server.url(options.host()) + "/ (Ctrl-C or SIGTERM to stop)");
            try {
                termination.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            notes.accept("pgusers serve: stopping; requests under way may finish");
        } finally {
            termination.stopped();
        }
        notes.accept("pgusers serve: stopped");
        return 0;
    }
}
