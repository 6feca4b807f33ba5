package io.pgusers.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pgusers.connect.ConnectionRequest;
import io.pgusers.connect.ConnectionSettings;
import io.pgusers.core.PgUsersException;
import io.pgusers.ops.ConnectionSource;
import io.pgusers.testing.AppDatabase;
import io.pgusers.testing.Names;
import io.pgusers.testing.PgServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The service connects as a superuser or not at all: a role that is not one is refused at start in pgusers'
 * words, not the pool's (a pooled session, when opened, sets what only a superuser may; the check is made on a
 * login of its own).
 */
class ServeAsSuperuserTest {

    @Test
    void aRoleThatIsNotASuperuserIsRefusedAtStartAtOnce() throws Exception {
        AppDatabase db = AppDatabase.provision("weakserve");
        String role = Names.user("weakserve");
        String password = Names.password();
        db.sql("CREATE ROLE " + role + " LOGIN PASSWORD '" + password + "'");
        PgServer pg = PgServer.shared();
        ConnectionSource logins = ConnectionSource.of(ConnectionSettings.resolve(
                new ConnectionRequest(pg.host(), pg.port(), role, "postgres", null),
                Map.of("PGPASSWORD", password, "PGPASSFILE", "/nonexistent/pgpass", "PGCONNECT_TIMEOUT", "2")));
        PgUsersException refused = assertThrows(PgUsersException.class,
                () -> TestService.start(logins, TestService.options(Duration.ofSeconds(30))).close());
        assertEquals("pgusers must connect as a superuser, and role \"" + role
                + "\" is not one: connect as postgres (-U postgres) or another superuser", refused.getMessage());
    }
}
