package org.credo.cli;

import java.io.PrintWriter;
import java.util.List;
import org.credo.app.policies.SimulationOutcome;
import org.credo.app.policies.SimulationReport;

/** {@code credo policy simulate}'s report as text. */
final class SimulationText {
  private SimulationText() {}

  static void print(PrintWriter out, SimulationOutcome.Simulated s) {
    SimulationReport r = s.report();
    out.printf(
        "simulation %s: %s against %s, as of %s%n",
        s.id(), r.policy(), r.against() == null ? "nothing active" : r.against(), r.asOf());
    out.printf("report sha256 %s (in the audit log)%n", s.reportSha256());
    out.printf("%d subjects, %d records%n%n", r.subjects(), r.records());

    out.println("grades, before (rows) → after (columns):");
    List<String> columns = columns(r);
    StringBuilder head = new StringBuilder(String.format("  %-12s", ""));
    columns.forEach(c -> head.append(String.format(" %10s", c)));
    out.println(head);
    r.grades()
        .forEach(
            (before, row) -> {
              StringBuilder line = new StringBuilder(String.format("  %-12s", before));
              columns.forEach(c -> line.append(String.format(" %10d", row.getOrDefault(c, 0L))));
              out.println(line);
            });

    var shift = r.shift();
    out.printf(
        "%nscores: %d of %d subjects scored before and after moved (%d up, %d down), mean shift"
            + " %+.2f%n",
        shift.moved(), shift.compared(), shift.up(), shift.down(), shift.mean());
    if (!shift.percentiles().isEmpty()) {
      StringBuilder p = new StringBuilder("  shift");
      shift.percentiles().forEach((k, v) -> p.append(String.format("  %s %+.2f", k, v)));
      out.println(p);
      long most = shift.histogram().stream().mapToLong(b -> b.subjects()).max().orElse(1);
      for (var bin : shift.histogram()) {
        if (bin.subjects() > 0) {
          out.printf(
              "  [%+8.2f, %+8.2f) %8d %s%n",
              bin.from(),
              bin.to(),
              bin.subjects(),
              "#".repeat((int) Math.max(1, 40 * bin.subjects() / most)));
        }
      }
    }

    out.println();
    if (r.lists().isEmpty()) {
      out.println("lists: no subject is on a list before or after");
    }
    for (var l : r.lists()) {
      out.printf(
          "%s list %s: %d → %d subjects (%d enter, %d leave)%n",
          l.kind(), l.list(), l.before(), l.after(), l.added(), l.removed());
    }

    out.println();
    for (var d : r.decisions()) {
      out.printf("purpose %s: %d of %d answers change", d.purpose(), d.flipped(), d.decided());
      d.flips().forEach((f, n) -> out.printf("; %s %d", f, n));
      out.println();
    }

    if (!r.reasonCodes().isEmpty()) {
      out.println();
      out.println("reason codes, subjects before → after:");
      r.reasonCodes()
          .forEach(c -> out.printf("  %-40s %8d → %d%n", c.code(), c.before(), c.after()));
    }

    out.println();
    out.println("rules, records counted before → after:");
    for (var rule : r.rules()) {
      out.printf(
          "  %-40s %8s → %-8s%s%s%n",
          rule.type(),
          rule.before() < 0 ? "-" : Long.toString(rule.before()),
          rule.after() < 0 ? "-" : Long.toString(rule.after()),
          rule.changed().isEmpty() ? "" : " changed: " + String.join(", ", rule.changed()),
          rule.neverFires() ? " (never fires)" : "");
    }

    out.println();
    long flagged = r.fairness().stream().filter(f -> f.fourFifthsAfter()).count();
    long newly =
        r.fairness().stream().filter(f -> f.fourFifthsAfter() && !f.fourFifthsBefore()).count();
    out.printf(
        "fairness: %d group-purpose pairs judged, %d under four fifths after, %d of them newly%n",
        r.fairness().size(), flagged, newly);
    for (var f : r.fairness()) {
      boolean moved = f.rateBefore() == null || Math.abs(f.rateAfter() - f.rateBefore()) >= 0.005;
      if (f.fourFifthsAfter() != f.fourFifthsBefore() || (moved && f.fourFifthsAfter())) {
        out.printf(
            "  %s %s, %s: selection %s → %.3f, ratio %s → %s%s%n",
            f.dimension(),
            f.group(),
            f.purpose(),
            f.rateBefore() == null ? "-" : String.format("%.3f", f.rateBefore()),
            f.rateAfter(),
            f.ratioBefore() == null ? "-" : String.format("%.3f", f.ratioBefore()),
            f.ratioAfter() == null ? "-" : String.format("%.3f", f.ratioAfter()),
            f.fourFifthsAfter() && !f.fourFifthsBefore() ? "  NEWLY UNDER FOUR FIFTHS" : "");
      }
    }

    if (!r.sample().isEmpty()) {
      out.println();
      out.println("sample of subjects who change (by pseudonym):");
      for (var d : r.sample()) {
        out.printf(
            "  %s…  %s → %s", d.subject().substring(0, 16), side(d.before()), side(d.after()));
        d.rules().forEach(x -> out.printf("; %s %+.2f → %+.2f", x.type(), x.before(), x.after()));
        out.println();
      }
    }
  }

  private static String side(SimulationReport.Side s) {
    String v = s.value() == null ? s.grade() : String.format("%.2f %s", s.value(), s.grade());
    return s.lists().isEmpty() ? v : v + " " + s.lists();
  }

  /** Every grade that occurs after, in the report's grade order. */
  private static List<String> columns(SimulationReport r) {
    java.util.Set<String> seen = new java.util.HashSet<>();
    r.grades().values().forEach(row -> seen.addAll(row.keySet()));
    return r.gradeOrder().stream().filter(seen::contains).toList();
  }
}
