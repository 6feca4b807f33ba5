package io.pgusers.http;

import static io.pgusers.http.ApiClient.createBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgusers.Main;
import io.pgusers.apply.Executor;
import io.pgusers.testing.AppDatabase;
import io.pgusers.testing.Names;
import io.pgusers.testing.PgServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code pgusers serve} as its own process, stopped the way a service manager stops it: SIGTERM stops
 * the taking of requests, lets the one under way finish, closes the pools, and exits 0.
 */
class ServeProcessTest {
    private static final Pattern LISTENING = Pattern.compile("on (http://127\\.0\\.0\\.1:(\\d+))/");

    @Test
    void sigtermFinishesTheRequestUnderWayAndExitsZero() throws Exception {
        AppDatabase db = AppDatabase.provision("sigterm");
        List<String> stderr = Collections.synchronizedList(new ArrayList<>());
        Process serve = start(stderr);
        try {
            String base = awaitListening(serve, stderr);
            int port = Integer.parseInt(base.substring(base.lastIndexOf(':') + 1));
            ApiClient api = new ApiClient(base, TestService.TOKEN);
            api.withToken(null).get("/health").expect(200);

            String name = Names.user("inflight");
            CompletableFuture<ApiClient.Answer> create;
            try (Connection holder = db.superuser(); Statement s = holder.createStatement()) {
                // Hold the agents' lock in the application database (advisory locks belong to one
                // database): the create gets as far as its transaction, then waits.
                s.execute("SELECT pg_advisory_lock(" + Executor.ADVISORY_LOCK_KEY + ")");
                create = api.sendAsync("POST", "/databases/" + db.name() + "/users", createBody(name, false, null, null));
                awaitWaitingForTheLock(holder, create, stderr);

                assertTrue(serve.toHandle().destroy(), "SIGTERM sent"); // (Process.destroy() would close its streams too)
                awaitRefused(port);
                assertTrue(serve.isAlive(), "still finishing the request under way");
                assertFalse(create.isDone(), "the create is still waiting");
                s.execute("SELECT pg_advisory_unlock(" + Executor.ADVISORY_LOCK_KEY + ")");
            }
            ApiClient.Answer answer = create.get(30, TimeUnit.SECONDS).expect(201);
            db.login(name, answer.user().get("password").asText()).close();
            assertTrue(serve.waitFor(30, TimeUnit.SECONDS), "serve stops");
            assertEquals(0, serve.exitValue(), () -> String.join("\n", stderr));
            awaitLine(stderr, "pgusers serve: stopped");
        } finally {
            serve.destroyForcibly();
        }
    }

    private static Process start(List<String> stderr) throws IOException {
        PgServer pg = PgServer.shared();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, Main.class.getName(), "serve", "--listen", "127.0.0.1:0")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Map<String, String> env = builder.environment();
        env.putAll(pg.libpqEnvironment("postgres"));
        env.put("PGPASSFILE", "/nonexistent/pgpass");
        env.put(TokenAuth.ENV, TestService.TOKEN);
        Process process = builder.start();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    stderr.add(line);
                }
            } catch (IOException e) {
                stderr.add("(reading stderr: " + e + ")");
            }
        }, "serve-stderr");
        reader.setDaemon(true);
        reader.start();
        return process;
    }

    private static String awaitListening(Process serve, List<String> stderr) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            synchronized (stderr) {
                for (String line : stderr) {
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        return m.group(1);
                    }
                }
            }
            assertTrue(serve.isAlive(), () -> "serve exited: " + String.join("\n", stderr));
            Thread.sleep(50);
        }
        throw new AssertionError("serve did not say where it listens: " + String.join("\n", stderr));
    }

    private static void awaitWaitingForTheLock(Connection holder, CompletableFuture<ApiClient.Answer> create,
                                               List<String> stderr) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            try (Statement s = holder.createStatement();
                 var rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'advisory' "
                         + "AND application_name = 'pgusers'")) {
                rs.next();
                if (rs.getInt(1) > 0) {
                    return;
                }
            }
            if (create.isDone() || System.nanoTime() > deadline) {
                StringBuilder activity = new StringBuilder();
                try (Statement s = holder.createStatement();
                     var rs = s.executeQuery("SELECT application_name, state, wait_event_type, wait_event, query "
                             + "FROM pg_stat_activity WHERE backend_type = 'client backend'")) {
                    while (rs.next()) {
                        activity.append(rs.getString(1)).append(" | ").append(rs.getString(2)).append(" | ")
                                .append(rs.getString(3)).append(" | ").append(rs.getString(4)).append(" | ")
                                .append(rs.getString(5)).append('\n');
                    }
                }
                throw new AssertionError("the create did not wait for the advisory lock: "
                        + (create.isDone() ? create.join().status() + " " + create.join().body() : "not answered")
                        + "\n" + activity + String.join("\n", stderr));
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

    private static void awaitLine(List<String> lines, String wanted) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!lines.contains(wanted)) {
            assertTrue(System.nanoTime() < deadline, () -> "\"" + wanted + "\" in\n" + String.join("\n", lines));
            Thread.sleep(20);
        }
    }
}
