package io.pgusers.http;

import static io.pgusers.http.ApiClient.createBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgusers.core.Failure;
import io.pgusers.core.PgUsersException;
import io.pgusers.testing.AppDatabase;
import io.pgusers.testing.Names;
import io.pgusers.testing.PgServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * When the instance stops answering, the service says so (503, health included) instead of hanging or
 * crashing, and recovers by itself when the instance is back.
 */
class ServeUnreachableTest {

    @Test
    void anUnreachableInstanceIs503AndTheServiceRecovers() throws Exception {
        AppDatabase db = AppDatabase.provision("down");
        String users = "/databases/" + db.name() + "/users";
        try (TcpProxy proxy = new TcpProxy(PgServer.shared().host(), PgServer.shared().port());
             ApiServer server = TestService.start(TestService.logins("127.0.0.1", proxy.port()),
                     TestService.options(Duration.ofSeconds(1)))) {
            ApiClient api = new ApiClient("http://127.0.0.1:" + server.port(), TestService.TOKEN);
            api.withToken(null).get("/health").expect(200);
            api.get(users).expect(200);

            proxy.cut();
            ApiClient.Answer health = api.withToken(null).get("/health").expect(503);
            assertEquals("The database instance does not answer", health.error());
            String name = Names.user("nowhere");
            for (ApiClient.Answer answer : new ApiClient.Answer[] {
                api.get(users), api.post(users, createBody(name, false, null, null)),
                api.post(users + "/" + name + "/reset_password", null), api.delete(users + "/" + name)}) {
                // "could not connect to database ...": every pooled connection is checked before it is handed out
                assertEquals(503, answer.status(), answer.body());
                assertTrue(answer.error() != null && !answer.error().isBlank(), answer.body());
            }
            assertEquals(401, api.withToken(null).get(users).status(), "the token is checked before the database");

            proxy.restore();
            // as soon as the instance answers again, so does the service: no backoff of the pool's to wait out
            api.withToken(null).get("/health").expect(200);
            api.post(users, createBody(name, false, null, null)).expect(201);
            assertTrue(db.roleExists(name));
        }
    }

    @Test
    void theServiceDoesNotStartWithoutTheInstance() throws Exception {
        int port;
        try (TcpProxy proxy = new TcpProxy(PgServer.shared().host(), PgServer.shared().port())) {
            port = proxy.port();
            proxy.cut();
            PgUsersException e = assertThrows(PgUsersException.class,
                    () -> TestService.start(TestService.logins("127.0.0.1", port), TestService.options(Duration.ofSeconds(1))));
            assertEquals(Failure.DATABASE, e.failure());
            assertTrue(e.getMessage().startsWith("could not connect to database \"postgres\""), e.getMessage());
        }
    }
}
