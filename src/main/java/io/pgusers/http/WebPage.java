package io.pgusers.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The Database Users page: three files from the jar ({@code /web}), read once. Its content security
 * policy lets it load nothing but those files and call nothing but this server, so it works on a host
 * without internet and no injected script could send a password elsewhere. The files hold no secret:
 * the page asks for the API token itself.
 */
final class WebPage {
    private static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "connect-src 'self'; img-src 'self' data:; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

    private final byte[] html = resource("index.html");
    private final byte[] css = resource("app.css");
    private final byte[] js = resource("app.js");
    private final byte[] icon = resource("favicon.ico");

    void register(RoutesConfig routes) {
        routes.get("/", ctx -> serve(ctx, html, "text/html; charset=utf-8"));
        routes.get("/app.css", ctx -> serve(ctx, css, "text/css; charset=utf-8"));
        routes.get("/app.js", ctx -> serve(ctx, js, "text/javascript; charset=utf-8"));
        routes.get("/favicon.ico", ctx -> serve(ctx, icon, "image/x-icon"));
    }

    private static void serve(Context ctx, byte[] body, String type) {
        ctx.header("Content-Security-Policy", POLICY);
        ctx.header("X-Frame-Options", "DENY");
        ctx.contentType(type).result(body);
    }

    private static byte[] resource(String name) {
        try (InputStream in = WebPage.class.getResourceAsStream("/web/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource /web/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
