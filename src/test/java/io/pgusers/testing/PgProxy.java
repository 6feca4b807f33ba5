package io.pgusers.testing;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A proxy in front of the test PostgreSQL that reads the frontend/backend protocol as it forwards it, so
 * that a test can stop an agent at an exact point: it counts the statements clients send (each simple
 * Query, each extended-protocol Execute), across all their connections, in order; once told
 * {@link #stopBefore(int) stopBefore(n)}, it holds statement n and everything after it (the client waits for
 * an answer that does not come), and tells which backend would have run it. The test then cuts the agent
 * there: kills its process, ends that backend, or drops every connection ({@link #cut()}).
 */
public final class PgProxy implements AutoCloseable {
    private static final int SSL_REQUEST = 80877103;
    private static final int GSS_REQUEST = 80877104;
    private static final int CANCEL_REQUEST = 80877102;

    private final String targetHost;
    private final int targetPort;
    private final ServerSocket server;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final AtomicInteger statements = new AtomicInteger();
    private volatile int stopAt = Integer.MAX_VALUE;
    private volatile CountDownLatch stopped = new CountDownLatch(1);
    private volatile int stoppedBackend;
    private volatile String stopAfterText;
    private volatile int stopAfterThen = 1;

    public PgProxy() throws IOException {
        this(PgServer.shared().host(), PgServer.shared().port());
    }

    public PgProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread acceptor = new Thread(this::accept, "pg-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** How many statements the clients have sent so far (held ones included). */
    public int statements() {
        return statements.get();
    }

    /** From now on, holds the {@code n}th statement counted from now (1 is the next one) and all after it. */
    public synchronized void stopBefore(int n) {
        stopped = new CountDownLatch(1);
        stopAt = statements.get() + n;
    }

    /**
     * Holds the first statement after the one whose SQL holds {@code fragment} (a simple Query's text, or the
     * Parse message before an Execute), and all after it.
     */
    public synchronized void stopAfter(String fragment) {
        stopAfter(fragment, 1);
    }

    /** As {@link #stopAfter(String)}, holding the {@code then}th statement after that one (2: the one after its COMMIT). */
    public synchronized void stopAfter(String fragment, int then) {
        stopped = new CountDownLatch(1);
        stopAfterText = fragment;
        stopAfterThen = then;
        stopAt = Integer.MAX_VALUE;
    }

    /** Waits until a statement is held; returns the pid of the backend it was meant for, or 0 if none came. */
    public int awaitStopped(long timeout, TimeUnit unit) throws InterruptedException {
        return stopped.await(timeout, unit) ? stoppedBackend : 0;
    }

    /** Forwards everything again, from now on (what was held is lost: the connection that held it is cut). */
    public synchronized void forwardAll() {
        stopAt = Integer.MAX_VALUE;
        stopAfterText = null;
    }

    /** Closes every forwarded connection, as a lost network or a restarting server would. */
    public void cut() {
        for (Socket socket : open) {
            close(socket);
        }
        open.clear();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(targetHost, targetPort);
                open.add(client);
                open.add(upstream);
                Connection connection = new Connection(client, upstream);
                start(connection::clientToServer, "pg-proxy-client");
                start(connection::serverToClient, "pg-proxy-server");
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void start(Runnable pump, String name) {
        Thread thread = new Thread(pump, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** One client connection and its upstream, with what the proxy knows of it. */
    private final class Connection {
        private final Socket client;
        private final Socket upstream;
        private volatile int backendPid;
        private volatile boolean sslPending;

        Connection(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        void clientToServer() {
            try (DataInputStream in = new DataInputStream(client.getInputStream());
                 OutputStream out = upstream.getOutputStream()) {
                // untyped messages until the startup message: SSLRequest, GSSENCRequest, CancelRequest, StartupMessage
                while (true) {
                    int length = in.readInt();
                    byte[] body = new byte[length - 4];
                    in.readFully(body);
                    int code = body.length >= 4 ? ByteBuffer.wrap(body).getInt() : 0;
                    if (code == SSL_REQUEST || code == GSS_REQUEST) {
                        sslPending = true; // before it is sent: the server answers it with one untyped byte
                    }
                    out.write(ByteBuffer.allocate(4).putInt(length).array());
                    out.write(body);
                    out.flush();
                    if (code != SSL_REQUEST && code != GSS_REQUEST) {
                        if (code == CANCEL_REQUEST) {
                            return;
                        }
                        break;
                    }
                }
                String sql = null;
                while (true) {
                    int type = in.read();
                    if (type < 0) {
                        return;
                    }
                    int length = in.readInt();
                    byte[] body = new byte[length - 4];
                    in.readFully(body);
                    if (type == 'Q' || type == 'P') {
                        sql = new String(body, java.nio.charset.StandardCharsets.UTF_8);
                    }
                    if (type == 'Q' || type == 'E') {
                        int n = statements.incrementAndGet();
                        String marker = stopAfterText;
                        if (marker != null && sql != null && sql.contains(marker)) {
                            stopAt = n + stopAfterThen;
                            stopAfterText = null;
                        }
                        if (n >= stopAt) {
                            stoppedBackend = backendPid;
                            stopped.countDown();
                            holdUntilClosed(in);
                            return;
                        }
                    }
                    out.write(type);
                    out.write(ByteBuffer.allocate(4).putInt(length).array());
                    out.write(body);
                    if (in.available() == 0) {
                        out.flush();
                    }
                }
            } catch (IOException e) {
                // one side closed: the other follows
            } finally {
                close(client);
                close(upstream);
            }
        }

        /** Reads and drops what the client sends, never forwarding it, until it goes away. */
        private void holdUntilClosed(InputStream in) throws IOException {
            byte[] sink = new byte[8192];
            while (in.read(sink) >= 0) {
                // held
            }
        }

        void serverToClient() {
            try (DataInputStream in = new DataInputStream(upstream.getInputStream());
                 OutputStream out = client.getOutputStream()) {
                while (true) {
                    int type = in.read();
                    if (type < 0) {
                        return;
                    }
                    if (sslPending) {
                        sslPending = false; // 'N': no TLS here (the tests' server has none)
                        out.write(type);
                        out.flush();
                        continue;
                    }
                    int length = in.readInt();
                    byte[] body = new byte[length - 4];
                    in.readFully(body);
                    if (type == 'K' && body.length >= 4) {
                        backendPid = ByteBuffer.wrap(body).getInt();
                    }
                    out.write(type);
                    out.write(ByteBuffer.allocate(4).putInt(length).array());
                    out.write(body);
                    if (in.available() == 0) {
                        out.flush();
                    }
                }
            } catch (EOFException e) {
                // closed
            } catch (IOException e) {
                // one side closed: the other follows
            } finally {
                close(client);
                close(upstream);
            }
        }
    }

    private static void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
        cut();
    }
}
