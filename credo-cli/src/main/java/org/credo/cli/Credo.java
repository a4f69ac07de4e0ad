package org.credo.cli;

import java.io.PrintWriter;
import java.time.Clock;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code credo} command. Exit codes: 0 success, 1 a check failed, 2 bad usage or input. */
@Command(
    name = "credo",
    mixinStandardHelpOptions = true,
    version = "credo 0.1.0",
    description = "Credo: an accountable trust-scoring engine.",
    subcommands = {
      SourceCommand.class,
      PolicyCommand.class,
      ImportCommand.class,
      ScoreCommand.class,
      ReportCommand.class,
      DecideCommand.class,
      org.credo.generate.GenerateCommand.class,
      DemoCommand.class,
      PartyCommand.class,
      TokenCommand.class,
      ServeCommand.class,
      CertificateCommand.class,
      DisputeCommand.class,
      PurgeCommand.class,
      AuditCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Credo implements Runnable {
  static final int OK = 0;
  static final int CHECK_FAILED = 1;
  static final int BAD_INPUT = 2;

  /** The clock every command reads "now" from; tests may replace it. */
  static Clock clock = Clock.systemUTC();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    int exit = run(args, out, err);
    out.flush();
    err.flush();
    System.exit(exit);
  }

  /** Runs the command line with the given streams and returns the exit code. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(new Credo());
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          if (e instanceof BadInput) {
            commandLine.getErr().println("credo: " + e.getMessage());
            return BAD_INPUT;
          }
          commandLine.getErr().println("credo: internal error: " + e);
          return BAD_INPUT;
        });
    cli.setParameterExceptionHandler(
        (e, unused) -> {
          e.getCommandLine().getErr().println("credo: " + e.getMessage());
          e.getCommandLine().getErr().println("Try 'credo help' for usage.");
          return BAD_INPUT;
        });
    int exit = cli.execute(args);
    out.flush();
    err.flush();
    return exit;
  }
}
