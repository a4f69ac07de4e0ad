package org.credo.cli;

import java.util.Locale;
import org.credo.decisions.Decision;
import org.credo.lists.ListEntry;
import org.credo.scoring.Contribution;
import org.credo.scoring.FactorResult;
import org.credo.scoring.ReasonCode;
import org.credo.scoring.Score;

/** Renders scores and decisions as the readable report a subject is entitled to. */
final class ScoreText {
  private ScoreText() {}

  static String render(Score s) {
    return render(s, java.util.Set.of());
  }

  /** A score, its contributions from records under open dispute marked "[disputed]". */
  static String render(Score s, java.util.Set<String> disputed) {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "%s under %s%n", s.subject(), s.policy()));
    b.append(
        String.format(
            Locale.ROOT,
            "  as of %s, as known at %s%n",
            s.asOf().truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
            s.knownAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)));
    if (s.hasNumber()) {
      b.append(
          String.format(
              Locale.ROOT,
              "  score %s (scale %s to %s), grade %s%n",
              num(s.value()),
              num(s.scaleMin()),
              num(s.scaleMax()),
              s.grade()));
    } else {
      var why = s.noScore().get();
      b.append(
          String.format(
              Locale.ROOT,
              "  %s: no score and no grade (%s)%n    %s%n",
              why.isScoreFree() ? "score-free" : "unscorable",
              why.code(),
              why.reason()));
    }
    if (s.lists().isEmpty()) {
      b.append("  lists: none\n");
    } else {
      b.append("  lists:\n");
      for (ListEntry e : s.lists()) {
        b.append(
            String.format(
                Locale.ROOT,
                "    %s list %s: %s from %s%s%n      basis: %s%n",
                e.kind().word(),
                e.list(),
                e.inEffectAt(s.asOf()) ? "in effect" : "in notice period, takes effect",
                e.inEffectAt(s.asOf()) ? e.effectiveFrom() : e.effectiveFrom(),
                e.until().map(u -> " until " + u).orElse(""),
                e.basis()));
      }
    }
    if (!s.factors().isEmpty() && s.hasNumber()) {
      b.append("  factors:\n");
      for (FactorResult f : s.factors()) {
        if (!f.participating()) {
          b.append(
              String.format(
                  Locale.ROOT,
                  "    %-22s weight %4.2f  opt-in, not taking part: counts neither way  %s%n",
                  f.name(),
                  f.weight(),
                  f.label()));
          continue;
        }
        b.append(
            String.format(
                Locale.ROOT,
                "    %-22s weight %4.2f  signal %4.2f  +%7s  (%d records) %s%n",
                f.name(),
                f.weight(),
                f.signal(),
                num(f.points()),
                f.records(),
                f.label()));
      }
    }
    b.append("  reason codes:");
    if (s.reasonCodes().isEmpty()) {
      b.append(" none\n");
    } else {
      b.append('\n');
      for (ReasonCode r : s.reasonCodes()) {
        b.append(
            String.format(Locale.ROOT, "    %-34s %8s  %s%n", r.code(), num(r.points()), r.text()));
      }
    }
    b.append(
        String.format(Locale.ROOT, "  contributions (%d records):%n", s.contributions().size()));
    for (Contribution c : s.contributions()) {
      b.append(
          String.format(
              Locale.ROOT,
              "    %s  %-34s %8s  %-12s %s%s%s%n",
              c.record().occurred().toString().substring(0, 10),
              c.record().type().value(),
              num(c.points()),
              c.status().name().toLowerCase(Locale.ROOT),
              c.record().key(),
              c.capped() ? " (uncapped " + num(c.uncappedPoints()) + ")" : "",
              disputed.contains(c.record().key()) ? " [disputed]" : ""));
    }
    for (String note : s.notes()) {
      b.append("  note: ").append(note).append('\n');
    }
    return b.toString();
  }

  static String render(Decision d) {
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "%s for %s: %s (under %s, valid until %s)%n",
            d.purpose(),
            d.subject(),
            d.outcome().toUpperCase(Locale.ROOT),
            d.policy(),
            d.validUntil()));
    for (ReasonCode r : d.reasonCodes()) {
      b.append(String.format(Locale.ROOT, "  %-24s %s%n", r.code(), r.text()));
    }
    d.disclosed()
        .score()
        .ifPresent(v -> b.append("  discloses score ").append(num(v)).append('\n'));
    d.disclosed().grade().ifPresent(g -> b.append("  discloses grade ").append(g).append('\n'));
    d.disclosed().lists().ifPresent(l -> b.append("  discloses lists ").append(l).append('\n'));
    d.disclosed().factors().ifPresent(f -> b.append("  discloses factors ").append(f).append('\n'));
    return b.toString();
  }

  static String num(double v) {
    double r = Math.round(v * 100) / 100.0;
    return r == Math.rint(r) ? Long.toString((long) r) : Double.toString(r);
  }
}
