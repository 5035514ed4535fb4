package org.cgd4j.experiments;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code cgd4j} command line. */
@Command(name = "cgd4j", mixinStandardHelpOptions = true, version = "cgd4j 0.1.0-SNAPSHOT",
        description = "Covariant Gradient Descent on the JVM: reproduce the paper, tune, diagnose.",
        subcommands = {CommandLine.HelpCommand.class, ReproduceCommand.class, TuneCommand.class,
            DoctorCommand.class})
public final class Cgd4j implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true"); // plots are rendered off-screen
        System.exit(commandLine().execute(args));
    }

    /** The command line with its error handling: a bad option value prints one line, not a stack trace. */
    static CommandLine commandLine() {
        return new CommandLine(new Cgd4j()).setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof IllegalArgumentException) {
                cmd.getErr().println("cgd4j " + cmd.getCommandName() + ": " + e.getMessage());
                return cmd.getCommandSpec().exitCodeOnInvalidInput();
            }
            throw e;
        });
    }
}
