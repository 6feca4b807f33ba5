package io.pgusers.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * A TCP forwarder on 127.0.0.1 in front of the test PostgreSQL, which a test can cut (every connection
 * closed, new ones closed as soon as they are made) and restore: the instance becoming unreachable, and back.
 *
 * <p>It keeps its port while it is cut: a port given back to the system could be taken by anything that
 * listens meanwhile, and what the test would then reach is not an unreachable instance.
 */
final class TcpProxy implements AutoCloseable {
    private final String targetHost;
    private final int targetPort;
    private final ServerSocket server;
    /** The forwarded sockets, both sides; guarded by {@code this}, with {@link #cut}. */
    private final List<Socket> open = new ArrayList<>();
    private boolean cut;

    TcpProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread acceptor = new Thread(this::accept, "test-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** Closes every forwarded connection, and from now on every new one as soon as it is made. */
    synchronized void cut() {
        cut = true;
        open.forEach(TcpProxy::close);
        open.clear();
    }

    /** Forwards new connections again. */
    synchronized void restore() {
        cut = false;
    }

    private void accept() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed by close()
            }
            if (!keep(client)) {
                continue;
            }
            try {
                Socket upstream = new Socket(targetHost, targetPort);
                if (keep(upstream)) {
                    pump(client, upstream);
                    pump(upstream, client);
                    continue;
                }
            } catch (IOException e) {
                // the server itself does not answer: neither does the proxy
            }
            close(client);
        }
    }

    /** Adds a forwarded socket to those a cut closes; closes it instead when the proxy is cut already. */
    private synchronized boolean keep(Socket socket) {
        if (cut) {
            close(socket);
            return false;
        }
        open.add(socket);
        return true;
    }

    private synchronized void forget(Socket... sockets) {
        open.removeAll(List.of(sockets));
    }

    private void pump(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // one side closed: the other follows
            } finally {
                close(from);
                close(to);
                forget(from, to);
            }
        }, "test-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private static void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        cut();
        server.close();
    }
}
