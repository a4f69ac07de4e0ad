package org.credo.cli;

import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.credo.access.Party;
import org.credo.policy.Purpose;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code credo party add|list}: relying parties and the purposes they may ask about. */
@Command(
    name = "party",
    description = "Register relying parties and the purposes they may ask about.",
    subcommands = {PartyCommand.Add.class, PartyCommand.ListParties.class})
final class PartyCommand implements Runnable {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "add", description = "Register a party, or change the purposes it may ask.")
  static final class Add implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Mixin DataOption data;

    @Parameters(index = "0", paramLabel = "ID", description = "the party id, e.g. city-airline")
    String id;

    @Option(
        names = "--purposes",
        required = true,
        split = ",",
        paramLabel = "P",
        description = "purposes it may ask about, e.g. air_travel,high_speed_rail")
    List<String> purposes;

    @Override
    public Integer call() {
      Party party;
      try {
        party =
            new Party(
                id,
                purposes.stream().map(Purpose::of).collect(Collectors.toSet()),
                Credo.clock.instant());
      } catch (IllegalArgumentException e) {
        throw new BadInput(e.getMessage());
      }
      try (CliApplication cli = CliApplication.open(data)) {
        Set<Purpose> undeclared =
            cli.app().access().addParty(CliAudit.CALLER, party, Credo.clock.instant());
        var out = spec.commandLine().getOut();
        out.printf(
            "party %s may ask about %s%n",
            party.id(),
            party.sortedPurposes().stream().map(Purpose::name).collect(Collectors.joining(", ")));
        for (Purpose p : undeclared) {
          out.printf("note: no active policy declares purpose %s yet%n", p);
        }
      }
      return Credo.OK;
    }
  }

  @Command(name = "list", description = "List the registered parties.")
  static final class ListParties implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Mixin DataOption data;

    @Override
    public Integer call() {
      try (CliApplication cli = CliApplication.open(data)) {
        for (Party p : cli.app().access().parties()) {
          spec.commandLine()
              .getOut()
              .printf(
                  "%-24s %s%n",
                  p.id(),
                  p.sortedPurposes().stream().map(Purpose::name).collect(Collectors.joining(", ")));
        }
      }
      return Credo.OK;
    }
  }
}
