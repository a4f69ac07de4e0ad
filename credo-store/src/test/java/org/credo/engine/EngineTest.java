package org.credo.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.credo.records.Record;
import org.credo.records.RecordType;
import org.credo.records.SourceId;
import org.credo.scoring.Score;
import org.credo.store.Store;
import org.credo.subject.SubjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineTest {
  static final SubjectId ALICE = SubjectId.parse("person:370102199001011231");
  static final String POLICY =
      """
      policy: city
      version: %d
      subjects: [person]
      scale: {kind: points, base: 100, min: 0, max: 200}
      rules: [{type: traffic.red_light, domain: public_order, points: %d, expires: P2Y}]
      grades: [{grade: A, min: 0}]
      """;

  static Instant t(String day) {
    return Instant.parse(day + "T00:00:00Z");
  }

  @Test
  void replaysUnderThePolicyVersionActiveWhenTheDecisionWasMade(@TempDir Path dir)
      throws Exception {
    try (Store store = Store.openFolder(dir.resolve("s"), true)) {
      Engine engine = new Engine(store);
      engine.activate("v1", POLICY.formatted(1, -5), t("2026-01-01"));
      engine.activate("v2", POLICY.formatted(2, -10), t("2026-06-01"));
      store.append(
          List.of(
              new Record(
                  SourceId.of("police"),
                  "t1",
                  ALICE,
                  RecordType.of("traffic.red_light"),
                  t("2026-02-01"),
                  t("2026-02-02"),
                  Map.of(),
                  Optional.empty(),
                  Optional.empty(),
                  Optional.empty())));
      Score then = engine.scores(ALICE, t("2026-03-01"), t("2026-03-01")).get(0);
      assertThat(then.policy().version()).isEqualTo(1);
      assertThat(then.value()).isEqualTo(95);
      Score marchAsKnownNow = engine.scores(ALICE, t("2026-03-01"), t("2026-11-22")).get(0);
      assertThat(marchAsKnownNow.policy().version()).isEqualTo(2);
      assertThat(marchAsKnownNow.value()).isEqualTo(90);
      assertThat(engine.scores(ALICE, t("2025-03-01"), t("2025-03-01"))).isEmpty();
      Distribution d =
          engine.distribution(engine.activePolicies(t("2026-11-22")).get(0), t("2026-11-22"));
      assertThat(d.subjects()).isEqualTo(1);
      assertThat(d.records()).isEqualTo(1);
      assertThat(d.mean()).isEqualTo(90);
      assertThat(d.grades()).containsEntry("A", 1L);
      assertThat(d.histogram()).hasSize(Distribution.HISTOGRAM_BINS);
      assertThat(d.histogram()[45]).as("90 on 0..200 in bins of 2").isEqualTo(1);
    }
  }
}
