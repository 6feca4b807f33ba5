package io.pgusers.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** HTTP written by hand on a socket: what no well-behaved client library would send. */
final class RawHttp {
    private RawHttp() {
    }

    /** One response: its status, headers (lower-case names) and body. */
    record Response(int status, Map<String, String> headers, String body) {
        String contentType() {
            return headers.getOrDefault("content-type", "");
        }
    }

    /** Sends {@code request} as it is and reads the one response (or what arrives before the server closes). */
    static Response exchange(int port, String request) throws IOException {
        return exchange(port, request.getBytes(StandardCharsets.ISO_8859_1));
    }

    static Response exchange(int port, byte[] request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            return read(socket.getInputStream());
        }
    }

    static Response read(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int headerEnd = -1;
        int length = -1;
        try {
            int n;
            while ((n = in.read(buffer)) != -1) {
                bytes.write(buffer, 0, n);
                String text = bytes.toString(StandardCharsets.ISO_8859_1);
                if (headerEnd < 0 && (headerEnd = text.indexOf("\r\n\r\n")) >= 0) {
                    length = contentLength(text.substring(0, headerEnd));
                }
                if (headerEnd >= 0 && length >= 0 && bytes.size() >= headerEnd + 4 + length) {
                    break;
                }
            }
        } catch (SocketTimeoutException e) {
            // what arrived is the answer
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        if (text.isEmpty()) {
            throw new IOException("no response: the server closed the connection");
        }
        int end = text.indexOf("\r\n\r\n");
        String head = end < 0 ? text : text.substring(0, end);
        String[] lines = head.split("\r\n");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
            }
        }
        return new Response(Integer.parseInt(lines[0].split(" ")[1]), headers, end < 0 ? "" : text.substring(end + 4));
    }

    private static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return Integer.parseInt(line.substring("content-length:".length()).strip());
            }
        }
        return -1;
    }
}
