package io.pgusers.testing;

import java.nio.file.Files;
import java.nio.file.Path;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A Testcontainers {@code postgres:<major>} server, used when a Docker engine is there. Testcontainers classes are
 * touched only when a Docker endpoint is configured at all, so that their absence costs nothing and logs nothing.
 */
final class ContainerServer {

    private ContainerServer() {
    }

    static boolean dockerAvailable() {
        String home = System.getProperty("user.home");
        String runtime = System.getenv("XDG_RUNTIME_DIR");
        boolean endpoint = System.getenv("DOCKER_HOST") != null
                || Files.exists(Path.of(home, ".testcontainers.properties"))
                || Files.exists(Path.of("/var/run/docker.sock"))
                || Files.exists(Path.of(home, ".docker", "run", "docker.sock"))
                || runtime != null && Files.exists(Path.of(runtime, "docker.sock"));
        return endpoint && DockerClientFactory.instance().isDockerAvailable();
    }

    @SuppressWarnings("resource") // stopped by the shutdown hook (and by Testcontainers' reaper)
    static PgServer start(int major) throws Exception {
        String password = PgServer.randomToken(24);
        PostgreSQLContainer container = new PostgreSQLContainer(DockerImageName.parse("postgres:" + major))
                .withUsername(EmbeddedServer.SUPERUSER)
                .withPassword(password)
                .withEnv("POSTGRES_HOST_AUTH_METHOD", "scram-sha-256")
                .withCommand("postgres", "-c", "password_encryption=scram-sha-256", "-c", "log_statement=all",
                        "-c", "max_connections=200", "-c", "fsync=off", "-c", "synchronous_commit=off");
        container.start();
        Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "pgusers-postgres-container-stop"));
        return new PgServer(container.getHost(), container.getMappedPort(PostgreSQLContainer.POSTGRESQL_PORT),
                EmbeddedServer.SUPERUSER, password, null, null, false);
    }
}
