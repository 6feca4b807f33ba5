package io.pgusers.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The two NOLOGIN group roles of an application database: every read-only user is a member of
 * {@code readers}, every read-write user and the protected user of {@code writers}. Privileges granted
 * to a group reach its present and future members.
 *
 * <p>The names are the database's name followed by {@code -readers} and {@code -writers}. A user name
 * cannot hold a {@code -}, so a group never clashes with a user. PostgreSQL silently truncates names
 * longer than 63 bytes, so a long database name is cut and followed by 8 hexadecimal digits of its
 * SHA-256: two long names that share their first 46 bytes still get two pairs of groups.
 */
public record GroupRoles(String readers, String writers) {
    /** NAMEDATALEN - 1: the longest role name PostgreSQL keeps, in bytes. */
    static final int MAX_NAME_BYTES = 63;

    public static GroupRoles of(String database) {
        return new GroupRoles(name(database, "-readers"), name(database, "-writers"));
    }

    /** Whether {@code role} is one of the two. */
    public boolean contains(String role) {
        return readers.equals(role) || writers.equals(role);
    }

    /** The group of an access level. */
    public String of(Access access) {
        return access == Access.READ_ONLY ? readers : writers;
    }

    private static String name(String database, String suffix) {
        String plain = database + suffix;
        if (plain.getBytes(StandardCharsets.UTF_8).length <= MAX_NAME_BYTES) {
            return plain;
        }
        String tail = "-" + hash8(database) + suffix;
        int room = MAX_NAME_BYTES - tail.length();
        StringBuilder head = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < database.length(); ) {
            int codePoint = database.codePointAt(i);
            int size = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + size > room) {
                break;
            }
            head.appendCodePoint(codePoint);
            bytes += size;
            i += Character.charCount(codePoint);
        }
        return head + tail;
    }

    private static String hash8(String database) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(database.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
