package org.credo.cli;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.credo.app.fairness.FairnessOutcome;
import org.credo.app.fairness.FairnessReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code credo fairness report}. */
@Command(
    name = "fairness",
    description = "The fairness audit: how scores and decisions fall on age bands, sexes, regions.",
    subcommands = {FairnessCommand.Report.class})
final class FairnessCommand implements Runnable {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "report",
      description =
          "Score every subject under the active policies (or --policy) and show, by age band, sex"
              + " and region (derived from identifiers at intake, kept apart under their own key):"
              + " per purpose the selection rate, the adverse-impact ratio to the most favoured"
              + " group with the four-fifths flag and a two-proportion z-test; mean score and grade"
              + " shares; and the rules that drive a gap. Groups under 30 subjects are too small to"
              + " judge. The report is audited.")
  static final class Report implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @picocli.CommandLine.Mixin DataOption data;

    @Option(names = "--policy", paramLabel = "POLICY", description = "one active policy's id")
    String policy;

    @Option(names = "--as-of", paramLabel = "T", description = "score as of T (default: now)")
    String asOf;

    @Option(names = "--json", description = "print the report as JSON")
    boolean json;

    @Override
    public Integer call() {
      Instant now = Credo.clock.instant();
      Instant at = asOf == null ? now : Inputs.time("--as-of", asOf);
      try (CliApplication cli = CliApplication.open(data)) {
        FairnessOutcome outcome =
            cli.app().fairness().report(CliAudit.CALLER, Optional.ofNullable(policy), at, now);
        if (outcome instanceof FairnessOutcome.NoActivePolicy none) {
          throw new BadInput(none.message());
        }
        FairnessReport report = ((FairnessOutcome.Reported) outcome).report();
        if (json) {
          spec.commandLine().getOut().println(Wire.pretty(report));
        } else {
          print(spec.commandLine().getOut(), report);
        }
      } catch (org.credo.store.StoreException e) {
        throw new BadInput(e.getMessage());
      }
      return Credo.OK;
    }
  }

  static void print(PrintWriter out, FairnessReport r) {
    out.printf(
        Locale.ROOT,
        "fairness as of %s: %,d subjects, %,d with attributes on file (groups under %d are too"
            + " small to judge)%n",
        r.asOf(),
        r.subjects(),
        r.withAttributes(),
        r.minGroup());
    for (var p : r.policies()) {
      for (var d : p.dimensions()) {
        out.printf(Locale.ROOT, "%n%s by %s%n", p.policy(), d.dimension());
        out.printf(Locale.ROOT, "  %-20s %9s %9s %10s%n", "group", "subjects", "scored", "mean");
        for (var g : d.groups()) {
          out.printf(
              Locale.ROOT,
              "  %-20s %,9d %,9d %10s%s%n",
              g.group(),
              g.subjects(),
              g.scored(),
              g.meanScore() == null ? "-" : String.format(Locale.ROOT, "%.1f", g.meanScore()),
              g.group().equals(org.credo.fairness.ProtectedAttributes.UNKNOWN)
                  ? "  (attributes not known: not compared)"
                  : g.tooSmall() ? "  (too small to judge)" : "");
        }
        for (var purpose : d.purposes()) {
          out.printf(
              Locale.ROOT,
              "  purpose %s (most favoured: %s)%n",
              purpose.purpose(),
              purpose.mostFavoured() == null ? "none" : purpose.mostFavoured());
          for (var rate : purpose.groups()) {
            out.printf(
                Locale.ROOT,
                "    %-20s %,7d of %,7d allowed  %s%n",
                rate.group(),
                rate.selected(),
                rate.decided(),
                rate.rate() == null
                    ? rate.judgement()
                    : String.format(
                        Locale.ROOT,
                        "rate %.3f  ratio %s  p %s  %s",
                        rate.rate(),
                        rate.impactRatio() == null
                            ? "-"
                            : String.format(Locale.ROOT, "%.3f", rate.impactRatio()),
                        rate.pValue() == null
                            ? "-"
                            : String.format(Locale.ROOT, "%.4f", rate.pValue()),
                        rate.judgement()));
          }
        }
        if (!d.rules().isEmpty()) {
          out.println("  rules driving a gap (points lost per subject, by group):");
          for (var gap : d.rules()) {
            StringBuilder b = new StringBuilder();
            gap.pointsLostPerSubject()
                .forEach((g, v) -> b.append(String.format(Locale.ROOT, " %s %.2f;", g, v)));
            out.printf(Locale.ROOT, "    %-32s gap %.2f:%s%n", gap.rule(), gap.gap(), b);
          }
        }
      }
    }
  }
}
