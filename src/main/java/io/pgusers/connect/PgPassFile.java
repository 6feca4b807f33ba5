package io.pgusers.connect;

import io.pgusers.core.SecretFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * libpq's password file ({@code PGPASSFILE}, else {@code ~/.pgpass}): the one place pgusers reads it.
 *
 * <p>Lines are {@code host:port:database:user:password}; {@code *} matches anything, {@code \} escapes the next
 * character, the first matching line wins, lines starting with {@code #} are comments. As in libpq's
 * passwordFromFile(), a file that the group or others may access is ignored with a warning; pgjdbc's own reader does
 * not check, and matches every socket as {@code localhost}, so it is kept out (see {@link ConnectionSettings#open()}).
 */
final class PgPassFile {

    private PgPassFile() {}

    /** The password of the first line matching the four values, or null (also for an empty password). */
    static String find(Path file, String host, int port, String database, String user) {
        List<String> lines;
        try {
            if (!Files.exists(file)) {
                return null;
            }
            if (!Files.isRegularFile(file)) {
                warn("WARNING: password file \"" + file + "\" is not a plain file");
                return null;
            }
            if (SecretFile.othersMayReach(file)) {
                warn("WARNING: password file \"" + file
                        + "\" has group or world access; permissions should be u=rw (0600) or less");
                return null;
            }
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null; // libpq, too, ignores a password file it cannot open
        }
        String[] wanted = {host, String.valueOf(port), database, user};
        for (String line : lines) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int at = 0;
            for (String value : wanted) {
                at = at < 0 ? at : field(line, at, value);
            }
            if (at >= 0) {
                String password = password(line, at);
                return password.isEmpty() ? null : password;
            }
        }
        return null;
    }

    /** Where the next field starts when the field at {@code at} matches {@code value}, else -1. */
    private static int field(String line, int at, String value) {
        if (line.startsWith("*:", at)) {
            return at + 2;
        }
        int matched = 0;
        for (int i = at; i < line.length(); i++) {
            char c = line.charAt(i);
            boolean escaped = c == '\\' && i + 1 < line.length();
            if (escaped) {
                c = line.charAt(++i);
            }
            if (c == ':' && !escaped && matched == value.length()) {
                return i + 1;
            }
            if (matched == value.length() || c != value.charAt(matched)) {
                return -1;
            }
            matched++;
        }
        return -1;
    }

    /** The last field, unescaped, up to an unescaped colon. */
    private static String password(String line, int at) {
        StringBuilder password = new StringBuilder();
        for (int i = at; i < line.length() && line.charAt(i) != ':'; i++) {
            if (line.charAt(i) == '\\' && i + 1 < line.length()) {
                i++;
            }
            password.append(line.charAt(i));
        }
        return password.toString();
    }

    private static void warn(String message) {
        System.err.println(message);
    }
}
