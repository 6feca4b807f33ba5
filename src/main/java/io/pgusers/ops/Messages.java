package io.pgusers.ops;

import java.sql.SQLException;

/** One line out of a driver or server error, for a message a user reads. */
final class Messages {
    private Messages() {
    }

    static String of(SQLException e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            message = e.getClass().getSimpleName() + (e.getSQLState() == null ? "" : " (SQLSTATE " + e.getSQLState() + ")");
        }
        int newline = message.indexOf('\n');
        message = newline >= 0 ? message.substring(0, newline) : message;
        return message.startsWith("ERROR: ") ? message.substring("ERROR: ".length()) : message;
    }

    /**
     * Why a connection could not be opened, in libpq's words where pgjdbc has only "The connection attempt
     * failed": an unknown host, a missing socket, a refused one.
     */
    static String ofConnection(SQLException e) {
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof java.net.UnknownHostException unknown) {
                return "could not translate host name \"" + unknown.getMessage() + "\" to address: Name or service not known";
            }
            if (cause instanceof java.net.SocketException socket && socket.getMessage() != null
                    && (socket.getMessage().contains("No such file or directory")
                    || socket.getMessage().contains("Connection refused"))
                    && !(cause instanceof java.net.ConnectException)) {
                return socket.getMessage() + ". Is the server running locally and accepting connections on that socket?";
            }
        }
        return of(e);
    }
}
