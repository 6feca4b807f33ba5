package io.pgusers.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/**
 * The rule for files that hold a secret (a password file, the API token, a TLS private key), as libpq has it
 * for ~/.pgpass: only their owner may reach them, mode 0600 or less.
 */
public final class SecretFile {
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private SecretFile() {
    }

    /** Whether the group or others have any access to {@code file} (on a file system without modes: no). */
    public static boolean othersMayReach(Path file) throws IOException {
        try {
            return Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS).stream()
                    .anyMatch(GROUP_OR_OTHERS::contains);
        } catch (UnsupportedOperationException e) {
            return false;
        }
    }

    /** Refuses (exit 2) {@code file}, which holds {@code what}, when others may reach it, saying how to fix it. */
    public static void requireOwnerOnly(Path file, String what) {
        boolean exposed;
        try {
            exposed = othersMayReach(file);
        } catch (IOException e) {
            throw PgUsersException.invalid("could not read " + what + " from " + file + ": " + e.getMessage());
        }
        if (exposed) {
            throw PgUsersException.invalid(what + " in " + file + " can be read by other users of this host: "
                    + "make it yours alone (chmod 600 " + file + ") and start again");
        }
    }
}
