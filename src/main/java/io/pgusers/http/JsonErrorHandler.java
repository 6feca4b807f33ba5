package io.pgusers.http;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own errors (a request line or headers it cannot parse, a URI or headers too long, a body too
 * large, a request that timed out) in the API's shape, {@code {"error": "Bad Request"}}, instead of its HTML
 * pages. The message is the status's standard reason: nothing of the request is echoed.
 */
final class JsonErrorHandler extends ErrorHandler {

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        write(response, code, reason(code), callback);
    }

    /** Errors found while parsing, before any handler: the body comes back as bytes, the headers in place. */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        fields.put(HttpHeader.CACHE_CONTROL, "no-store");
        return ByteBuffer.wrap(Json.error(reason(status)));
    }

    /** {@code {"error": message}} with {@code status}, from any handler in front of Javalin. */
    static void write(Response response, int status, String message, Callback callback) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(Json.error(message)), callback);
    }

    private static String reason(int status) {
        String reason = HttpStatus.getMessage(status);
        return reason == null ? "HTTP " + status : reason;
    }
}
