package org.credo.generate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.credo.policy.Policy;
import org.credo.policy.PolicyLoader;
import org.credo.records.Record;
import org.credo.records.RecordJson;
import org.credo.scoring.Score;
import org.credo.scoring.Scorer;
import org.credo.store.Catalogues;
import org.credo.subject.SubjectId;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The generated population looks like the real systems under the shipped policies (issue 21, item
 * 3): bureau-style's band shares of scored persons within 5 points of FICO's national distribution,
 * with the bad rate (a serious delinquency, default or judgment in the following year) falling band
 * by band; sesame-style centred in 600–700 with a long upper tail; rongcheng-style mostly A with a
 * B–D tail.
 */
class RealisticPopulationTest {
  static final Instant NOW = Instant.parse("2026-11-22T00:00:00Z");
  static final Instant YEAR_AGO = NOW.atZone(ZoneOffset.UTC).minusYears(1).toInstant();
  static final int SUBJECTS = 20_000;

  /** FICO's bands (Federal Reserve, 2007, table 1) and the shares of scorable consumers in each. */
  static final double[] FICO_FROM = {300, 500, 550, 600, 650, 700, 750, 800};

  static final double[] FICO_SHARE = {0.02, 0.05, 0.08, 0.12, 0.15, 0.18, 0.27, 0.13};

  static final Set<String> BAD =
      Set.of(
          "account.late_90",
          "account.collection",
          "account.charge_off",
          "loan.default",
          "court.civil_judgment",
          "court.judgment_defaulter",
          "court.bankruptcy");

  static final Map<SubjectId, List<Record>> PEOPLE = new LinkedHashMap<>();

  @BeforeAll
  static void generate() {
    Population.write(
        SUBJECTS,
        1,
        NOW,
        line -> {
          Record r = RecordJson.parse(line, Optional.empty(), null, NOW);
          PEOPLE.computeIfAbsent(r.subject(), k -> new ArrayList<>()).add(r);
        });
  }

  static Policy policy(String name) throws Exception {
    return PolicyLoader.load(
        name,
        Files.readString(Path.of("..", "policies", name + ".yaml")),
        Catalogues.shipped().firewall());
  }

  @Test
  void bureauBandsAreFicosAndTheBadRateFallsBandByBand() throws Exception {
    Policy bureau = policy("bureau-style");
    long[] bands = new long[FICO_FROM.length];
    long scored = 0;
    long persons = 0;
    // Bad rate by the score a year ago: FICO's table 2 bands.
    double[] from = {300, 520, 560, 600, 640, 680, 720};
    long[] n = new long[from.length];
    long[] bad = new long[from.length];
    for (var e : PEOPLE.entrySet()) {
      if (!bureau.subjects().contains(e.getKey().kind())) {
        continue;
      }
      persons++;
      Score now = Scorer.score(bureau, e.getKey(), e.getValue(), NOW, NOW);
      if (now.hasNumber()
          && now.value() < 500
          && System.getProperty("diag") != null
          && scored % 20 == 0) {
        System.out.println(
            "LOW "
                + now.value()
                + " "
                + e.getValue().stream()
                    .filter(r -> r.type().value().startsWith("account"))
                    .map(r -> r.type().value() + "@" + r.occurred().toString().substring(0, 10))
                    .toList());
      }
      if (now.hasNumber()) {
        scored++;
        bands[band(FICO_FROM, now.value())]++;
      }
      Score then = Scorer.score(bureau, e.getKey(), e.getValue(), YEAR_AGO, YEAR_AGO);
      if (then.hasNumber()) {
        int b = band(from, then.value());
        n[b]++;
        if (e.getValue().stream()
            .anyMatch(
                r ->
                    BAD.contains(r.type().value())
                        && r.occurred().isAfter(YEAR_AGO)
                        && !r.occurred().isAfter(NOW))) {
          bad[b]++;
        }
      }
    }
    StringBuilder shown = new StringBuilder();
    for (int b = 0; b < bands.length; b++) {
      shown.append(
          String.format(
              Locale.ROOT,
              " %s+ %.1f%% (FICO %.0f%%);",
              (int) FICO_FROM[b],
              100.0 * bands[b] / scored,
              100 * FICO_SHARE[b]));
    }
    StringBuilder rates = new StringBuilder();
    for (int b = 0; b < from.length; b++) {
      rates.append(
          String.format(
              Locale.ROOT,
              " %s+ %.1f%% of %d;",
              (int) from[b],
              100.0 * bad[b] / Math.max(1, n[b]),
              n[b]));
    }
    System.out.printf(
        Locale.ROOT,
        "bureau-style: %d of %d persons scored (%.1f%%);%s%n  bad rate next year by score a year ago:%s%n",
        scored,
        persons,
        100.0 * scored / persons,
        shown,
        rates);
    for (int b = 0; b < bands.length; b++) {
      assertThat((double) bands[b] / scored)
          .as("share of band %s+", (int) FICO_FROM[b])
          .isCloseTo(FICO_SHARE[b], org.assertj.core.data.Offset.offset(0.05));
    }
    for (int b = 1; b < from.length; b++) {
      assertThat((double) bad[b] / n[b])
          .as("bad rate of band %s+ against the band below", (int) from[b])
          .isLessThanOrEqualTo((double) bad[b - 1] / n[b - 1]);
    }
  }

