package io.pgusers.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Issue 7: while the sandbox runs, nobody but the OS user who owns its directory gets in: no trust, a
 * random superuser password that only the owner can read, owner-only directories.
 */
class SandboxSecurityTest {

    @Test
    void onlyWhoeverCanReadItsPasswordFileGetsIn() throws IOException, SQLException {
        Path dir = Files.createTempDirectory("pgusers-sandbox-sec");
        try (Sandbox sandbox = Sandbox.start(dir.resolve("sandbox"), null, note -> { })) {
            Path root = dir.resolve("sandbox");
            assertEquals("rwx------", mode(root));
            assertEquals("rwx------", mode(root.resolve("data")));
            assertEquals("rwx------", mode(root.resolve("socket")));
            assertEquals("rw-------", mode(root.resolve("superuser.password")));
            assertEquals("rw-------", mode(root.resolve("pgpass")));
            String hba = Files.readString(root.resolve("data").resolve("pg_hba.conf"), StandardCharsets.UTF_8);
            assertFalse(hba.lines().anyMatch(line -> !line.startsWith("#") && line.contains("trust")), hba);

            int port = portOf(sandbox);
            String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
            SQLException none = assertThrows(SQLException.class, () -> login(url, null));
            assertTrue(none.getMessage().contains("password"), none.getMessage());
            SQLException wrong = assertThrows(SQLException.class, () -> login(url, "not-the-password"));
            assertEquals("28P01", wrong.getSQLState(), wrong.getMessage());
            String password = Files.readString(root.resolve("superuser.password"), StandardCharsets.UTF_8).strip();
            try (Connection c = login(url, password)) {
                assertTrue(c.isValid(2), "the owner, who can read the file, gets in");
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private static int portOf(Sandbox sandbox) {
        String where = sandbox.settings().describe(); // database "app" on 127.0.0.1:PORT as "postgres"
        return Integer.parseInt(where.replaceAll(".* on [^:]+:(\\d+) as .*", "$1"));
    }

    private static Connection login(String url, String password) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", "postgres");
        if (password != null) {
            props.setProperty("password", password);
        }
        return DriverManager.getConnection(url, props);
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
