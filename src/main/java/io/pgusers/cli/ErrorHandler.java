package io.pgusers.cli;

import io.pgusers.core.Failure;
import io.pgusers.core.PgUsersException;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * The one place where a failure becomes a message on standard error and an exit code. A stack trace
 * is shown only with {@code --debug}.
 */
final class ErrorHandler implements IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception e, CommandLine command, ParseResult parseResult) {
        PgUsersCommand root = (PgUsersCommand) command.getCommandSpec().root().userObject();
        Output output = root.output(command.getOut(), command.getErr());
        int exitCode;
        String message;
        if (e instanceof PgUsersException failure) {
            exitCode = failure.failure().exitCode();
            message = failure.getMessage();
        } else {
            exitCode = Failure.DATABASE.exitCode();
            message = "unexpected error: " + e;
        }
        output.error(message, exitCode);
        if (root.debug) {
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            output.note(trace.toString().replace("\t", "    "));
        }
        return exitCode;
    }
}
