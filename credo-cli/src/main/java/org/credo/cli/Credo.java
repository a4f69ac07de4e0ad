package org.credo.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * The {@code credo} command. Exit codes: 0 success, 1 a check failed, 2 bad usage or input.
 *
 * <p>Its attributes are inherited ({@code scope = INHERIT}), so every group and command, present
 * and future, takes {@code -h/--help} and {@code -V/--version}; {@code credo help GROUP COMMAND}
 * prints the same usage.
 */
@Command(
    name = "credo",
    scope = CommandLine.ScopeType.INHERIT,
    mixinStandardHelpOptions = true,
    version = "credo 0.1.0",
    description = "Credo: an accountable trust-scoring engine.",
    subcommands = {
      SourceCommand.class,
      PolicyCommand.class,
      CatalogueCommand.class,
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
      SubjectCommand.class,
      FairnessCommand.class,
      Credo.Help.class
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

  /** The command tree, unexecuted: what {@link #run} parses with. */
  static CommandLine commandLine() {
    return new CommandLine(new Credo());
  }

  /** Runs the command line with the given streams and returns the exit code. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cli = commandLine();
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          if (e instanceof BadInput b) {
            commandLine.getErr().println("credo: " + e.getMessage());
            return b.exit();
          }
          commandLine.getErr().println("credo: internal error: " + e);
          return BAD_INPUT;
        });
    cli.setParameterExceptionHandler(
        (e, unused) -> {
          e.getCommandLine().getErr().println("credo: " + e.getMessage());
          e.getCommandLine()
              .getErr()
              .println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
          return BAD_INPUT;
        });
    int exit = cli.execute(args);
    out.flush();
    err.flush();
    return exit;
  }

  /**
   * {@code credo help [GROUP [COMMAND]]}: the usage of credo, of a group, or of one of a group's
   * commands. picocli's own HelpCommand looks one level down only.
   */
  @Command(
      name = "help",
      helpCommand = true,
      description = "Print the usage of credo, of a group, or of a command: credo help source add.")
  static final class Help implements CommandLine.IHelpCommandInitializable2, Callable<Integer> {
    @Parameters(
        paramLabel = "COMMAND",
        arity = "0..*",
        description = "a group, and optionally one of its commands")
    List<String> names = new ArrayList<>();

    private CommandLine self;
    private CommandLine.Help.ColorScheme colors;
    private PrintWriter out;

    @Override
    public void init(
        CommandLine helpCommandLine,
        CommandLine.Help.ColorScheme colorScheme,
        PrintWriter out,
        PrintWriter err) {
      this.self = helpCommandLine;
      this.colors = colorScheme;
      this.out = out;
    }

    @Override
    public Integer call() {
      CommandLine target = self.getParent();
      for (String name : names) {
        CommandLine next = target.getSubcommands().get(name);
        if (next == null) {
          throw new CommandLine.ParameterException(
              self, "Unknown command: '" + String.join(" ", names) + "'");
        }
        target = next;
      }
      target.usage(out, colors);
      return OK;
    }
  }
}
