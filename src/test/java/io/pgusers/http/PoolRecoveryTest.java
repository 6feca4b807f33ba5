package io.pgusers.http;

import static io.pgusers.http.ApiClient.createBody;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgusers.testing.AppDatabase;
import io.pgusers.testing.Names;
import io.pgusers.testing.PgServer;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Issue 8: the pool absorbs dead sessions. A pooled connection that the server ended (pg_terminate_backend,
 * a failover) is replaced without failing the request; after the server went away and came back (a restart),
 * serve answers as soon as it does.
 */
class PoolRecoveryTest {

    @Test
    void theFirstRequestsAfterThePoolsSessionsWereEndedSucceed() throws Exception {
        AppDatabase db = AppDatabase.provision("ended");
        String users = "/databases/" + db.name() + "/users";
        try (ApiServer server = TestService.start(TestService.logins(PgServer.shared().host(), PgServer.shared().port()),
                TestService.options(Duration.ofSeconds(10)))) {
            ApiClient api = new ApiClient("http://127.0.0.1:" + server.port(), TestService.TOKEN);
            api.get(users).expect(200);
            api.post(users, createBody(Names.user("warm"), true, null, null)).expect(201);
            try (Connection c = db.superuser(); Statement s = c.createStatement()) {
                s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        + "WHERE application_name = 'pgusers' AND pid <> pg_backend_pid()");
            }
            api.withToken(null).get("/health").expect(200);
            api.get(users).expect(200);
            String name = Names.user("after");
            api.post(users, createBody(name, false, null, null)).expect(201);
            assertTrue(db.roleExists(name));
        }
    }

    @Test
    void afterTheServerWentAwayAndCameBackTheFirstRequestsSucceed() throws Exception {
        AppDatabase db = AppDatabase.provision("restart");
        String users = "/databases/" + db.name() + "/users";
        try (TcpProxy proxy = new TcpProxy(PgServer.shared().host(), PgServer.shared().port());
             ApiServer server = TestService.start(TestService.logins("127.0.0.1", proxy.port()),
                     TestService.options(Duration.ofSeconds(10)))) {
            ApiClient api = new ApiClient("http://127.0.0.1:" + server.port(), TestService.TOKEN);
            api.get(users).expect(200);
            proxy.cut(); // every session dies, and nothing answers: the server is restarting
            api.withToken(null).get("/health").expect(503);
            proxy.restore(); // it is back
            api.withToken(null).get("/health").expect(200);
            api.get(users).expect(200);
            String name = Names.user("back");
            api.post(users, createBody(name, true, null, null)).expect(201);
            assertTrue(db.roleExists(name));
        }
    }
}
