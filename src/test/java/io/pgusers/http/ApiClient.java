package io.pgusers.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Real HTTP requests to a test service, with its token unless told otherwise. */
public final class ApiClient {
    static final ObjectMapper JSON = new ObjectMapper();

    private final String base;
    private final String token;
    private final HttpClient http;

    public ApiClient(String base, String token) {
        this(base, token, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
    }

    ApiClient(String base, String token, HttpClient http) {
        this.base = base;
        this.token = token;
        this.http = http;
    }

    public String base() {
        return base;
    }

    /** The same service, with another Authorization header (null: none at all). */
    public ApiClient withToken(String other) {
        return new ApiClient(base, other, http);
    }

    /** One answer: status, body as JSON (null when empty), the request id header. */
    public record Answer(int status, String body, JsonNode json, String requestId, HttpResponse<String> raw) {
        public Answer expect(int expected) {
            assertEquals(expected, status, () -> "HTTP " + status + ": " + body);
            return this;
        }

        public String error() {
            return json == null || json.get("error") == null ? null : json.get("error").asText();
        }

        public JsonNode user() {
            return json.get("database_user");
        }
    }

    public Answer get(String path) {
        return send("GET", path, null);
    }

    public Answer post(String path, String body) {
        return send("POST", path, body);
    }

    public Answer patch(String path, String body) {
        return send("PATCH", path, body);
    }

    public Answer delete(String path) {
        return send("DELETE", path, null);
    }

    public Answer send(String method, String path, String body) {
        try {
            return answer(http.send(request(method, path, body), HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public CompletableFuture<Answer> sendAsync(String method, String path, String body) {
        return http.sendAsync(request(method, path, body), HttpResponse.BodyHandlers.ofString()).thenApply(ApiClient::answer);
    }

    private HttpRequest request(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(90))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return request.build();
    }

    private static Answer answer(HttpResponse<String> response) {
        JsonNode json = null;
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (!response.body().isEmpty() && type.startsWith("application/json")) {
            try {
                json = JSON.readTree(response.body());
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + response.body(), e);
            }
        }
        return new Answer(response.statusCode(), response.body(), json,
                response.headers().firstValue(UsersApi.REQUEST_ID_HEADER).orElse(null), response);
    }

    // ---------------------------------------------------------------------------------------------
    // Request bodies

    public static String createBody(String name, boolean readOnly, String password, String confirmation) {
        var user = JSON.createObjectNode();
        user.put("name", name);
        user.put("read_only", readOnly);
        if (password != null) {
            user.put("password", password);
        }
        if (confirmation != null) {
            user.put("password_confirmation", confirmation);
        }
        return wrap(user);
    }

    public static String passwordBody(String password, String confirmation) {
        var user = JSON.createObjectNode();
        user.put("password", password);
        user.put("password_confirmation", confirmation);
        return wrap(user);
    }

    private static String wrap(JsonNode user) {
        var root = JSON.createObjectNode();
        root.set("database_user", user);
        return root.toString();
    }
}
