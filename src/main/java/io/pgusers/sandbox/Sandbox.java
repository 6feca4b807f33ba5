package io.pgusers.sandbox;

import io.pgusers.connect.ConnectionRequest;
import io.pgusers.connect.ConnectionSettings;
import io.pgusers.core.Failure;
import io.pgusers.core.Password;
import io.pgusers.core.PgUsersException;
import io.pgusers.ops.Actor;
import io.pgusers.ops.ConnectionSource;
import io.pgusers.ops.DatabaseUsers;
import io.pgusers.ops.Instance;
import io.pgusers.ops.ProvisionResult;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The embedded default: a real PostgreSQL (zonky's binaries, from Maven Central) whose data stays in a
 * directory between runs, so that what one command does, the next one sees. On its first start it
 * provisions an application database, {@value #DATABASE}. It stops when closed.
 *
 * <p>It lets in nobody but the OS user who owns its directory:
 * <ul>
 *   <li>the directory is mode 0700, its {@code data} (PGDATA) too, as PostgreSQL wants;</li>
 *   <li>its superuser {@code postgres} has a random password, made at the first start (initdb
 *       {@code --pwfile}, so that the server never runs without one) and kept in {@code superuser.password},
 *       mode 0600; {@code pgpass} (0600) holds it in libpq's format for psql;</li>
 *   <li>{@code pg_hba.conf}, written again at every start, asks every connection for that password
 *       (scram-sha-256), over TCP on the loopback only and on the Unix socket in {@code socket} (mode 0700,
 *       when the path is short enough for a socket).</li>
 * </ul>
 */
public final class Sandbox implements AutoCloseable {
    /** The application database the sandbox provisions. */
    public static final String DATABASE = "app";
    static final String SUPERUSER = "postgres";
    /** Unix socket paths hold at most 107 bytes; the socket's name takes up to 17 of them. */
    private static final int MAX_SOCKET_DIRECTORY_BYTES = 107 - ".s.PGSQL.65535".length() - 1;
    private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");

    private final EmbeddedPostgres postgres;
    private final ConnectionSettings settings;

    private Sandbox(EmbeddedPostgres postgres, ConnectionSettings settings) {
        this.postgres = postgres;
        this.settings = settings;
    }

    /**
     * Starts the server on the data in {@code directory} (initialising it the first time).
     *
     * @param database the application database to use; null for {@value #DATABASE}
     * @param notes    where to tell the person what happened (standard error)
     */
    public static Sandbox start(Path directory, String database, Consumer<String> notes) {
        Layout layout = new Layout(directory.toAbsolutePath());
        if (Files.exists(layout.root().resolve("PG_VERSION"))) {
            throw new PgUsersException(Failure.DATABASE, "the sandbox in " + directory + " was made by an older pgusers"
                    + ", which let every local connection in without a password: remove it (rm -r " + directory
                    + ") and run again, and a new one will be made");
        }
        boolean fresh = !Files.exists(layout.data().resolve("PG_VERSION"));
        EmbeddedPostgres postgres;
        try {
            String password = layout.prepare(fresh);
            boolean socket = layout.socket().toString().getBytes(StandardCharsets.UTF_8).length <= MAX_SOCKET_DIRECTORY_BYTES;
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(layout.data())
                    .setCleanDataDirectory(false)
                    // initdb --pwfile (zonky passes its "locale" settings to initdb as --name value): the
                    // superuser has its password from the start
                    .setLocaleConfig("pwfile", layout.password().toString())
                    .setConnectConfig("password", password)
                    .setServerConfig("listen_addresses", "localhost")
                    .setServerConfig("unix_socket_directories", socket ? layout.socket().toString() : "")
                    .setServerConfig("unix_socket_permissions", "0700")
                    .setServerConfig("password_encryption", "scram-sha-256")
                    .setDataDirectoryCustomizer(data -> writeHba(data.toPath()));
            postgres = builder.start();
            layout.writePgpass(postgres.getPort(), socket, password);
            ConnectionSettings settings = ConnectionSettings.resolve(
                    new ConnectionRequest("127.0.0.1", postgres.getPort(), SUPERUSER,
                            database == null ? DATABASE : database, null),
                    Map.of("PGPASSFILE", layout.pgpass().toString()));
            Sandbox sandbox = new Sandbox(postgres, settings);
            if (fresh) {
                sandbox.provision(notes, directory);
            }
            return sandbox;
        } catch (IOException | RuntimeException e) {
            if (e instanceof PgUsersException p) {
                throw p;
            }
            throw new PgUsersException(Failure.DATABASE, "could not start the sandbox PostgreSQL in " + directory
                    + ": " + e.getMessage(), e);
        }
    }

    /** Every connection, from anywhere it may come, needs the password. */
    private static void writeHba(Path data) {
        try {
            Files.write(data.resolve("pg_hba.conf"), List.of(
                    "# Written by pgusers at every start of its sandbox: the superuser's password, always.",
                    "local all all scram-sha-256",
                    "host  all all 127.0.0.1/32 scram-sha-256",
                    "host  all all ::1/128 scram-sha-256"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void provision(Consumer<String> notes, Path directory) {
        try (Instance instance = Instance.connect(ConnectionSource.of(settings));
             DatabaseUsers users = instance.database(settings.database(), Actor.osUser())) {
            ProvisionResult result = users.provision(Optional.empty(), shown -> notes.accept("Sandbox: a new PostgreSQL in "
                    + directory + "; database \"" + shown.database() + "\" provisioned with protected user \""
                    + shown.owner() + "\" and password \"" + new String(shown.password().chars()) + "\"."));
            if (result.password() != null) {
                result.password().close();
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    public ConnectionSettings settings() {
        return settings;
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new PgUsersException(Failure.DATABASE, "could not stop the sandbox PostgreSQL: " + e.getMessage(), e);
        }
    }

    /** Where the sandbox keeps what: its directory, PGDATA, the socket, the superuser's password. */
    private record Layout(Path root) {
        Path data() {
            return root.resolve("data");
        }

        Path socket() {
            return root.resolve("socket");
        }

        Path password() {
            return root.resolve("superuser.password");
        }

        Path pgpass() {
            return root.resolve("pgpass");
        }

        /**
         * Makes the directories owner-only and, the first time, the superuser's password; returns it. A file
         * or directory that others may reach is made owner-only again (it could be from an older version).
         */
        String prepare(boolean fresh) throws IOException {
            for (Path dir : List.of(root, socket())) {
                Files.createDirectories(dir);
                Files.setPosixFilePermissions(dir, OWNER_ONLY_DIRECTORY);
            }
            if (fresh || !Files.exists(password())) {
                if (!fresh) {
                    throw new IOException("its superuser's password file " + password() + " is gone");
                }
                try (Password generated = Password.generate()) {
                    writeOwnerOnly(password(), new String(generated.chars()) + "\n");
                }
            }
            Files.setPosixFilePermissions(password(), OWNER_ONLY_FILE);
            return Files.readString(password(), StandardCharsets.UTF_8).strip();
        }

        /** {@code pgpass}, for psql and libpq tools: this sandbox's addresses only. */
        void writePgpass(int port, boolean socket, String password) throws IOException {
            StringBuilder lines = new StringBuilder();
            lines.append("127.0.0.1:").append(port).append(":*:").append(SUPERUSER).append(':').append(password).append('\n');
            lines.append("localhost:").append(port).append(":*:").append(SUPERUSER).append(':').append(password).append('\n');
            if (socket) {
                lines.append(socket().toString().replace("\\", "\\\\").replace(":", "\\:")).append(':').append(port)
                        .append(":*:").append(SUPERUSER).append(':').append(password).append('\n');
            }
            writeOwnerOnly(pgpass(), lines.toString());
        }

        private static void writeOwnerOnly(Path file, String text) throws IOException {
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE));
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
        }
    }
}
