package io.pgusers.sandbox;

import io.pgusers.connect.ConnectionRequest;
import io.pgusers.connect.ConnectionSettings;
import io.pgusers.core.Failure;
import io.pgusers.core.Password;
import io.pgusers.core.PgUsersException;
import io.pgusers.ops.Actor;
import io.pgusers.ops.DatabaseUsers;
import io.pgusers.ops.ProvisionResult;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The embedded default: a real PostgreSQL (zonky's binaries, from Maven Central) whose data stays in a
 * directory between runs, so that what one command does, the next one sees. On its first start it
 * provisions an application database, {@value #DATABASE}. It stops when closed.
 */
public final class Sandbox implements AutoCloseable {
    /** The application database the sandbox provisions. */
    public static final String DATABASE = "app";

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
        boolean fresh = !Files.exists(directory.resolve("PG_VERSION"));
        EmbeddedPostgres postgres;
        try {
            Files.createDirectories(directory);
            postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(directory.toAbsolutePath())
                    .setCleanDataDirectory(false)
                    .start();
        } catch (IOException | RuntimeException e) {
            throw new PgUsersException(Failure.DATABASE, "could not start the sandbox PostgreSQL in " + directory
                    + ": " + e.getMessage(), e);
        }
        String name = database == null ? DATABASE : database;
        ConnectionSettings settings = ConnectionSettings.resolve(
                new ConnectionRequest("localhost", postgres.getPort(), "postgres", name, null), Map.of());
        Sandbox sandbox = new Sandbox(postgres, settings);
        if (fresh) {
            sandbox.provision(notes, directory);
        }
        return sandbox;
    }

    private void provision(Consumer<String> notes, Path directory) {
        try (DatabaseUsers users = DatabaseUsers.connect(settings, Actor.osUser())) {
            ProvisionResult result = users.provision(Optional.empty());
            Password password = result.password();
            notes.accept("Sandbox: a new PostgreSQL in " + directory + "; database \"" + result.database()
                    + "\" provisioned with protected user \"" + result.owner() + "\""
                    + (password == null ? "." : " and password \"" + new String(password.chars()) + "\"."));
            if (password != null) {
                password.close();
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
}
