package io.pgusers.http;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.io.QuietException;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every request passes before the API sees it, in front of Javalin:
 * <ul>
 *   <li>a request that asks for another method than its own ({@code X-HTTP-Method-Override} and its
 *       cousins, which Javalin would honour) is refused with 400: a GET or a HEAD never changes anything;</li>
 *   <li>the whole body is read before a thread of the API is given to the request, without holding a
 *       thread meanwhile: a client that sends it slowly holds a connection, not a thread, and {@code /health}
 *       keeps answering. A client that goes away mid-body is simply forgotten. A body over the limit is refused
 *       (413) and the connection closed, but only once the body has arrived (and been thrown away), up to
 *       {@link #DRAIN_BYTES}: a client that is still sending when the server closes gets a reset instead of the
 *       answer, the way RFC 9112 section 9.6 describes. A client that announced with {@code Expect: 100-continue}
 *       a body over the limit, or one too large to drain, is refused at once, before it sends any;</li>
 *   <li>a connection whose request has not arrived whole within {@code deadline}, from when the connection
 *       opened or its previous response was sent, is closed.</li>
 * </ul>
 */
final class RequestGuard extends Handler.Wrapper {
    /** Headers by which clients ask a server to take a request for another method. */
    static final List<String> METHOD_OVERRIDES = List.of("X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override");
    /** How much of a body over the limit is read and thrown away so that its client hears the 413. */
    static final int DRAIN_BYTES = 1024 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(RequestGuard.class);

    private final Duration deadline;
    private final int maxBodyBytes;
    private final Map<Connection, Scheduler.Task> waiting = new ConcurrentHashMap<>();
    private volatile Scheduler scheduler;

    RequestGuard(Duration deadline, int maxBodyBytes) {
        this.deadline = deadline;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** Arms the deadline of every connection as it opens (for TLS, the HTTP connection inside). */
    Connection.Listener connectionListener() {
        return new Connection.Listener() {
            @Override
            public void onOpened(Connection connection) {
                if (!(connection instanceof SslConnection)) {
                    arm(connection);
                }
            }

            @Override
            public void onClosed(Connection connection) {
                disarm(connection);
            }
        };
    }

    @Override
    protected void doStart() throws Exception {
        scheduler = getServer().getScheduler();
        super.doStart();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Connection connection = request.getConnectionMetaData().getConnection();
        for (String header : METHOD_OVERRIDES) {
            if (request.getHeaders().get(header) != null) {
                disarm(connection);
                JsonErrorHandler.write(response, 400, header + " is not accepted: send the request with its own method",
                        rearming(callback, connection));
                return true;
            }
        }
        long declared = request.getLength();
        if (declared > maxBodyBytes && (declared > maxBodyBytes + DRAIN_BYTES
                || request.getHeaders().contains(HttpHeader.EXPECT, HttpHeaderValue.CONTINUE.asString()))) {
            disarm(connection);
            tooLarge(response, callback);
            return true;
        }
        new Body(request, response, rearming(callback, connection), connection).run();
        return true;
    }

    /** 413, and the connection is closed after it: what is left of the body is not read. */
    private static void tooLarge(Response response, Callback callback) {
        response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
        JsonErrorHandler.write(response, 413, "Payload Too Large", callback);
    }

    /** Once the response is sent, the next request of the connection has {@code deadline} to arrive. */
    private Callback rearming(Callback callback, Connection connection) {
        return new Callback.Nested(callback) {
            @Override
            public void succeeded() {
                arm(connection);
                super.succeeded();
            }

            @Override
            public void failed(Throwable failure) {
                disarm(connection);
                super.failed(failure);
            }
        };
    }

    private void arm(Connection connection) {
        Scheduler timer = scheduler;
        if (timer == null || !connection.getEndPoint().isOpen()) {
            return;
        }
        Scheduler.Task task = timer.schedule(() -> {
            waiting.remove(connection);
            LOG.debug("closing a connection whose request did not arrive within {}", deadline);
            connection.getEndPoint().close();
        }, deadline);
        Scheduler.Task previous = waiting.put(connection, task);
        if (previous != null) {
            previous.cancel();
        }
    }

    private void disarm(Connection connection) {
        Scheduler.Task task = waiting.remove(connection);
        if (task != null) {
            task.cancel();
        }
    }

    /** Reads a request's body as it comes, without a thread waiting for it, then hands the request on. */
    private final class Body implements Invocable.Task {
        private final Request request;
        private final Response response;
        private final Callback callback;
        private final Connection connection;
        private byte[] bytes = new byte[0];
        private int length;
        /** Bytes thrown away since the body went over the limit, or -1 while it is within it. */
        private long drained = -1;

        Body(Request request, Response response, Callback callback, Connection connection) {
            this.request = request;
            this.response = response;
            this.callback = callback;
            this.connection = connection;
        }

        @Override
        public InvocationType getInvocationType() {
            return InvocationType.NON_BLOCKING;
        }

        @Override
        public void run() {
            while (true) {
                Content.Chunk chunk = request.read();
                if (chunk == null) {
                    request.demand(this);
                    return;
                }
                if (Content.Chunk.isFailure(chunk)) {
                    // the client went away, or its request was cut: nobody to answer
                    Throwable failure = chunk.getFailure();
                    LOG.debug("request body not received: {}", failure.toString());
                    wipe();
                    // quiet: Jetty logs other failures as warnings, and a client's leaving is none
                    callback.failed(failure instanceof QuietException ? failure : new EofException(failure));
                    return;
                }
                boolean last = chunk.isLast();
                int size = chunk.remaining();
                if (drained < 0 && length + size > maxBodyBytes) {
                    wipe();
                    drained = 0;
                }
                if (drained >= 0) {
                    chunk.release();
                    drained += size;
                    if (last || drained > DRAIN_BYTES) {
                        disarm(connection);
                        tooLarge(response, callback);
                        return;
                    }
                    continue;
                }
                if (size > 0) {
                    if (length + size > bytes.length) {
                        byte[] grown = Arrays.copyOf(bytes, Math.max(length + size, bytes.length * 2));
                        wipe();
                        bytes = grown;
                    }
                    chunk.get(bytes, length, size);
                    length += size;
                }
                chunk.release();
                if (last) {
                    disarm(connection);
                    request.getContext().execute(this::dispatch);
                    return;
                }
            }
        }

        /** On a thread that may block: the API is blocking code. */
        private void dispatch() {
            Callback wiping = new Callback.Nested(callback) {
                @Override
                public void succeeded() {
                    wipe();
                    super.succeeded();
                }

                @Override
                public void failed(Throwable failure) {
                    wipe();
                    super.failed(failure);
                }
            };
            try {
                if (!getHandler().handle(new Buffered(request, ByteBuffer.wrap(bytes, 0, length)), response, wiping)) {
                    JsonErrorHandler.write(response, 404, "Not Found", wiping);
                }
            } catch (Throwable failure) {
                wiping.failed(failure);
            }
        }

        private void wipe() {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** The request with its whole body already read: one last chunk, then the end. */
    private static final class Buffered extends Request.Wrapper {
        private ByteBuffer body;

        Buffered(Request request, ByteBuffer body) {
            super(request);
            this.body = body;
        }

        @Override
        public long getLength() {
            return body == null ? 0 : super.getLength();
        }

        @Override
        public Content.Chunk read() {
            ByteBuffer content = body;
            body = null;
            return content == null ? Content.Chunk.EOF : Content.Chunk.from(content, true);
        }

        @Override
        public void demand(Runnable demandCallback) {
            demandCallback.run();
        }
    }
}
