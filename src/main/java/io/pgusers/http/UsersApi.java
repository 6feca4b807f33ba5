package io.pgusers.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.pgusers.core.Access;
import io.pgusers.core.DatabaseUser;
import io.pgusers.core.Password;
import io.pgusers.core.PgUsersException;
import io.pgusers.core.UserName;
import io.pgusers.ops.Actor;
import io.pgusers.ops.CreateResult;
import io.pgusers.ops.DatabaseUsers;
import io.pgusers.ops.Instance;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform's database-users API, on the {@link DatabaseUsers} facade: {@code {id}} is the application
 * database, {@code {name}} the user. Each request gets an id (returned in {@code X-Request-Id}, written in
 * its audit row) and a facade of its own, over connections borrowed from the pools and given back when it
 * ends. Failures become {@code {"error": "message"}} with the status of their {@code Failure}; 400 and 401
 * belong to HTTP itself.
 */
final class UsersApi {
    static final String REQUEST_ID_HEADER = "X-Request-Id";
    /** What an API caller is called in the audit trail; its address goes with it. */
    static final String ACTOR = "api";

    private static final Logger LOG = LoggerFactory.getLogger(UsersApi.class);
    private static final String REQUEST_ID = "pgusers.requestId";
    private static final String JSON = "application/json";

    private final Instance instance;
    private final Pools pools;
    private final TokenAuth auth;
    private final WebPage page;

    UsersApi(Instance instance, Pools pools, TokenAuth auth, WebPage page) {
        this.instance = instance;
        this.pools = pools;
        this.auth = auth;
        this.page = page;
    }

    void register(RoutesConfig routes) {
        routes.before(this::identify);
        routes.before("/databases", this::authenticate);
        routes.before("/databases/*", this::authenticate);

        routes.get("/health", this::health);
        page.register(routes);

        routes.get("/databases", this::databases);
        routes.get("/databases/{id}/users", this::list);
        routes.post("/databases/{id}/users", this::create);
        routes.patch("/databases/{id}/users/{name}", this::updatePassword);
        routes.post("/databases/{id}/users/{name}/reset_password", this::resetPassword);
        routes.delete("/databases/{id}/users/{name}", this::delete);

        routes.exception(PgUsersException.class, (e, ctx) -> {
            if (e.failure().httpStatus() >= 500) {
                LOG.warn("request {}: {}", requestId(ctx), e.getMessage());
            }
            error(ctx, e.failure().httpStatus(), e.getMessage());
        });
        routes.exception(Json.BadRequest.class, (e, ctx) -> error(ctx, 400, e.getMessage()));
        routes.exception(Unauthorized.class, (e, ctx) -> {
            ctx.header("WWW-Authenticate", "Bearer realm=\"pgusers\"");
            error(ctx, 401, "Unauthorized");
        });
        routes.exception(HttpResponseException.class, (e, ctx) -> {
            HttpStatus status = HttpStatus.forStatus(e.getStatus());
            error(ctx, e.getStatus(), status.getMessage());
        });
        routes.exception(Exception.class, (e, ctx) -> {
            if (clientWentAway(e)) {
                LOG.debug("request {}: the client went away ({})", requestId(ctx), e.toString());
                return;
            }
            LOG.error("request {} failed", requestId(ctx), e);
            error(ctx, 500, "Internal error (request " + requestId(ctx) + ")");
        });
    }

    // ---------------------------------------------------------------------------------------------
    // Before every request

    private void identify(Context ctx) {
        UUID id = UUID.randomUUID();
        ctx.attribute(REQUEST_ID, id);
        ctx.header(REQUEST_ID_HEADER, id.toString());
        ctx.header("Cache-Control", "no-store"); // responses may hold a password, shown once
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
    }

    private void authenticate(Context ctx) {
        if (!auth.accepts(ctx.header("Authorization"))) {
            throw new Unauthorized();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Endpoints

    /** No token: 200 when the instance answers, 503 otherwise. */
    private void health(Context ctx) {
        if (pools.instanceAnswers()) {
            json(ctx, 200, "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8));
        } else {
            error(ctx, 503, "The database instance does not answer");
        }
    }

    private void databases(Context ctx) {
        json(ctx, 200, Json.databases(instance.provisionedDatabases()));
    }

    private void list(Context ctx) {
        try (DatabaseUsers users = users(ctx)) {
            json(ctx, 200, Json.users(users.list()));
        }
    }

    private void create(Context ctx) {
        Json.UserFields fields = Json.userFields(ctx.bodyAsBytes());
        UserName name;
        try {
            name = UserName.of(fields.name());
        } catch (PgUsersException e) {
            fields.wipe();
            throw e;
        }
        Access access = Access.readOnly(Boolean.TRUE.equals(fields.readOnly()));
        try (Password password = Password.confirmed(fields.password(), fields.passwordConfirmation());
             DatabaseUsers users = users(ctx)) {
            CreateResult result = users.create(name, access, password, false);
            json(ctx, 201, Json.user(result.user(), password));
        }
    }

    private void updatePassword(Context ctx) {
        UserName name = UserName.existing(ctx.pathParam("name"));
        Json.UserFields fields = Json.userFields(ctx.bodyAsBytes());
        try (Password password = Password.confirmed(fields.password(), fields.passwordConfirmation());
             DatabaseUsers users = users(ctx)) {
            DatabaseUser user = users.updatePassword(name, password);
            json(ctx, 200, Json.user(user, password));
        }
    }

    /** Always a generated password, shown once. */
    private void resetPassword(Context ctx) {
        UserName name = UserName.existing(ctx.pathParam("name"));
        try (Password password = Password.generate(); DatabaseUsers users = users(ctx)) {
            DatabaseUser user = users.updatePassword(name, password);
            json(ctx, 200, Json.user(user, password));
        }
    }

    private void delete(Context ctx) {
        UserName name = UserName.existing(ctx.pathParam("name"));
        try (DatabaseUsers users = users(ctx)) {
            users.delete(name, false);
            ctx.status(204);
        }
    }

    // ---------------------------------------------------------------------------------------------

    private DatabaseUsers users(Context ctx) {
        return instance.database(ctx.pathParam("id"), new Actor(ACTOR, ctx.ip()), requestId(ctx));
    }

    /** A connection closed or cut by the client: no one to answer, nothing to report. */
    private static boolean clientWentAway(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.eclipse.jetty.io.EofException || t instanceof java.nio.channels.ClosedChannelException) {
                return true;
            }
        }
        return false;
    }

    private static UUID requestId(Context ctx) {
        return ctx.attribute(REQUEST_ID);
    }

    private static void json(Context ctx, int status, byte[] body) {
        ctx.status(status).contentType(JSON).result(body);
    }

    private static void error(Context ctx, int status, String message) {
        json(ctx, status, Json.error(message));
    }

    /** A missing or wrong token: 401, and nothing else said. */
    static final class Unauthorized extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unauthorized() {
            super("Unauthorized", null, false, false);
        }
    }
}
