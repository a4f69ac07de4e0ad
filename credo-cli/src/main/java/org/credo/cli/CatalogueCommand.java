package org.credo.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.credo.app.catalogue.CatalogueOutcome;
import org.credo.catalogue.AttributeSchema;
import org.credo.catalogue.Catalogue;
import org.credo.catalogue.CatalogueDiff;
import org.credo.catalogue.CatalogueEntry;
import org.credo.catalogue.CatalogueException;
import org.credo.catalogue.CatalogueReader;
import org.credo.records.RecordType;
import org.credo.store.Catalogues;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code credo catalogue check|activate|show|diff|history}: the record-type catalogue. */
@Command(
    name = "catalogue",
    description = "The closed catalogue of record types Credo may hold, each with its legal basis.",
    subcommands = {
      CatalogueCommand.Check.class,
      CatalogueCommand.Activate.class,
      CatalogueCommand.Show.class,
      CatalogueCommand.Diff.class,
      CatalogueCommand.History.class
    })
final class CatalogueCommand implements Runnable {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static Catalogue read(Path file) {
    try {
      return CatalogueReader.read(file.toString(), Inputs.read(file));
    } catch (CatalogueException e) {
      throw new BadInput(e.getMessage());
    }
  }

  @Command(
      name = "check",
      description =
          "Validate a catalogue file, and the active policies against it: exit 0 if it loads and"
              + " every active policy stays valid, 1 if a policy would not, 2 with one"
              + " file:line:column: reason line per problem if it does not load.")
  static final class Check implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @picocli.CommandLine.Mixin DataOption data;

    @Parameters(index = "0", paramLabel = "FILE")
    Path file;

