package io.pgusers.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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
        CommandLine commandLine = new CommandLine(
                new PgUsersCommand(new PgUsersCommand.Environment(env, stdin, terminal)));
        commandLine.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        commandLine.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        commandLine.setExecutionExceptionHandler(new ErrorHandler());
        commandLine.setParameterExceptionHandler(new UsageErrorHandler());
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        return commandLine.execute(args);
    }
}
