package org.credo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every group and every command answers {@code --help}, {@code -h} and {@code credo help …} with
 * its own usage and exit 0. The commands are read from the command tree, so a new one is covered
 * without touching this test.
 */
class CliHelpTest {
  record Run(int exit, String out, String err) {}

  static Run credo(List<String> args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Credo.run(args.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
    return new Run(exit, out.toString(), err.toString());
  }

  /** Every command path below {@code credo}: {@code [source]}, {@code [source, add]}, … */
  static Stream<List<String>> commands() {
    List<List<String>> paths = new ArrayList<>();
    collect(Credo.commandLine(), List.of(), paths);
    return paths.stream();
  }

  private static void collect(CommandLine cli, List<String> path, List<List<String>> paths) {
    cli.getSubcommands()
        .forEach(
            (name, sub) -> {
              if (!sub.getCommandSpec().name().equals(name)) {
                return; // an alias
              }
              List<String> next = new ArrayList<>(path);
              next.add(name);
              paths.add(List.copyOf(next));
              collect(sub, next, paths);
            });
  }

  private static CommandLine command(List<String> path) {
    CommandLine cli = Credo.commandLine();
    for (String name : path) {
      cli = cli.getSubcommands().get(name);
    }
    return cli;
  }

  private static void printsUsageOf(List<String> path, Run run) {
    assertThat(run.exit()).as("exit of %s: %s", path, run.err()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.out()).startsWith("Usage: credo " + String.join(" ", path) + " ");
    for (OptionSpec option : command(path).getCommandSpec().options()) {
      if (!option.hidden()) {
        assertThat(run.out()).contains(option.longestName());
      }
    }
    for (String sub : command(path).getSubcommands().keySet()) {
      assertThat(run.out()).contains(sub);
    }
  }

  @Test
  void theTreeHasEveryDocumentedGroup() {
    List<String> groups = commands().filter(p -> p.size() == 1).map(p -> p.get(0)).toList();
    assertThat(groups)
        .contains(
            "source",
            "party",
            "token",
            "policy",
            "dispute",
            "audit",
            "certificate",
            "score",
            "report",
            "decide",
            "import",
            "generate",
            "demo",
            "serve",
            "help");
    assertThat(commands()).contains(List.of("source", "add"), List.of("policy", "activate"));
  }

  @ParameterizedTest(name = "credo {0} --help")
  @MethodSource("commands")
  void longHelpOption(List<String> path) {
    List<String> args = new ArrayList<>(path);
    args.add("--help");
    printsUsageOf(path, credo(args));
  }

  @ParameterizedTest(name = "credo {0} -h")
  @MethodSource("commands")
  void shortHelpOption(List<String> path) {
    List<String> args = new ArrayList<>(path);
    args.add("-h");
    printsUsageOf(path, credo(args));
  }

  @ParameterizedTest(name = "credo help {0}")
  @MethodSource("commands")
  void helpCommand(List<String> path) {
    List<String> args = new ArrayList<>();
    args.add("help");
    args.addAll(path);
    printsUsageOf(path, credo(args));
  }

  @Test
  void helpOfAnUnknownCommandIsBadUsage() {
    Run run = credo(List.of("help", "source", "nonesuch"));
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("Unknown command: 'source nonesuch'");
  }

  @Test
  void badUsagePointsAtTheCommandsOwnHelp() {
    Run run = credo(List.of("source", "add"));
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("Try 'credo source add --help'.");
  }

  @Test
  void helpAloneAndVersion() {
    Run help = credo(List.of("help"));
    assertThat(help.exit()).isZero();
    assertThat(help.out()).startsWith("Usage: credo ");
    Run version = credo(List.of("source", "add", "--version"));
    assertThat(version.exit()).isZero();
    assertThat(version.out()).contains("credo 0.1.0");
  }
}
