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
}
