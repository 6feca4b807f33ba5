package io.pgusers.cli;

import io.pgusers.connect.ConnectionRequest;
import io.pgusers.connect.ConnectionSettings;
import io.pgusers.core.Failure;
import io.pgusers.core.PgUsersException;
import io.pgusers.ops.Actor;
import io.pgusers.ops.ConnectionSource;
import io.pgusers.ops.DatabaseUsers;
import io.pgusers.ops.Instance;
import io.pgusers.sandbox.Sandbox;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code pgusers}: the root command. Its options are psql's and work before or after the subcommand
 * name; it turns them into a {@link DatabaseUsers} for the subcommands, starting the sandbox first
 * when asked.
 */
@Command(name = "pgusers",
        versionProvider = Version.class,
        sortOptions = false,
        description = "Manages the database users of a dedicated PostgreSQL instance.",
        footerHeading = "%nConnection:%n",
        footer = {
            "  Defaults come from PGHOST, PGPORT, PGUSER, PGDATABASE, PGPASSWORD,",
            "  PGPASSFILE (~/.pgpass), PGSERVICE, PGSERVICEFILE, PGSSLMODE and",
            "  PGCONNECT_TIMEOUT, as in psql. The role must be a superuser.",
            "  PGUSERS_SANDBOX=DIR works as --sandbox, with the sandbox kept in DIR.",
            "  Passwords never come from the command line: see --password-stdin and",
            "  --generate-password in the help of create and update-password."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success",
            "1:connection or database failure (also: a database pgusers does not manage, a role that is not a superuser)",
            "2:usage error or invalid input (bad name, bad password)",
            "3:unknown user",
            "4:refused: the protected user, or a role pgusers does not manage",
            "5:already exists",
            "6:drift: check found users whose access differs from what they were promised"
        })
public final class PgUsersCommand implements Callable<Integer> {
    /** The subcommands, in the order of --help; {@link Cli} registers only the one asked for when it can. */
    static final List<Class<?>> SUBCOMMANDS = List.of(ListCommand.class, CreateCommand.class,
            UpdatePasswordCommand.class, DeleteCommand.class, ProvisionCommand.class, ServeCommand.class,
            AuditCommand.class, CheckCommand.class, RepairCommand.class, SandboxCommand.class);

    /** The root's options that take a value in the next argument: how the subcommand's name is found. */
    static final java.util.Set<String> OPTIONS_WITH_VALUE = java.util.Set.of("-h", "--host", "-p", "--port", "-U",
            "--username", "-d", "--dbname", "--url", "--lock-timeout");

    @Option(names = {"-h", "--host"}, scope = ScopeType.INHERIT, paramLabel = "HOST",
            description = "Server host, or a directory holding its Unix socket (PGHOST).")
    String host;

    @Option(names = {"-p", "--port"}, scope = ScopeType.INHERIT, paramLabel = "PORT",
            description = "Server port (PGPORT, else 5432).")
    Integer port;

    @Option(names = {"-U", "--username"}, scope = ScopeType.INHERIT, paramLabel = "ROLE",
            description = "The superuser pgusers connects as (PGUSER, else the OS user).")
    String username;

    @Option(names = {"-d", "--dbname"}, scope = ScopeType.INHERIT, paramLabel = "DB",
            description = "The application database whose users are managed (PGDATABASE; else the only "
                    + "database pgusers provisioned).")
    String dbname;

    @Option(names = "--url", scope = ScopeType.INHERIT, paramLabel = "JDBC_URL",
            description = "A JDBC URL instead of the options above.")
    String url;

    @Option(names = "--lock-timeout", scope = ScopeType.INHERIT, paramLabel = "SECONDS",
            description = "Give up, nothing changed, when a lock is not granted within this time (default: 5).")
    String lockTimeout;

    @Option(names = "--sandbox", scope = ScopeType.INHERIT,
            description = "Use the embedded sandbox PostgreSQL kept in the directory .pgusers-sandbox here "
                    + "(PGUSERS_SANDBOX=DIR: kept in DIR).")
    boolean sandbox;

    @Option(names = "--json", scope = ScopeType.INHERIT, description = "Machine-readable output.")
    boolean json;

    @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Show stack traces and the statements sent.")
    boolean debug;

    @Option(names = {"-?", "--help"}, usageHelp = true, scope = ScopeType.INHERIT, description = "Show this help.")
    boolean help;

    @Option(names = {"-V", "--version"}, versionHelp = true, description = "Print the version.")
    boolean version;

    @Spec
    CommandSpec spec;

    private final Environment environment;

    PgUsersCommand(Environment environment) {
        this.environment = environment;
    }

    /** What the process was given besides its arguments: replaced in tests. */
    record Environment(Map<String, String> variables, InputStream stdin, Terminal terminal) {
    }

