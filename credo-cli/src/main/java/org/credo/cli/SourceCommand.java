package org.credo.cli;

import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import org.credo.app.Refusal;
import org.credo.app.sources.SourceOutcome;
import org.credo.app.sources.Sources;
import org.credo.disputes.SourceQuality;
import org.credo.records.SourceId;
import org.credo.store.SourceRegistration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code credo source add|list}. */
@Command(
    name = "source",
    description = "Register data providers and the record types they may submit.",
    subcommands = {
      SourceCommand.Add.class,
      SourceCommand.ListSources.class,
      SourceCommand.Stats.class,
      SourceCommand.Suspend.class,
      SourceCommand.Resume.class
    })
final class SourceCommand implements Runnable {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "add", description = "Register a source, or change the types it may submit.")
  static final class Add implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Mixin DataOption data;

    @Parameters(index = "0", paramLabel = "ID", description = "the source id, e.g. city-bank")
    String id;

    @Option(
        names = "--types",
        required = true,
        split = ",",
        paramLabel = "PREFIX",
        description = "record type prefixes it may submit, e.g. bank,loan or court")
    List<String> types;

    @Option(
        names = "--kind",
        paramLabel = "KIND",
        description =
            "what kind of body it is (court, bank, lender, bureau, utility, police, regulator,"
                + " platform, registry, identity, licensing_authority): each catalogued type names"
                + " the kinds that may submit it")
    String kind;

    @Override
    public Integer call() {
      SourceRegistration source;
      try {
        source =
            new SourceRegistration(
                SourceId.of(id), types, Credo.clock.instant(), java.util.Optional.ofNullable(kind));
      } catch (IllegalArgumentException e) {
        throw new BadInput(e.getMessage());
      }
      try (CliApplication cli = CliApplication.open(data)) {
        var outcome = cli.app().sources().register(CliAudit.CALLER, source);
        if (outcome instanceof org.credo.app.sources.SourceOutcome.OutsideCatalogue outside) {
          throw new BadInput(outside.message());
        }
      }
      spec.commandLine()
          .getOut()
          .printf(
              "source %s may submit %s%n", source.id(), String.join(", ", source.typePrefixes()));
      return Credo.OK;
    }
  }

  @Command(name = "list", description = "List the registered sources.")
  static final class ListSources implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Mixin DataOption data;

    @Override
    public Integer call() {
      try (CliApplication cli = CliApplication.open(data)) {
        for (SourceRegistration s : cli.app().sources().registered()) {
          spec.commandLine()
              .getOut()
              .printf(
                  "%-24s %-20s %s%n",
                  s.id(), s.kind().orElse("(no kind)"), String.join(", ", s.typePrefixes()));
        }
      }
      return Credo.OK;
    }
  }

  @Command(
      name = "stats",
      description =
          "Source accountability: records, disputes (open, upheld, rejected, expired), upheld rate"
              + " (upheld ÷ answered), median answer time, review flags.")
  static final class Stats implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Mixin DataOption data;

    @Option(
        names = "--threshold",
        description =
            "flag a source whose upheld rate is above this (default: the setting"
                + " sources.review-threshold, as the server reads it: 0.2 unless configured)")
    Double threshold;

    @Option(
        names = "--min-disputes",
        description =
            "answered disputes before a rate is judged (default: the setting"
                + " sources.review-minimum: 10 unless configured)")
    Integer minDisputes;

    @Override
    public Integer call() {
      try (CliApplication cli = CliApplication.open(data)) {
        Sources.Accountability quality;
        try {
          quality =
              cli.app()
                  .sources()
                  .accountability(
                      threshold == null ? OptionalDouble.empty() : OptionalDouble.of(threshold),
                      minDisputes == null ? OptionalInt.empty() : OptionalInt.of(minDisputes));
        } catch (IllegalArgumentException e) {
          throw new BadInput(e.getMessage());
        }
        java.io.PrintWriter out = spec.commandLine().getOut();
        out.printf(
            "%-24s %10s %8s %6s %7s %8s %7s %8s %12s  %s%n",
            "source",
            "records",
            "disputes",
            "open",
            "upheld",
            "rejected",
            "expired",
            "rate",
            "median ans.",
            "status");
        for (SourceQuality.Report r : quality.sources()) {
          out.printf(
              java.util.Locale.ROOT,
              "%-24s %10d %8d %6d %7d %8d %7d %7.1f%% %12s  %s%n",
              r.source(),
              r.records(),
              r.disputes(),
              r.open(),
              r.upheld(),
              r.rejected(),
              r.expired(),
              r.upheldRate() * 100,
              r.medianAnswerSeconds().isPresent()
                  ? String.format(
                      java.util.Locale.ROOT,
                      "%.1f d",
                      r.medianAnswerSeconds().getAsDouble() / 86400)
                  : "-",
              r.suspended().isPresent()
                  ? "SUSPENDED (" + r.suspensionReason().orElse("") + ")"
                  : r.flagged() ? "FLAGGED for review" : "ok");
        }
      }
      return Credo.OK;
    }
  }

  @Command(
      name = "suspend",
      description = "Suspend a source: its new records are stored but held, not scored.")
  static final class Suspend implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Mixin DataOption data;

    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Option(names = "--reason", required = true, description = "why, for the record")
    String reason;

    @Override
    public Integer call() {
      try (CliApplication cli = CliApplication.open(data)) {
        SourceOutcome.Suspended done =
            done(
                cli.app()
                    .sources()
                    .suspend(CliAudit.CALLER, valid(id), reason, Credo.clock.instant()));
        spec.commandLine().getOut().printf("source %s suspended: %s%n", done.source(), reason);
      }
      return Credo.OK;
    }
  }

  @Command(name = "resume", description = "End a suspension; the held records count from now on.")
  static final class Resume implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Mixin DataOption data;

    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Override
    public Integer call() {
      try (CliApplication cli = CliApplication.open(data)) {
        SourceOutcome.Resumed done =
            done(cli.app().sources().resume(CliAudit.CALLER, valid(id), Credo.clock.instant()));
        spec.commandLine()
            .getOut()
            .printf(
                "source %s resumed; %d held records released%n", done.source(), done.released());
      }
      return Credo.OK;
    }
  }

  private static String valid(String id) {
    try {
      return SourceId.of(id).value();
    } catch (IllegalArgumentException e) {
      throw new BadInput(e.getMessage());
    }
  }

  /** What a change gave; a refusal is exit 2 with its reason, as any bad input. */
  @SuppressWarnings("unchecked")
  private static <T extends SourceOutcome> T done(SourceOutcome outcome) {
    if (outcome instanceof Refusal r) {
      throw new BadInput(r.message());
    }
    return (T) outcome;
  }
}
