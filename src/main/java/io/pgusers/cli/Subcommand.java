package io.pgusers.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** What every subcommand shares: the root command's options and an {@link Output} bound to them. */
abstract class Subcommand implements Callable<Integer> {
    @ParentCommand
    PgUsersCommand root;

    @Spec
    CommandSpec spec;

    Output output() {
        return root.output(spec.commandLine().getOut(), spec.commandLine().getErr());
    }
}
