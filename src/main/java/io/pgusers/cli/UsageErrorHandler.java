package io.pgusers.cli;

import io.pgusers.core.Failure;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Usage errors (an unknown option or command, a missing NAME, {@code -p notaport}): exit 2, with the same
 * {@code {"error", "exit_code"}} object on standard error as every other failure when {@code --json} was
 * given, else the message, the nearest command or option names, and where help is.
 */
final class UsageErrorHandler implements IParameterExceptionHandler {
    private static final int MAX_DISTANCE = 2;

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        int exitCode = Failure.INVALID_INPUT.exitCode();
        boolean json = Arrays.asList(args).contains("--json");
        List<String> nearest = nearest(e, command);
        String message = e.getMessage()
                + (nearest.isEmpty() ? "" : " (did you mean " + String.join(" or ", nearest) + "?)");
        new Output(command.getOut(), command.getErr(), json).error(message, exitCode);
        if (!json) {
            PrintWriter err = command.getErr();
            err.println("Try '" + command.getCommandSpec().qualifiedName() + " --help' for more information.");
            err.flush();
        }
        return exitCode;
    }

    /** The command or option names within two typing mistakes of the first unknown word. */
    private static List<String> nearest(ParameterException e, CommandLine command) {
        if (!(e instanceof UnmatchedArgumentException unmatched) || unmatched.getUnmatched().isEmpty()) {
            return List.of();
        }
        String word = unmatched.getUnmatched().get(0);
        List<String> candidates = new ArrayList<>();
        if (word.startsWith("-")) {
            command.getCommandSpec().options().forEach(o -> candidates.addAll(Arrays.asList(o.names())));
        } else {
            candidates.addAll(command.getSubcommands().keySet());
        }
        return candidates.stream().distinct()
                .filter(c -> distance(word, c) <= MAX_DISTANCE && !c.equals(word))
                .sorted(Comparator.comparingInt((String c) -> distance(word, c)).thenComparing(c -> c))
                .limit(3).toList();
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
