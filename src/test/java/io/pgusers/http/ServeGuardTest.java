package io.pgusers.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgusers.testing.AppDatabase;
import io.pgusers.testing.Names;
import io.pgusers.testing.PgServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 7: what the HTTP server does with requests no honest client sends. A GET or HEAD that asks to be
 * taken for another method, errors of HTTP itself, clients that send their request slowly or not at all.
 */
class ServeGuardTest {
    /** Short, so that the tests of clients too slow to wait for do not wait long. */
    private static final Duration DEADLINE = Duration.ofSeconds(2);
    static AppDatabase db;
    static ApiServer server;

    @BeforeAll
    static void start() {
        db = AppDatabase.provision("guard");
        ApiServer.Options defaults = TestService.options(Duration.ofSeconds(10));
        server = TestService.start(TestService.logins(PgServer.shared().host(), PgServer.shared().port()),
                new ApiServer.Options(defaults.host(), 0, null, null, defaults.poolSize(), defaults.connectionTimeout(),
                        defaults.stopTimeout(), DEADLINE, false));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static ApiClient api() {
        return new ApiClient("http://127.0.0.1:" + server.port(), TestService.TOKEN);
    }

    @Test
    void aGetOrHeadThatAsksForAnotherMethodIsRefusedAndChangesNothing() throws SQLException {
        String name = Names.user("kept");
        String password = db.createUser(name, false);
        String user = "/databases/" + db.name() + "/users/" + name;
        HttpClient http = HttpClient.newHttpClient();
        for (String header : RequestGuard.METHOD_OVERRIDES) {
            for (String[] attempt : new String[][] {{"GET", user, "DELETE"}, {"HEAD", user, "DELETE"},
                    {"GET", user + "/reset_password", "POST"}, {"HEAD", user + "/reset_password", "POST"},
                    {"GET", user, "PATCH"}}) {
                HttpResponse<String> response = send(http, HttpRequest.newBuilder(URI.create(api().base() + attempt[1]))
                        .method(attempt[0], HttpRequest.BodyPublishers.noBody())
                        .header("Authorization", "Bearer " + TestService.TOKEN)
                        .header(header, attempt[2]).build());
                assertEquals(400, response.statusCode(), header + ": " + String.join(" ", attempt) + " " + response.body());
                if (attempt[0].equals("GET")) {
                    assertTrue(response.body().contains("is not accepted"), response.body());
                }
            }
        }
        assertTrue(db.roleExists(name), "not deleted");
        try (Connection c = db.login(name, password)) {
            assertTrue(c.isValid(2), "its password was not reset");
        }
    }

    @Test
    void everyErrorOfHttpItselfIsTheApisJson() throws IOException {
        int port = server.port();
        String[][] requests = {
            {"400", "HELLO\r\n\r\n"},
            {"400", "GET /%zz HTTP/1.1\r\nHost: x\r\n\r\n"},
            {"404", "GET /nothing/here HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"},
            {"413", "POST /databases/x/users HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TestService.TOKEN
                    + "\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n" + "x".repeat(100_000)},
            {"414", "GET /" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n"},
            {"431", "GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n"},
            {"505", "GET /health HTTP/9.9\r\nHost: x\r\n\r\n"},
        };
        for (String[] request : requests) {
            RawHttp.Response response = RawHttp.exchange(port, request[1]);
            String what = request[1].substring(0, Math.min(40, request[1].length()));
            assertEquals(Integer.parseInt(request[0]), response.status(), what);
            assertTrue(response.contentType().startsWith("application/json"), what + ": " + response.headers());
            assertTrue(response.body().matches("\\{\"error\":\"[^\"<>]+\"}"), what + ": " + response.body());
        }
    }

    /**
     * A body over the limit is answered only once it has arrived: a server that answers and closes while the
     * client still sends makes the client's next write fail with a reset, and most clients then report that
     * reset, not the 413 (the flaky CI run of 2026-12-06, one 100 KB POST in a few hundred under load).
     */
    @Test
    void aBodyOverTheLimitIsReadBeforeItIs413AndTheClientHearsIt() throws IOException {
        String head = "POST /databases/" + db.name() + "/users HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                + TestService.TOKEN + "\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n";
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            OutputStream out = socket.getOutputStream();
            out.write((head + "x".repeat(70_000)).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            socket.setSoTimeout(1_000);
            // already over the 64 KiB: the server waits for the rest instead of answering and closing
            assertThrows(SocketTimeoutException.class, () -> socket.getInputStream().read(),
                    "no answer while the body is still coming");
            out.write("x".repeat(30_000).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            socket.setSoTimeout(10_000);
            RawHttp.Response response = RawHttp.read(socket.getInputStream());
            assertEquals(413, response.status(), response.body());
            assertEquals("close", response.headers().get("connection"), "nothing more is read on this connection");
            assertEquals("{\"error\":\"Payload Too Large\"}", response.body());
        }
    }

    /** A client that asks first, with Expect: 100-continue, is told 413 and never sends its body. */
    @Test
    void aBodyAnnouncedOverTheLimitIs413BeforeItIsSent() throws IOException {
        String head = "POST /databases/" + db.name() + "/users HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                + TestService.TOKEN + "\r\nContent-Type: application/json\r\n";
        for (String request : List.of(head + "Content-Length: 100000\r\nExpect: 100-continue\r\n\r\n",
                // too large to be worth draining: refused at once with or without Expect
                head + "Content-Length: " + (64 * 1024 + RequestGuard.DRAIN_BYTES + 1) + "\r\n\r\n")) {
            try (Socket socket = new Socket("127.0.0.1", server.port())) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                RawHttp.Response response = RawHttp.read(socket.getInputStream());
                assertEquals(413, response.status(), request + response.body());
                assertEquals("close", response.headers().get("connection"), request);
            }
        }
    }

    @Test
    void aClientThatDoesNotSendItsRequestInTimeIsDropped() throws IOException, InterruptedException {
        String[] starts = {
            "GET /health HTTP/1.1\r\n",
            "POST /databases/" + db.name() + "/users HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TestService.TOKEN
                    + "\r\nContent-Type: application/json\r\nContent-Length: 400\r\n\r\n{",
        };
        for (String start : starts) {
            try (Socket socket = new Socket("127.0.0.1", server.port())) {
                socket.setSoTimeout(200);
                OutputStream out = socket.getOutputStream();
                out.write(start.getBytes(StandardCharsets.US_ASCII));
                long began = System.nanoTime();
                boolean closed = false;
                // a byte a little more often than any idle timeout would allow, for three times the deadline
                while (!closed && System.nanoTime() - began < DEADLINE.multipliedBy(3).toNanos()) {
                    try {
                        out.write(start.startsWith("GET") ? "X-A: b\r\n".getBytes(StandardCharsets.US_ASCII) : new byte[] {' '});
                        out.flush();
                        closed = socket.getInputStream().read() == -1;
                    } catch (SocketTimeoutException e) {
                        // still open
                    } catch (IOException e) {
                        closed = true;
                    }
                }
                assertTrue(closed, "dropped within three times the deadline: " + start.lines().findFirst().orElse(""));
            }
        }
        api().withToken(null).get("/health").expect(200);
    }

    /**
     * Six hundred clients that send a valid token and then their body a byte a second each hold a connection;
     * none of them holds a thread, so /health answers at once, while every one of them is still connected. (The
     * figures are printed; the README records them.)
     */
    @Test
    void healthAnswersWhileSixHundredClientsSendTheirBodiesSlowly() throws Exception {
        ApiServer.Options defaults = TestService.options(Duration.ofSeconds(10));
        try (ApiServer patient = TestService.start(TestService.logins(PgServer.shared().host(), PgServer.shared().port()),
                new ApiServer.Options(defaults.host(), 0, null, null, defaults.poolSize(), defaults.connectionTimeout(),
                        defaults.stopTimeout(), Duration.ofSeconds(60), false))) {
            ApiClient api = new ApiClient("http://127.0.0.1:" + patient.port(), TestService.TOKEN);
            long[] idle = timeHealth(api, 20);
            List<Socket> slow = new ArrayList<>();
            try {
                byte[] head = ("POST /databases/" + db.name() + "/users HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                        + TestService.TOKEN + "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{")
                        .getBytes(StandardCharsets.US_ASCII);
                for (int i = 0; i < 600; i++) {
                    Socket socket = new Socket("127.0.0.1", patient.port());
                    socket.setSoTimeout(1);
                    socket.getOutputStream().write(head);
                    slow.add(socket);
                }
                Thread.sleep(500); // every request dispatched and waiting for its body
                long[] loaded = new long[20];
                for (int i = 0; i < loaded.length; i++) {
                    for (Socket socket : slow) {
                        socket.getOutputStream().write(' ');
                    }
                    loaded[i] = timeHealth(api, 1)[0];
                }
                for (Socket socket : slow) {
                    assertFalse(closed(socket), "every slow client is still connected while /health answers");
                }
                System.out.printf("/health, median and worst of 20, in ms: idle %.1f / %.1f; with 600 slow clients %.1f / %.1f%n",
                        median(idle), max(idle), median(loaded), max(loaded));
            } finally {
                for (Socket socket : slow) {
                    socket.close();
                }
            }
        }
    }

    private static long[] timeHealth(ApiClient api, int times) {
        long[] nanos = new long[times];
        for (int i = 0; i < times; i++) {
            long start = System.nanoTime();
            api.withToken(null).get("/health").expect(200);
            nanos[i] = System.nanoTime() - start;
        }
        return nanos;
    }

    private static boolean closed(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        try {
            return in.read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    private static double median(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2] / 1e6;
    }

    private static double max(long[] nanos) {
        return Arrays.stream(nanos).max().orElse(0) / 1e6;
    }

    private static HttpResponse<String> send(HttpClient http, HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void optionsRefusePlainHttpOffTheLoopbackUnlessAllowed() {
        assertThrows(io.pgusers.core.PgUsersException.class, () -> new ApiServer.Options("0.0.0.0", 0, null, null, 1,
                Duration.ofSeconds(1), Duration.ofSeconds(1), DEADLINE, false));
        assertTrue(new ApiServer.Options("0.0.0.0", 0, null, null, 1, Duration.ofSeconds(1), Duration.ofSeconds(1),
                DEADLINE, true).plainHttpOffLoopback());
        assertFalse(new ApiServer.Options("127.0.0.1", 0, null, null, 1, Duration.ofSeconds(1), Duration.ofSeconds(1),
                DEADLINE, false).plainHttpOffLoopback());
    }
}