    /** No subcommand: show the usage, as a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return Failure.INVALID_INPUT.exitCode();
    }

    Environment environment() {
        return environment;
    }

    /** Work done with the users of the chosen database; returns the exit code. */
    @FunctionalInterface
    interface UsersWork {
        int run(DatabaseUsers users);
    }

    /** Work done with the resolved connection settings; returns the exit code. */
    @FunctionalInterface
    interface SettingsWork {
        int run(ConnectionSettings settings);
    }

    /** Work done with the whole instance; returns the exit code. */
    @FunctionalInterface
    interface InstanceWork {
        int run(Instance instance, ConnectionSettings settings);
    }

    /**
     * Connects (starting the sandbox first when asked), runs {@code work} on the users of the application
     * database (the one named, else the only one pgusers provisioned, else psql's default), closes everything.
     */
    int withUsers(Output output, UsersWork work) {
        return withUsers(output, true, work);
    }

    /** {@link #withUsers} for provision: the database it names may not exist yet, so its login waits until needed. */
    int withDatabaseToProvision(Output output, UsersWork work) {
        return withUsers(output, false, work);
    }

    private int withUsers(Output output, boolean databaseExists, UsersWork work) {
        return withSettings(output, settings -> withInstance(settings,
                databaseExists && settings.databaseGiven() ? settings.database() : null, (instance, ignored) -> {
            try (DatabaseUsers users = instance.database(chooseDatabase(settings, instance), Actor.osUser(environment.variables()))) {
                output.target(users.database(), settings.instance());
                int code = work.run(users);
                output.targetNote();
                return code;
            }
        }));
    }

    /** Connects (starting the sandbox first when asked), runs {@code work} on the instance, closes everything. */
    int withInstance(Output output, InstanceWork work) {
        return withSettings(output, settings -> withInstance(settings, null, work));
    }

    /** Connects with {@code settings} ({@code database}'s login opened meanwhile, when named), runs {@code work}. */
    private static int withInstance(ConnectionSettings settings, String database, InstanceWork work) {
        try (Instance instance = Instance.connect(ConnectionSource.of(settings), database)) {
            return work.run(instance, settings);
        }
    }

    /** The database named (-d, PGDATABASE), else the only one pgusers manages; several and none named: refused. */
    static String chooseDatabase(ConnectionSettings settings, Instance instance) {
        if (settings.databaseGiven()) {
            return settings.database();
        }
        List<String> provisioned = instance.provisionedDatabases();
        if (provisioned.size() > 1) {
            throw new PgUsersException(Failure.UNKNOWN_DATABASE, "pgusers manages several databases ("
                    + Instance.quotedList(provisioned) + "): name one with -d (or PGDATABASE)");
        }
        return provisioned.size() == 1 ? provisioned.get(0) : settings.database();
    }

    /** Resolves the settings, or starts the sandbox when asked and takes its; runs {@code work}, then stops the sandbox. */
    int withSettings(Output output, SettingsWork work) {
        Path sandboxDir = sandboxDirectory();
        if (sandboxDir != null && (host != null || port != null || username != null || url != null)) {
            throw PgUsersException.invalid("the sandbox is its own server: -h, -p, -U and --url cannot go with "
                    + "--sandbox or PGUSERS_SANDBOX (unset it to reach another server)");
        }
        if (sandboxDir == null) {
            return work.run(settings());
        }
        try (Sandbox running = Sandbox.start(sandboxDir, dbname, output::note)) {
            return work.run(withLockTimeout(running.settings()));
        }
    }

    ConnectionSettings settings() {
        try {
            return withLockTimeout(ConnectionSettings.resolve(new ConnectionRequest(host, port, username, dbname, url),
                    environment.variables()));
        } catch (IllegalArgumentException e) {
            throw new PgUsersException(Failure.INVALID_INPUT, e.getMessage());
        }
    }

    private ConnectionSettings withLockTimeout(ConnectionSettings settings) {
        return lockTimeout == null ? settings : settings.withLockTimeout(Seconds.parse("--lock-timeout", lockTimeout));
    }

    /** The sandbox's directory when one is asked for (--sandbox, PGUSERS_SANDBOX), else null. */
    private Path sandboxDirectory() {
        return sandbox || variable("PGUSERS_SANDBOX") != null ? sandboxHome() : null;
    }

    /** Where the sandbox is kept: PGUSERS_SANDBOX, else .pgusers-sandbox in the current directory. */
    Path sandboxHome() {
        String fromEnv = variable("PGUSERS_SANDBOX");
        return fromEnv != null ? Path.of(fromEnv) : Path.of(DEFAULT_SANDBOX);
    }

    static final String DEFAULT_SANDBOX = ".pgusers-sandbox";

    private String variable(String name) {
        String value = environment.variables().get(name);
        return value == null || value.isBlank() ? null : value;
    }

    Output output(java.io.PrintWriter out, java.io.PrintWriter err) {
        return new Output(out, err, json);
    }
}