  @Test
  void sesameIsCentredIn600To700WithALongUpperTail() throws Exception {
    Policy sesame = policy("sesame-style");
    List<Double> values = new ArrayList<>();
    for (var e : PEOPLE.entrySet()) {
      if (!sesame.subjects().contains(e.getKey().kind())) {
        continue;
      }
      Score s = Scorer.score(sesame, e.getKey(), e.getValue(), NOW, NOW);
      if (s.hasNumber()) {
        values.add(s.value());
      }
    }
    java.util.Collections.sort(values);
    int n = values.size();
    double median = values.get(n / 2);
    double p90 = values.get(n * 9 / 10);
    double max = values.get(n - 1);
    long middle = values.stream().filter(v -> v >= 600 && v < 700).count();
    long top = values.stream().filter(v -> v >= 750).count();
    System.out.printf(
        Locale.ROOT,
        "sesame-style: %d scored, median %.0f, p90 %.0f, max %.0f, 600-700 %.1f %%, 750+ %.1f %%%n",
        n,
        median,
        p90,
        max,
        100.0 * middle / n,
        100.0 * top / n);
    assertThat(median).isBetween(600.0, 700.0);
    assertThat(middle / (double) n).isGreaterThan(0.45);
    // a long upper tail: a few reach far above the bulk; few fall far below it
    assertThat(top / (double) n).isBetween(0.005, 0.15);
    assertThat(max - p90).isGreaterThan(2 * (p90 - median));
    assertThat(values.stream().filter(v -> v < 500).count() / (double) n).isLessThan(0.05);
  }

  @Test
  void rongchengIsMostlyAWithATailBelow() throws Exception {
    Policy city = policy("rongcheng-style");
    Map<String, Long> grades = new LinkedHashMap<>();
    long scored = 0;
    for (var e : PEOPLE.entrySet()) {
      Score s = Scorer.score(city, e.getKey(), e.getValue(), NOW, NOW);
      if (s.hasNumber()) {
        scored++;
        grades.merge(s.grade().name(), 1L, Long::sum);
      }
    }
    System.out.printf(Locale.ROOT, "rongcheng-style: %d scored, grades %s%n", scored, grades);
    long tail =
        grades.getOrDefault("B", 0L) + grades.getOrDefault("C", 0L) + grades.getOrDefault("D", 0L);
    assertThat(grades.getOrDefault("A", 0L) / (double) scored).isGreaterThan(0.6);
    assertThat(tail / (double) scored).isBetween(0.02, 0.25);
    assertThat(grades.getOrDefault("D", 0L)).isPositive();
  }

  static int band(double[] from, double v) {
    int b = 0;
    while (b + 1 < from.length && v >= from[b + 1]) {
      b++;
    }
    return b;
  }
}
