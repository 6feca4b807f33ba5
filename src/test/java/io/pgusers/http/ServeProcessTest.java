package io.pgusers.http;

import static io.pgusers.http.ApiClient.createBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgusers.testing.AgentLock;
import io.pgusers.testing.AppDatabase;
import io.pgusers.testing.Names;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code pgusers serve} as its own process, stopped the way a service manager stops it: SIGTERM stops
 * the taking of requests, lets the one under way finish, closes the pools, and exits 0.
 */
class ServeProcessTest {

    @Test
    void sigtermFinishesTheRequestUnderWayAndExitsZero() throws Exception {
        AppDatabase db = AppDatabase.provision("sigterm");
        try (ServeProcess serve = ServeProcess.start("--listen", "127.0.0.1:0", "--lock-timeout", "60")) {
            ApiClient api = serve.api();
            api.withToken(null).get("/health").expect(200);

            String name = Names.user("inflight");
            CompletableFuture<ApiClient.Answer> create;
            try (AgentLock lock = AgentLock.hold(db.name())) {
                // another agent's operation on the database holds its lock: the create waits for it
                create = api.sendAsync("POST", "/databases/" + db.name() + "/users", createBody(name, false, null, null));
                awaitWaitingForTheLock(create, serve);

                serve.terminate();
                awaitRefused(serve.port());
                assertTrue(serve.process().isAlive(), "still finishing the request under way");
                assertFalse(create.isDone(), "the create is still waiting");
            }
            ApiClient.Answer answer = create.get(30, TimeUnit.SECONDS).expect(201);
            db.login(name, answer.user().get("password").asText()).close();
            assertEquals(0, serve.awaitExit(Duration.ofSeconds(30)), serve::stderr);
            serve.awaitLine("pgusers serve: stopped", Duration.ofSeconds(5));
        }
    }

    @Test
    void clientsThatGoAwayOrStallAreNoErrorsAndDoNotHoldUpTheStop() throws Exception {
        AppDatabase db = AppDatabase.provision("goneaway");
        try (ServeProcess serve = ServeProcess.start("--listen", "127.0.0.1:0")) {
            String head = "POST /databases/" + db.name() + "/users HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                    + TestService.TOKEN + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"database_";
            try (Socket gone = new Socket("127.0.0.1", serve.port())) {
                gone.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII)); // then hangs up: an early EOF
            }
            try (Socket stalled = new Socket("127.0.0.1", serve.port())) {
                stalled.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII)); // and waits
                Thread.sleep(500);
                serve.api().withToken(null).get("/health").expect(200);
                serve.terminate();
                assertEquals(0, serve.awaitExit(Duration.ofSeconds(20)), serve::stderr);
            }
            assertFalse(serve.stderr().contains("ERROR") || serve.stderr().contains("Exception"), serve::stderr);
        }
    }

    @Test
    void plainHttpOnEveryAddressIsServedOnlyWhenAllowedAndThenWithAWarning() throws Exception {
        try (ServeProcess serve = ServeProcess.start("--listen", "0.0.0.0:0", "--allow-plain-http")) {
            assertTrue(serve.stderr().contains("WARNING: serving plain HTTP on 0.0.0.0"), serve::stderr);
            serve.api().withToken(null).get("/health").expect(200);
            serve.terminate();
            assertEquals(0, serve.awaitExit(Duration.ofSeconds(20)), serve::stderr);
        }
    }

    private static void awaitWaitingForTheLock(CompletableFuture<ApiClient.Answer> create, ServeProcess serve)
            throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (AgentLock.agentsWaiting() == 0) {
            if (create.isDone() || System.nanoTime() > deadline) {
                throw new AssertionError("the create did not wait for the agents' lock: "
                        + (create.isDone() ? create.join().status() + " " + create.join().body() : "not answered")
                        + "\n" + serve.stderr());
            }
            Thread.sleep(50);
        }
    }

    /** New connections are refused once the service is stopping. */
    private static void awaitRefused(int port) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            } catch (ConnectException e) {
                return;
            } catch (IOException e) {
                // a timeout or reset: try again
            }
            assertTrue(System.nanoTime() < deadline, "serve stops accepting connections after SIGTERM");
            Thread.sleep(50);
        }
    }
}
