package io.pgusers.cli;

import io.pgusers.core.Failure;
import io.pgusers.sandbox.Sandbox;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code pgusers sandbox start|stop|status|env}: the embedded sandbox PostgreSQL, kept running between commands. */
@Command(name = "sandbox",
        description = {
            "Start, stop or show the sandbox PostgreSQL.",
            "The sandbox is kept in .pgusers-sandbox here, or in PGUSERS_SANDBOX. While it runs, every "
                    + "--sandbox command (and psql, after eval \"$(pgusers sandbox env)\") uses it."
        },
        subcommands = {SandboxCommand.Start.class, SandboxCommand.Stop.class, SandboxCommand.Status.class,
            SandboxCommand.Env.class})
final class SandboxCommand implements Callable<Integer> {
    @ParentCommand
    PgUsersCommand root;

    @Spec
    CommandSpec spec;

    /** No subcommand: show the usage, as a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return Failure.INVALID_INPUT.exitCode();
    }

    /** What the sandbox subcommands share: the directory, and printing. */
    abstract static class Part implements Callable<Integer> {
        @ParentCommand
        SandboxCommand sandbox;

        @Spec
        CommandSpec spec;

        Path directory() {
            return sandbox.root.sandboxHome();
        }

        Output output() {
            return sandbox.root.output(spec.commandLine().getOut(), spec.commandLine().getErr());
        }

        static String where(Sandbox.Running running) {
            return "127.0.0.1:" + running.port() + (running.socket() == null ? "" : " and socket " + running.socket());
        }
    }

    @Command(name = "start", description = "Start the sandbox and leave it running until pgusers sandbox stop.")
    static final class Start extends Part {
        @Override
        public Integer call() {
            Output output = output();
            try (Sandbox started = Sandbox.start(directory(), null, output::note)) {
                started.keepRunning();
            }
            Sandbox.Running running = Sandbox.running(directory()).orElseThrow();
            output.result("Sandbox running on " + where(running) + ", data in " + running.directory()
                            + ". Connect with: eval \"$(pgusers sandbox env)\"; psql",
                    "running", true, "port", running.port(), "directory", running.directory().toString());
            return 0;
        }
    }

    @Command(name = "stop", description = "Stop the sandbox (once no command uses it).")
    static final class Stop extends Part {
        @Override
        public Integer call() {
            output().result(Sandbox.stop(directory()), "directory", directory().toAbsolutePath().toString());
            return 0;
        }
    }

    @Command(name = "status", description = "Say whether the sandbox runs, and where (exit 0), or not (exit 1).")
    static final class Status extends Part {
        @Override
        public Integer call() {
            Optional<Sandbox.Running> running = Sandbox.running(directory());
            if (running.isEmpty()) {
                output().result("The sandbox in " + directory().toAbsolutePath() + " is not running.", "running", false);
                return Failure.DATABASE.exitCode();
            }
            output().result("The sandbox runs on " + where(running.get()) + ", data in " + running.get().directory()
                            + (running.get().keptRunning() ? " (until pgusers sandbox stop)." : " (while a command uses it)."),
                    "running", true, "port", running.get().port(), "directory", running.get().directory().toString());
            return 0;
        }
    }

    @Command(name = "env", description = "Print PGHOST, PGPORT, PGUSER, PGDATABASE and PGPASSFILE for eval, "
            + "so that psql reaches the running sandbox as its superuser.")
    static final class Env extends Part {
        @Override
        public Integer call() {
            Optional<Sandbox.Running> running = Sandbox.running(directory());
            if (running.isEmpty()) {
                throw new io.pgusers.core.PgUsersException(Failure.DATABASE, "the sandbox in "
                        + directory().toAbsolutePath() + " is not running: pgusers sandbox start starts it");
            }
            Sandbox.Running r = running.get();
            String host = r.socket() != null ? r.socket().toString() : "127.0.0.1";
            var out = spec.commandLine().getOut();
            out.println("export PGHOST=" + quoted(host));
            out.println("export PGPORT=" + r.port());
            out.println("export PGUSER=postgres");
            out.println("export PGDATABASE=" + Sandbox.DATABASE);
            out.println("export PGPASSFILE=" + quoted(r.pgpass().toString()));
            out.flush();
            return 0;
        }

        /** For a POSIX shell: single quotes, with any single quote closed, escaped and reopened. */
        private static String quoted(String value) {
            return "'" + value.replace("'", "'\\''") + "'";
        }
    }
}
