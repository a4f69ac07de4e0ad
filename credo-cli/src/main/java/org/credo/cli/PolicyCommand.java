package org.credo.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
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
          "Validate policy files: exit 0 if all load, else 2 with one file:line:column: reason"
              + " line per problem.")
  static final class Check implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "policy YAML files")
    List<Path> files;

    @Override
    public Integer call() {
      int exit = Credo.OK;
      for (Path file : files) {
        try {
          Policy policy = PolicyLoader.load(file.toString(), Inputs.read(file));
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
      name = "activate",
      description =
          "Check a policy, save it as a new version in the store and make it active. Earlier"
              + " versions stay saved, so past decisions can be replayed. Exit 1 if a purpose it"
              + " declares is already declared by another active policy; 2 if it does not load.")
  static final class Activate implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @picocli.CommandLine.Mixin DataOption data;

    @Parameters(index = "0", paramLabel = "FILE")
    Path file;

    @Override
    public Integer call() {
      String yaml = Inputs.read(file);
      try (org.credo.store.Store store = data.open()) {
        Policy policy =
            new org.credo.engine.Engine(store)
                .activate(file.toString(), yaml, Credo.clock.instant());
        CliAudit.record(
            store,
            "policy.activate",
            null,
            "policy=" + policy.ref().id() + "@" + policy.ref().version());
        spec.commandLine().getOut().printf("activated %s from %s%n", policy.ref(), file);
      } catch (PolicyException e) {
        e.problems().forEach(p -> spec.commandLine().getErr().println(p));
        return Credo.BAD_INPUT;
      } catch (org.credo.engine.PurposeConflictException e) {
        // The file is fine; the check against the active policies failed.
        spec.commandLine().getErr().println("credo: " + e.getMessage());
        return Credo.CHECK_FAILED;
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
      try (org.credo.store.Store store = data.open()) {
        java.util.List<org.credo.policy.PolicyRef> active = store.activeAt(Credo.clock.instant());
        for (org.credo.store.Activation a : store.activations()) {
          spec.commandLine()
              .getOut()
              .printf(
                  "%s  %-28s%s%n",
                  a.at(), a.policy(), active.contains(a.policy()) ? "  (active)" : "");
        }
      }
      return Credo.OK;
    }
  }
}
