package io.pgusers;

import io.pgusers.cli.Cli;
import io.pgusers.cli.Terminal;

/** {@code java -jar pgusers.jar}: runs the command line and exits with its code. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(Cli.run(args, System.getenv(), System.in, System.out, System.err, Terminal.ofStandardInput()));
    }
}