    @Override
    public Integer call() {
      String yaml = Inputs.read(file);
      try (CliApplication cli = CliApplication.open(data)) {
        CatalogueOutcome outcome =
            cli.app().catalogue().check(file.toString(), yaml, Credo.clock.instant());
        return report(spec, outcome, "ok");
      }
    }
  }

  static int report(
      picocli.CommandLine.Model.CommandSpec spec, CatalogueOutcome outcome, String verb) {
    if (outcome instanceof CatalogueOutcome.Invalid invalid) {
      invalid.problems().forEach(p -> spec.commandLine().getErr().println(p));
      return Credo.BAD_INPUT;
    }
    if (outcome instanceof CatalogueOutcome.BreaksPolicies broken) {
      spec.commandLine()
          .getErr()
          .println("credo: an active policy uses what this catalogue does not allow:");
      broken.problems().forEach(p -> spec.commandLine().getErr().println(p));
      return Credo.CHECK_FAILED;
    }
    if (outcome instanceof CatalogueOutcome.VersionTaken taken) {
      throw new BadInput(taken.message());
    }
    if (outcome instanceof CatalogueOutcome.NoReason none) {
      throw new BadInput(none.message());
    }
    Catalogue c = ((CatalogueOutcome.Activated) outcome).catalogue();
    spec.commandLine()
        .getOut()
        .printf("%s: %s, %d record types%n", verb, c.label(), c.entries().size());
    return Credo.OK;
  }

  @Command(
      name = "activate",
      description =
          "Check a catalogue and make it the active one: from now on intake refuses a type outside"
              + " it and policies may reference only its types. Who approved it and why go to the"
              + " audit log.")
  static final class Activate implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @picocli.CommandLine.Mixin DataOption data;

    @Parameters(index = "0", paramLabel = "FILE")
    Path file;

    @Option(names = "--reason", required = true, description = "why (kept in the audit log)")
    String reason;

    @Override
    public Integer call() {
      String yaml = Inputs.read(file);
      try (CliApplication cli = CliApplication.open(data)) {
        return report(
            spec,
            cli.app()
                .catalogue()
                .activate(CliAudit.CALLER, file.toString(), yaml, reason, Credo.clock.instant()),
            "activated");
      }
    }
  }

  @Command(name = "show", description = "Show the active catalogue's types, or one type in full.")
  static final class Show implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @picocli.CommandLine.Mixin DataOption data;

    @Parameters(index = "0", arity = "0..1", paramLabel = "TYPE")
    String type;

    @Override
    public Integer call() {
      try (CliApplication cli = CliApplication.open(data)) {
        Catalogues.Active active =
            cli.app()
                .catalogue()
                .active()
                .orElseThrow(() -> new BadInput("no catalogue is active"));
        var out = spec.commandLine().getOut();
        Catalogue c = active.catalogue();
        if (type == null) {
          out.printf(
              "%s, activated %s by %s: %s%n%n",
              c.label(),
              active.activation().at(),
              active.activation().approvedBy(),
              active.activation().reason());
          for (CatalogueEntry e : c.entries().values()) {
            out.printf(
                "%-32s %-15s %-8s %-7s %s%n",
                e.type().value(),
                e.domain().name(),
                e.direction().word(),
                e.retention(),
                e.description());
          }
          if (!c.exemptions().isEmpty()) {
            out.printf("%nexemptions from the firewall's lexicon:%n");
            for (var x : c.exemptions()) {
              out.printf(
                  "%-32s allows %s: %s%n", x.name(), String.join(", ", x.allows()), x.reason());
            }
          }
          return Credo.OK;
        }
        CatalogueEntry e;
        try {
          e = c.entry(new RecordType(type)).orElse(null);
        } catch (IllegalArgumentException bad) {
          throw new BadInput(bad.getMessage());
        }
        if (e == null) {
          spec.commandLine()
              .getErr()
              .println("credo: " + type + " is not in the catalogue (" + c.label() + ")");
          return Credo.CHECK_FAILED;
        }
        out.printf("type         %s%n", e.type().value());
        out.printf("domain       %s%n", e.domain().name());
        out.printf("description  %s%n", e.description());
        out.printf("legal basis  %s%n", e.basis());
        out.printf(
            "direction    %s%s%n",
            e.direction().word(), e.severity().map(s -> " (" + s.word() + ")").orElse(""));
        out.printf(
            "retention    %s%s%n",
            e.retention(), e.keptByLaw() ? " (kept by law: not erasable)" : "");
        out.printf("sources      %s%n", String.join(", ", e.sources()));
        for (AttributeSchema a : e.attributes()) {
          out.printf("attribute    %s: %s%n", a.name(), CatalogueDiff.describe(a));
        }
      }
      return Credo.OK;
    }
  }

  @Command(
      name = "diff",
      description =
          "What changes from catalogue A to catalogue B (files; 'active' for the active one):"
              + " + added, - removed, ~ changed.")
  static final class Diff implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @picocli.CommandLine.Mixin DataOption data;

    @Parameters(index = "0", paramLabel = "A")
    String a;

    @Parameters(index = "1", paramLabel = "B")
    String b;

    @Override
    public Integer call() {
      Catalogue from = load(a);
      Catalogue to = load(b);
      List<String> lines = CatalogueDiff.lines(from, to);
      lines.forEach(spec.commandLine().getOut()::println);
      spec.commandLine()
          .getOut()
          .printf("%s -> %s: %d change(s)%n", from.label(), to.label(), lines.size());
      return Credo.OK;
    }

    private Catalogue load(String which) {
      if (!which.equals("active")) {
        return read(Path.of(which));
      }
      try (CliApplication cli = CliApplication.open(data)) {
        return cli.app()
            .catalogue()
            .active()
            .orElseThrow(() -> new BadInput("no catalogue is active"))
            .catalogue();
      }
    }
  }

  @Command(
      name = "history",
      description = "Every catalogue activation: when, who approved it, why.")
  static final class History implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @picocli.CommandLine.Mixin DataOption data;

    @Override
    public Integer call() {
      try (CliApplication cli = CliApplication.open(data)) {
        for (Catalogues.Activation a : cli.app().catalogue().history()) {
          spec.commandLine()
              .getOut()
              .printf(
                  "%s  %s v%d  by %s: %s%n",
                  a.at(), a.name(), a.version(), a.approvedBy(), a.reason());
        }
      }
      return Credo.OK;
    }
  }
}
