package org.credo.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.credo.Fixtures.ALICE;

import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.credo.Fixtures;
import org.credo.policy.Policy;
import org.credo.records.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Between two consecutive change points nothing about a score changes: at any instant, the score
 * equals the score at the last change point before it (apart from the instant itself). Checked over
 * seeded random histories — late records, corrections, retractions, black-list notices, expiries —
 * for the shipped policies whose score does not read a record's age.
 */
class ChangePointsTest {
  static final int SEEDS = 200;

  @ParameterizedTest
  @ValueSource(strings = {"rongcheng-style", "sesame-style"})
  void aScoreIsTheSameFromOneChangePointToTheNext(String name) {
    Policy policy = Fixtures.example(name);
    assertThat(ChangePoints.continuous(policy)).isFalse();
    int compared = 0;
    for (int seed = 0; seed < SEEDS; seed++) {
      Random random = new Random(seed);
      List<Record> records = ScoringPropertiesTest.history(policy, random);
      long[] points = ChangePoints.all(policy, records);
      for (int k = 0; k < 20; k++) {
        Instant at =
            ScoringPropertiesTest.between(
                random, ScoringPropertiesTest.START, Instant.parse("2035-01-01T00:00:00Z"));
        int i = ChangePoints.after(points, at.toEpochMilli());
        if (i == 0) {
          continue; // before anything was known
        }
        Instant last = Instant.ofEpochMilli(points[i - 1]);
        assertThat(view(Scorer.score(policy, ALICE, records, at, at)))
            .as("seed %d: at %s, last change point %s", seed, at, last)
            .isEqualTo(view(Scorer.score(policy, ALICE, records, last, last)));
        compared++;
      }
    }
    assertThat(compared).isGreaterThan(SEEDS * 10);
  }

  @Test
  void aPolicyThatReadsARecordsAgeChangesContinuously() {
    assertThat(ChangePoints.continuous(Fixtures.example("bureau-style"))).isTrue();
  }

  /** Everything a score says, but the instant it was made at. */
  static String view(Score s) {
    StringBuilder b = new StringBuilder();
    b.append(s.hasNumber() ? s.value() : "none").append(' ');
    b.append(s.hasNumber() ? s.grade() : "").append(' ');
    b.append(s.noScore().map(NoScore::code).orElse("")).append('\n');
    s.lists()
        .forEach(
            e ->
                b.append(e.list())
                    .append(' ')
                    .append(e.recordKey().orElse("(score)"))
                    .append(' ')
                    .append(e.inEffectAt(s.asOf()))
                    .append(' ')
                    .append(e.recordKey().isPresent() ? e.effectiveFrom() : "")
                    .append(' ')
                    .append(e.until().orElse(null))
                    .append('\n'));
    s.contributions()
        .forEach(
            c ->
                b.append(c.record().key())
                    .append(' ')
                    .append(c.status())
                    .append(' ')
                    .append(c.points())
                    .append('\n'));
    s.reasonCodes().forEach(r -> b.append(r).append('\n'));
    s.factors().forEach(f -> b.append(f).append('\n'));
    return b.toString();
  }
}
