package io.pgusers.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/** Builds the command line and runs it: the entry point for {@code Main} and for in-process tests. */
public final class Cli {
    private Cli() {
    }

    /** Runs {@code args} and returns the exit code; never calls {@code System.exit}. */
    public static int run(String[] args, Map<String, String> env, InputStream stdin, PrintStream out,
                          PrintStream err, Terminal terminal) {
        if (Arrays.asList(args).contains("--debug")) {
            System.setProperty("org.slf4j.simpleLogger.log.io.pgusers", "debug");
        }
        CommandLine commandLine = commandLine(new PgUsersCommand.Environment(env, stdin, terminal), args);
        commandLine.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        commandLine.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        commandLine.setExecutionExceptionHandler(new ErrorHandler());
        commandLine.setParameterExceptionHandler(new UsageErrorHandler());
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        // @FILE is a name like any other: picocli would read the file into the arguments (and show it in errors)
        commandLine.setExpandAtFiles(false);
        return commandLine.execute(args);
    }

    /**
     * The command line of {@code pgusers}: with only the subcommand that {@code args} name (a one-shot command
     * then builds the model of one command, not of ten), or with all of them for the help, a usage error or
     * when {@code args} is null (the man pages).
     */
    static CommandLine commandLine(PgUsersCommand.Environment environment, String[] args) {
        CommandLine commandLine = new CommandLine(new PgUsersCommand(environment));
        Class<?> named = args == null ? null : named(args);
        for (Class<?> subcommand : named != null ? List.of(named) : PgUsersCommand.SUBCOMMANDS) {
            commandLine.addSubcommand(subcommand);
        }
        return commandLine;
    }

    /** The subcommand that the first word after the root's options names, if any. */
    private static Class<?> named(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--")) {
                return null;
            }
            if (arg.startsWith("-")) {
                if (PgUsersCommand.OPTIONS_WITH_VALUE.contains(arg)) {
                    i++;
                }
                continue;
            }
            for (Class<?> subcommand : PgUsersCommand.SUBCOMMANDS) {
                CommandLine.Command command = subcommand.getAnnotation(CommandLine.Command.class);
                if (command.name().equals(arg) || List.of(command.aliases()).contains(arg)) {
                    return subcommand;
                }
            }
            return null;
        }
        return null;
    }
}
