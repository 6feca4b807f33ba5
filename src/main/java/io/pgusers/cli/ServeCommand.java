package io.pgusers.cli;

import io.pgusers.core.PgUsersException;
import io.pgusers.http.ApiServer;
import io.pgusers.http.Serve;
import io.pgusers.http.TokenAuth;
import io.pgusers.ops.ConnectionSource;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pgusers serve}: the platform's database-users HTTP API and the Database Users page. Only this
 * command loads the HTTP server and the pools, and only once it runs.
 */
@Command(name = "serve",
        description = {
            "Serve the database-users HTTP API and its page (GET /) until SIGTERM.",
            "Every request but GET /health and the page needs the API token as "
                    + "'Authorization: Bearer TOKEN'; the token comes from --token-file, else PGUSERS_API_TOKEN."
        })
final class ServeCommand extends Subcommand {
    static final String DEFAULT_LISTEN = "127.0.0.1:8080";

    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = DEFAULT_LISTEN,
            description = "The address and port to listen on (default: ${DEFAULT-VALUE}); [::1]:8080 for IPv6.")
    String listen;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "A file whose first line is the API token (else PGUSERS_API_TOKEN).")
    Path tokenFile;

    @Option(names = "--tls-cert", paramLabel = "FILE", description = "Serve HTTPS with this PEM certificate chain.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "The PEM private key of --tls-cert.")
    Path tlsKey;

    @Option(names = "--pool-size", paramLabel = "N", defaultValue = "" + ApiServer.Options.DEFAULT_POOL_SIZE,
            description = "The most connections per database (default: ${DEFAULT-VALUE}).")
    int poolSize;

    @Option(names = "--stop-timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "On SIGTERM, how long requests under way may take to finish before their statements are "
                    + "cancelled and rolled back (default: ${DEFAULT-VALUE}).")
    String stopTimeout;

    @Option(names = "--allow-plain-http",
            description = "Serve plain HTTP on an address other hosts can reach (behind a TLS proxy only).")
    boolean allowPlainHttp;

    @Override
    public Integer call() {
        Output output = output();
        String[] hostPort = hostAndPort(listen);
        TokenAuth auth = TokenAuth.load(tokenFile, root.environment().variables());
        ApiServer.Options options = new ApiServer.Options(hostPort[0], Integer.parseInt(hostPort[1]), tlsCert, tlsKey,
                poolSize, ApiServer.Options.DEFAULT_CONNECTION_TIMEOUT, Seconds.parse("--stop-timeout", stopTimeout),
                ApiServer.Options.DEFAULT_REQUEST_DEADLINE, allowPlainHttp);
        if (options.plainHttpOffLoopback()) {
            output.note("WARNING: serving plain HTTP on " + options.host() + ": the API token and the generated "
                    + "passwords cross the network in clear unless a TLS proxy is in front (--allow-plain-http)");
        }
        return root.withSettings(output, settings ->
                Serve.run(ConnectionSource.of(settings), auth, options, output::note));
    }

    /** {@code HOST:PORT}, {@code [IPv6]:PORT}, or {@code :PORT} for every address. */
    static String[] hostAndPort(String listen) {
        int colon = listen.lastIndexOf(':');
        if (colon < 0) {
            throw PgUsersException.invalid("--listen takes HOST:PORT, e.g. " + DEFAULT_LISTEN + ", not \"" + listen + "\"");
        }
        String host = listen.substring(0, colon);
        String port = listen.substring(colon + 1);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.isEmpty()) {
            host = "0.0.0.0";
        }
        try {
            int number = Integer.parseInt(port);
            if (number < 0 || number > 65535) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw PgUsersException.invalid("--listen: \"" + port + "\" is not a port (0 to 65535)");
        }
        return new String[] {host, port};
    }
}
