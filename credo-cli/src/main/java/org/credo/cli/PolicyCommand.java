package org.credo.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.credo.app.policies.Policies;
import org.credo.app.policies.PolicyOutcome;
import org.credo.app.policies.SimulationOutcome;
import org.credo.app.wire.SimulationWire;
import org.credo.policy.Policy;
import org.credo.policy.PolicyException;
import org.credo.policy.PolicyLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code credo policy check FILE…}. */
@Command(
    name = "policy",
    description = "Work with policies.",
    subcommands = {
      PolicyCommand.Check.class,
      PolicyCommand.Simulate.class,
      PolicyCommand.Activate.class,
      PolicyCommand.History.class
    })
final class PolicyCommand implements Runnable {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "check",
      description =
          "Validate policy files, and check them against a record-type catalogue (the one Credo"
              + " ships, or --catalogue FILE): exit 0 if all load and keep to it, else 2 with one"
              + " file:line:column: reason line per problem.")
  static final class Check implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "policy YAML files")
    List<Path> files;

    @picocli.CommandLine.Option(
        names = "--catalogue",
        paramLabel = "FILE",
        description = "the catalogue to check against (default: the one Credo ships)")
    Path catalogueFile;

    @Override
    public Integer call() {
      org.credo.catalogue.Catalogue catalogue =
          catalogueFile == null
              ? org.credo.store.Catalogues.shipped()
              : CatalogueCommand.read(catalogueFile);
      int exit = Credo.OK;
      for (Path file : files) {
        try {
          String yaml = Inputs.read(file);
          Policy policy = PolicyLoader.load(file.toString(), yaml, catalogue.firewall());
          List<org.credo.policy.PolicyProblem> problems =
              catalogue.problems(policy, file.toString(), yaml);
          if (!problems.isEmpty()) {
            problems.forEach(p -> spec.commandLine().getErr().println(p));
            exit = Credo.BAD_INPUT;
            continue;
          }
          spec.commandLine()
              .getOut()
              .printf(
                  "%s: ok: %s, %d rules, %d lists, %d factors, %d purposes%n",
                  file,
                  policy.ref(),
                  policy.rules().size(),
                  policy.lists().size(),
                  policy.factors().size(),
                  policy.purposes().size());
        } catch (PolicyException e) {
          e.problems().forEach(p -> spec.commandLine().getErr().println(p));
          exit = Credo.BAD_INPUT;
        } catch (BadInput e) {
          spec.commandLine().getErr().println(e.getMessage());
          exit = Credo.BAD_INPUT;
        }
      }
      return exit;
    }
  }

  @Command(
      name = "simulate",
      description =
          "What-if before activating: score every subject held under the policy in FILE and under"
              + " the version it would replace (or --against), and report the grade transition"
              + " matrix, how scores move, who enters or leaves a list, which decisions flip, reason"
              + " codes and rules before and after, and a sample of itemized diffs. The report is"
              + " saved and its SHA-256 audited; policy activate names it. Exit 2 if the policy"
              + " does not load or the version to compare with does not exist.")
  static final class Simulate implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @picocli.CommandLine.Mixin DataOption data;

    @Parameters(index = "0", paramLabel = "FILE")
    Path file;

    @picocli.CommandLine.Option(
        names = "--against",
        paramLabel = "POLICY[@VERSION]",
        description =
            "compare with this saved version, or with this policy's active version (default: the"
                + " active version of the candidate's policy id)")
    String against;

    @picocli.CommandLine.Option(
        names = "--as-of",
        paramLabel = "T",
        description = "score both as of T, as known at T (default: now)")
    String asOf;

    @picocli.CommandLine.Option(names = "--json", description = "print the report as JSON")
    boolean json;

    @Override
    public Integer call() {
      String yaml = Inputs.read(file);
      java.time.Instant now = Credo.clock.instant();
      java.time.Instant at = asOf == null ? now : Inputs.time("--as-of", asOf);
      try (CliApplication cli = CliApplication.open(data)) {
        SimulationOutcome outcome =
            cli.app()
                .policies()
                .simulations()
                .simulate(
                    CliAudit.CALLER,
                    file.toString(),
                    yaml,
                    java.util.Optional.ofNullable(against),
                    at,
                    now);
        if (outcome instanceof org.credo.app.policies.InvalidPolicy invalid) {
          invalid.problems().forEach(p -> spec.commandLine().getErr().println(p));
          return Credo.BAD_INPUT;
        }
        if (outcome instanceof SimulationOutcome.UnknownVersion unknown) {
          throw new BadInput(unknown.message());
        }
        var done = (SimulationOutcome.Simulated) outcome;
        if (json) {
          spec.commandLine().getOut().println(Wire.pretty(SimulationWire.of(done)));
        } else {
          SimulationText.print(spec.commandLine().getOut(), done);
        }
      } catch (org.credo.store.StoreException e) {
        throw new BadInput(e.getMessage());
      }
      return Credo.OK;
    }
  }

  @Command(
      name = "activate",
      description =
          "Check a policy, save it as a new version in the store and make it active. Earlier"
              + " versions stay saved, so past decisions can be replayed. Once the store holds"
              + " records, the activation rests on a simulation of exactly this file (policy"
              + " simulate), which it names; without one it is refused (exit 1) unless"
              + " --without-simulation, which is audited. Exit 1 if a purpose it declares is"
              + " already declared by another active policy; 2 if it does not load.")
  static final class Activate implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @picocli.CommandLine.Mixin DataOption data;

    @Parameters(index = "0", paramLabel = "FILE")
    Path file;

    @picocli.CommandLine.Option(
        names = "--without-simulation",
        description = "activate although this file was never simulated (audited)")
    boolean withoutSimulation;

    @Override
    public Integer call() {
      String yaml = Inputs.read(file);
      try (CliApplication cli = CliApplication.open(data)) {
        PolicyOutcome outcome =
            cli.app()
                .policies()
                .activate(
                    CliAudit.CALLER,
                    file.toString(),
                    yaml,
                    Credo.clock.instant(),
                    withoutSimulation);
        if (outcome instanceof org.credo.app.policies.InvalidPolicy invalid) {
          invalid.problems().forEach(p -> spec.commandLine().getErr().println(p));
          return Credo.BAD_INPUT;
        }
        if (outcome instanceof PolicyOutcome.VersionTaken taken) {
          throw new BadInput(taken.message());
        }
        if (outcome instanceof PolicyOutcome.SimulationRequired required) {
          spec.commandLine().getErr().println("credo: " + required.message());
          return Credo.CHECK_FAILED;
        }
        if (outcome instanceof PolicyOutcome.PurposeConflict conflict) {
          // The file is fine; the check against the active policies failed.
          spec.commandLine().getErr().println("credo: " + conflict.message());
          return Credo.CHECK_FAILED;
        }
        var activated = (PolicyOutcome.Activated) outcome;
        spec.commandLine()
            .getOut()
            .printf(
                "activated %s from %s%s%n",
                activated.policy().ref(),
                file,
                activated.simulation().map(id -> ", resting on simulation " + id).orElse(""));
      } catch (org.credo.store.StoreException e) {
        throw new BadInput(e.getMessage());
      }
      return Credo.OK;
    }
  }

  @Command(name = "history", description = "List every policy activation, oldest first.")
  static final class History implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @picocli.CommandLine.Mixin DataOption data;

    @Override
    public Integer call() {
      try (CliApplication cli = CliApplication.open(data)) {
        for (Policies.Entry e : cli.app().policies().history(Credo.clock.instant())) {
          spec.commandLine()
              .getOut()
              .printf(
                  "%s  %-28s%s%n",
                  e.activation().at(), e.activation().policy(), e.active() ? "  (active)" : "");
        }
      }
      return Credo.OK;
    }
  }
}
