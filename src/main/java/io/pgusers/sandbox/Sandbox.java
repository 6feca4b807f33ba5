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
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static java.nio.file.LinkOption.NOFOLLOW_LINKS;

/**
 * The embedded default: a real PostgreSQL (zonky's binaries, from Maven Central) whose data stays in a
 * directory between runs, so that what one command does, the next one sees. On its first start it
 * provisions an application database, {@value #DATABASE}.
 *
 * <p>Commands share it: the first that needs it starts the server, others that come while it runs use the
 * same server, and the last one to leave stops it, unless {@code pgusers sandbox start} started it, which
 * leaves it running until {@code pgusers sandbox stop}. Each user holds a shared lock on {@code users.lock}
 * while it works; starting, and stopping when nobody holds one, happen under {@code start.lock}. The server
 * outlives the process that started it (no shutdown hook; its log goes to {@code postgres.log}).
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

    /** Per directory, the uses of this JVM: one shared file lock for them all (a JVM may hold only one). */
    private static final Map<Path, Use> USES = new HashMap<>();
    /** Servers this JVM started, by directory: zonky holds a lock on the data while its object lives. */
    private static final Map<Path, EmbeddedPostgres> STARTED_HERE = new HashMap<>();

    private final Layout layout;
    private final ConnectionSettings settings;
    private boolean closed;

    private Sandbox(Layout layout, ConnectionSettings settings) {
        this.layout = layout;
        this.settings = settings;
    }

    /**
     * Uses the server on the data in {@code directory}: the one that runs, else one it starts (initialising
     * the data the first time, and provisioning {@value #DATABASE}).
     *
     * @param database the application database to use; null for {@value #DATABASE}
     * @param notes    where to tell the person what happened (standard error)
     */
    @SuppressWarnings("try") // the lock is held for the block, not used in it
    public static Sandbox start(Path directory, String database, Consumer<String> notes) {
        Layout layout = new Layout(directory.toAbsolutePath());
        if (Files.exists(layout.root().resolve("PG_VERSION"))) {
            throw new PgUsersException(Failure.DATABASE, "the sandbox in " + directory + " was made by an older pgusers"
                    + ", which let every local connection in without a password: remove it (rm -r " + directory
                    + ") and run again, and a new one will be made");
        }
        synchronized (Sandbox.class) {
            try {
                layout.prepareDirectories();
                try (FileChannel channel = FileChannel.open(layout.startLock(), CREATE, WRITE, NOFOLLOW_LINKS);
                     FileLock starting = channel.lock()) {
                    use(layout);
                    boolean fresh = !Files.exists(layout.data().resolve("PG_VERSION"));
                    Sandbox sandbox;
                    try {
                        Optional<Integer> running = fresh ? Optional.empty() : layout.runningPort();
                        int port = running.isPresent() ? running.get() : startServer(layout, fresh);
                        ConnectionSettings settings = ConnectionSettings.resolve(
                                new ConnectionRequest("127.0.0.1", port, SUPERUSER, database == null ? DATABASE : database,
                                        null), Map.of("PGPASSFILE", layout.pgpass().toString()));
                        sandbox = new Sandbox(layout, settings);
                    } catch (IOException | RuntimeException e) {
                        leave(layout);
                        throw e;
                    }
                    if (fresh) {
                        try {
                            sandbox.provision(notes, directory);
                        } catch (RuntimeException e) {
                            sandbox.release();
                            throw e;
                        }
                    }
                    return sandbox;
                }
            } catch (IOException | RuntimeException e) {
                if (e instanceof PgUsersException p) {
                    throw p;
                }
                throw new PgUsersException(Failure.DATABASE, "could not start the sandbox PostgreSQL in " + directory
                        + ": " + e.getMessage(), e);
            }
        }
    }

    /** Starts the server, detached from this process; returns its port. */
    private static int startServer(Layout layout, boolean fresh) throws IOException {
        EmbeddedPostgres stale = STARTED_HERE.remove(layout.root());
        if (stale != null) {
            closeQuietly(stale); // stopped by another process: release zonky's lock on the data
        }
        String password = layout.preparePassword(fresh);
        boolean socket = layout.socket().toString().getBytes(StandardCharsets.UTF_8).length <= MAX_SOCKET_DIRECTORY_BYTES;
        ProcessBuilder.Redirect log = ProcessBuilder.Redirect.appendTo(layout.log().toFile());
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                // the PostgreSQL binaries unpacked in the sandbox (0700), not in zonky's /tmp/embedded-pg, which
                // is world-writable: another user could put an initdb of theirs there
                .setOverrideWorkingDirectory(layout.binaries().toFile())
                .setDataDirectory(layout.data())
                .setCleanDataDirectory(false)
                .setRegisterShutdownHook(false)
                .setOutputRedirector(log)
                .setErrorRedirector(log)
                // initdb --pwfile (zonky passes its "locale" settings to initdb as --name value): the
                // superuser has its password from the start
                .setLocaleConfig("pwfile", layout.password().toString())
                .setConnectConfig("password", password)
                .setServerConfig("listen_addresses", "localhost")
                .setServerConfig("unix_socket_directories", socket ? layout.socket().toString() : "")
                .setServerConfig("unix_socket_permissions", "0700")
                .setServerConfig("password_encryption", "scram-sha-256")
                .setDataDirectoryCustomizer(data -> writeHba(data.toPath()))
                .start();
        STARTED_HERE.put(layout.root(), postgres);
        layout.writePgpass(postgres.getPort(), socket, password);
        return postgres.getPort();
    }

    /** Where the sandbox of {@code directory} runs, if it does: for {@code pgusers sandbox status} and {@code env}. */
    public static Optional<Running> running(Path directory) {
        Layout layout = new Layout(directory.toAbsolutePath());
        if (!Files.exists(layout.root(), NOFOLLOW_LINKS) && !Files.isSymbolicLink(layout.root())) {
            return Optional.empty();
        }
        try {
            layout.checkOwned();
        } catch (IOException e) {
            return Optional.empty();
        }
        return layout.runningPort().map(port -> new Running(layout.root(), port,
                Files.isDirectory(layout.socket()) && hasSocket(layout, port) ? layout.socket() : null, layout.pgpass(),
                Files.exists(layout.keptRunning())));
    }

    private static boolean hasSocket(Layout layout, int port) {
        return Files.exists(layout.socket().resolve(".s.PGSQL." + port));
    }

    /** The running server of a sandbox, as its postmaster.pid names it. */
    private record Postmaster(ProcessHandle process, int port) {
    }

    /** A running sandbox: where to reach it, and whether {@code sandbox start} keeps it running. */
    public record Running(Path directory, int port, Path socket, Path pgpass, boolean keptRunning) {
    }

    /** From now on the sandbox stays running when its last user leaves, until {@link #stop}. */
    public void keepRunning() {
        try {
            Files.writeString(layout.keptRunning(), "pgusers sandbox start: running until pgusers sandbox stop\n");
        } catch (IOException e) {
            throw new PgUsersException(Failure.DATABASE, "could not mark the sandbox as kept running: " + e.getMessage(), e);
        }
    }

    /**
     * {@code pgusers sandbox stop}: the server stops now when no command uses it, else when the last one
     * leaves. Returns what happened, for the person.
     */
    @SuppressWarnings("try") // the lock is held for the block, not used in it
    public static String stop(Path directory) {
        Layout layout = new Layout(directory.toAbsolutePath());
        synchronized (Sandbox.class) {
            try {
                if (running(directory).isEmpty()) {
                    Files.deleteIfExists(layout.keptRunning());
                    return "The sandbox in " + directory + " is not running.";
                }
                layout.prepareDirectories();
                Files.deleteIfExists(layout.keptRunning());
                try (FileChannel channel = FileChannel.open(layout.startLock(), CREATE, WRITE, NOFOLLOW_LINKS);
                     FileLock starting = channel.lock()) {
                    if (!stopIfUnused(layout)) {
                        return "The sandbox in " + directory + " is in use by another pgusers command: it stops when"
                                + " that command ends.";
                    }
                }
                return "The sandbox in " + directory + " is stopped.";
            } catch (IOException e) {
                throw new PgUsersException(Failure.DATABASE, "could not stop the sandbox in " + directory + ": "
                        + e.getMessage(), e);
            }
        }
    }

    /** Stops the server when no process holds a use; the caller holds {@code start.lock}. */
    private static boolean stopIfUnused(Layout layout) throws IOException {
        if (USES.containsKey(layout.root())) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(layout.usersLock(), CREATE, WRITE, NOFOLLOW_LINKS);
             FileLock nobody = channel.tryLock()) {
            if (nobody == null) {
                return false;
            }
            stopServer(layout);
            return true;
        }
    }

    private static void stopServer(Layout layout) throws IOException {
        EmbeddedPostgres mine = STARTED_HERE.remove(layout.root());
        if (mine != null) {
            mine.close();
            return;
        }
        Optional<ProcessHandle> postmaster = layout.postmaster().map(Postmaster::process);
        if (postmaster.isEmpty()) {
            return;
        }
        postmaster.get().destroy(); // SIGTERM: a smart shutdown, and nobody is connected
        try {
            postmaster.get().onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IOException("the server (pid " + postmaster.get().pid() + ") did not stop within 30 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the server stops");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException(e.getCause());
        }
    }

    /** One more use by this JVM: the shared lock on {@code users.lock}, taken by the first. */
    private static void use(Layout layout) throws IOException {
        Use use = USES.get(layout.root());
        if (use == null) {
            FileChannel channel = FileChannel.open(layout.usersLock(), CREATE, WRITE, READ, NOFOLLOW_LINKS);
            use = new Use(channel, channel.lock(0, Long.MAX_VALUE, true));
            USES.put(layout.root(), use);
        }
        use.count++;
    }

    /** One use fewer; the last use of this JVM gives the shared lock back. */
    private static void leave(Layout layout) throws IOException {
        Use use = USES.get(layout.root());
        if (use != null && --use.count == 0) {
            USES.remove(layout.root());
            use.lock.release();
            use.channel.close();
        }
    }

    private static final class Use {
        final FileChannel channel;
        final FileLock lock;
        int count;

        Use(FileChannel channel, FileLock lock) {
            this.channel = channel;
            this.lock = lock;
        }
    }

    private static void closeQuietly(EmbeddedPostgres postgres) {
        try {
            postgres.close();
        } catch (IOException | RuntimeException e) {
            // it was stopped already
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
        }
    }

    public ConnectionSettings settings() {
        return settings;
    }

    /** This command is done with the sandbox; the last one to leave stops it, unless it is kept running. */
    @Override
    @SuppressWarnings("try") // the lock is held for the block, not used in it
    public void close() {
        synchronized (Sandbox.class) {
            if (closed) {
                return;
            }
            try (FileChannel channel = FileChannel.open(layout.startLock(), CREATE, WRITE, NOFOLLOW_LINKS);
                 FileLock starting = channel.lock()) {
                release();
            } catch (IOException e) {
                throw new PgUsersException(Failure.DATABASE, "could not stop the sandbox PostgreSQL: " + e.getMessage(), e);
            }
        }
    }

    /** {@link #close()} when the caller holds {@code start.lock} already: leaves the last use (an error on the way is the error of the leaving). */
    private void release() {
        closed = true;
        try {
            leave(layout);
            if (!Files.exists(layout.keptRunning())) {
                stopIfUnused(layout);
            }
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

        Path startLock() {
            return root.resolve("start.lock");
        }

        Path binaries() {
            return root.resolve("bin");
        }

        /**
         * Refuses a sandbox that is not wholly this OS user's: its directory a real directory of theirs, and
         * nothing in it (nor in its data) a symbolic link or another user's file. Another user's planted link
         * would otherwise have this process chmod, create or lock a file of the link's choosing, and a planted
         * postmaster.pid have it signal a process of theirs.
         */
        void checkOwned() throws IOException {
            UserPrincipal me = currentUser();
            owned(root, me, true);
            for (Path child : List.of(data(), socket(), binaries(), password(), pgpass(), startLock(), usersLock(),
                    keptRunning(), log(), data().resolve("postmaster.pid"))) {
                owned(child, me, false);
            }
        }

        /** The OS user this process runs as (the owner of its /proc entry). */
        private static UserPrincipal currentUser() throws IOException {
            return Files.getOwner(Path.of("/proc/self"));
        }

        private void owned(Path path, UserPrincipal me, boolean mustExist) throws IOException {
            PosixFileAttributes attributes;
            try {
                attributes = Files.readAttributes(path, PosixFileAttributes.class, NOFOLLOW_LINKS);
            } catch (java.nio.file.NoSuchFileException e) {
                if (mustExist) {
                    throw e;
                }
                return;
            }
            if (attributes.isSymbolicLink()) {
                throw new PgUsersException(Failure.DATABASE, "the sandbox in " + root + " is not used: " + path
                        + " is a symbolic link (a sandbox is a directory of its own, made by pgusers)");
            }
            if (!attributes.owner().equals(me)) {
                throw new PgUsersException(Failure.DATABASE, "the sandbox in " + root + " is not used: " + path
                        + " belongs to " + attributes.owner().getName() + ", not to " + me.getName()
                        + " (each OS user has a sandbox of their own: PGUSERS_SANDBOX=DIR)");
            }
        }

        Path usersLock() {
            return root.resolve("users.lock");
        }

        Path keptRunning() {
            return root.resolve("kept-running");
        }

        Path log() {
            return root.resolve("postgres.log");
        }

        /**
         * The postmaster of this data directory and its port, read once from postmaster.pid, when the file names
         * a live postgres of this OS user that says it serves this data directory (a pid reused after a crash,
         * or another user's, is not it).
         */
        Optional<Postmaster> postmaster() {
            try {
                Path pidFile = data().resolve("postmaster.pid");
                if (Files.isSymbolicLink(pidFile)) {
                    return Optional.empty();
                }
                List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
                if (!Path.of(lines.get(1).strip()).equals(data())) {
                    return Optional.empty();
                }
                int port = Integer.parseInt(lines.get(3).strip());
                String me = currentUser().getName();
                return ProcessHandle.of(Long.parseLong(lines.get(0).strip())).filter(ProcessHandle::isAlive)
                        .filter(p -> p.info().user().map(me::equals).orElse(false))
                        .filter(p -> p.info().command().map(c -> c.endsWith("/postgres")).orElse(false))
                        .map(p -> new Postmaster(p, port));
            } catch (IOException | RuntimeException e) {
                return Optional.empty();
            }
        }

        /** The port of the running server, when one runs. */
        Optional<Integer> runningPort() {
            return postmaster().map(Postmaster::port);
        }

        /** Makes the directories (owner-only), then refuses them unless they are wholly this OS user's. */
        void prepareDirectories() throws IOException {
            if (!Files.exists(root, NOFOLLOW_LINKS)) {
                Files.createDirectories(root.getParent());
                Files.createDirectory(root, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY));
            }
            checkOwned();
            for (Path dir : List.of(root, socket(), binaries())) {
                if (!Files.exists(dir, NOFOLLOW_LINKS)) {
                    Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY));
                }
                Files.getFileAttributeView(dir, PosixFileAttributeView.class, NOFOLLOW_LINKS).setPermissions(OWNER_ONLY_DIRECTORY);
            }
        }

        /**
         * The superuser's password, made the first time; returns it. A file that others may reach is made
         * owner-only again (it could be from an older version).
         */
        String preparePassword(boolean fresh) throws IOException {
            if (fresh || !Files.exists(password())) {
                if (!fresh) {
                    throw new IOException("its superuser's password file " + password() + " is gone");
                }
                try (Password generated = Password.generate()) {
                    writeOwnerOnly(password(), new String(generated.chars()) + "\n");
                }
            }
            Files.getFileAttributeView(password(), PosixFileAttributeView.class, NOFOLLOW_LINKS).setPermissions(OWNER_ONLY_FILE);
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
