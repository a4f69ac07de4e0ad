package org.credo.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.credo.Fixtures.ALICE;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.credo.Fixtures;
import org.credo.policy.AttributeType;
import org.credo.policy.Cap;
import org.credo.policy.Policy;
import org.credo.policy.Rule;
import org.credo.records.Record;
import org.credo.records.SourceId;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Properties of the scoring core, each checked over many seeded random histories under each example
 * policy. A failure names its seed, so it can be replayed.
 */
class ScoringPropertiesTest {
  static final int SEEDS = 300;
  static final Instant START = Instant.parse("2014-01-01T00:00:00Z");
  static final Instant END = Instant.parse("2026-11-22T00:00:00Z");
  static final List<String> SOURCES = List.of("bank", "court", "utility", "registry");

  /** A random history: records of the policy's types, some corrected, some retracted. */
  static List<Record> history(Policy policy, Random random) {
    List<Record> records = new ArrayList<>();
    int n = random.nextInt(60);
    for (int i = 0; i < n; i++) {
      Rule rule = policy.rules().get(random.nextInt(policy.rules().size()));
      Instant occurred = between(random, START, END);
      Instant learned = occurred.plus(Duration.ofDays(random.nextInt(90)));
      Map<String, Object> attributes = new HashMap<>();
      rule.attributes().forEach((name, type) -> attributes.put(name, value(type, random)));
      String source = SOURCES.get(random.nextInt(SOURCES.size()));
      Optional<String> supersedes = Optional.empty();
      Optional<String> retracts = Optional.empty();
      if (!records.isEmpty() && random.nextInt(10) == 0) {
        Record target = records.get(random.nextInt(records.size()));
        source = target.source().value();
        if (random.nextBoolean()) {
          supersedes = Optional.of(target.id());
        } else {
          retracts = Optional.of(target.id());
        }
      }
      records.add(
          new Record(
              SourceId.of(source),
              "r" + i,
              ALICE,
              rule.type(),
              occurred,
              learned,
              attributes,
              Optional.empty(),
              supersedes,
              retracts));
    }
    return records;
  }

  static Object value(AttributeType type, Random random) {
    return switch (type) {
      case NUMBER -> (double) random.nextInt(120);
      case STRING -> "s" + random.nextInt(3);
      case BOOL -> random.nextBoolean();
    };
  }

  static Instant between(Random random, Instant from, Instant to) {
    long span = to.getEpochSecond() - from.getEpochSecond();
    return from.plusSeconds((long) (random.nextDouble() * span));
  }

  @ParameterizedTest
  @ValueSource(strings = {"rongcheng-style", "sesame-style", "bureau-style"})
  void scoreNeverLeavesItsScale(String name) {
    Policy policy = Fixtures.example(name);
    for (int seed = 0; seed < SEEDS; seed++) {
      Random random = new Random(seed);
      List<Record> records = history(policy, random);
      Instant asOf = between(random, START, END);
      Score s = Scorer.score(policy, ALICE, records, asOf, END);
      assertThat(s.value()).as("seed %d", seed).isBetween(s.scaleMin(), s.scaleMax());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"rongcheng-style", "sesame-style", "bureau-style"})
  void recordOrderNeverChangesTheResult(String name) {
    Policy policy = Fixtures.example(name);
    for (int seed = 0; seed < SEEDS; seed++) {
      Random random = new Random(seed);
      List<Record> records = history(policy, random);
      Score before = Scorer.score(policy, ALICE, records, END, END);
      List<Record> shuffled = new ArrayList<>(records);
      Collections.shuffle(shuffled, random);
      Score after = Scorer.score(policy, ALICE, shuffled, END, END);
      assertThat(after).as("seed %d", seed).isEqualTo(before);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"rongcheng-style", "sesame-style", "bureau-style"})
  void sameInputsAlwaysGiveTheSameOutput(String name) {
    Policy policy = Fixtures.example(name);
    for (int seed = 0; seed < SEEDS; seed++) {
      List<Record> a = history(policy, new Random(seed));
      List<Record> b = history(policy, new Random(seed));
      assertThat(Scorer.score(policy, ALICE, b, END, END))
          .as("seed %d", seed)
          .isEqualTo(Scorer.score(policy, ALICE, a, END, END));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"rongcheng-style", "sesame-style", "bureau-style"})
  void aRecordWhoseRuleExpiredChangesNothing(String name) {
    Policy policy = Fixtures.example(name);
    for (int seed = 0; seed < SEEDS; seed++) {
      Random random = new Random(seed);
      List<Record> records = history(policy, random);
      Instant asOf = between(random, Instant.parse("2024-06-01T00:00:00Z"), END);
      Rule rule = policy.rules().get(random.nextInt(policy.rules().size()));
      Instant occurred =
          rule.expires().subtractFrom(asOf).minus(Duration.ofDays(random.nextInt(400)));
      Map<String, Object> attributes = new HashMap<>();
      rule.attributes().forEach((n, type) -> attributes.put(n, value(type, random)));
      Record old =
          new Record(
              SourceId.of("archive"),
              "old",
              ALICE,
              rule.type(),
              occurred,
              occurred,
              attributes,
              Optional.empty(),
              Optional.empty(),
              Optional.empty());
      Score without = Scorer.score(policy, ALICE, records, asOf, END);
      List<Record> more = new ArrayList<>(records);
      more.add(old);
      Score with = Scorer.score(policy, ALICE, more, asOf, END);
      assertThat(with.value()).as("seed %d", seed).isEqualTo(without.value());
      assertThat(with.lists()).as("seed %d", seed).isEqualTo(without.lists());
      assertThat(with.reasonCodes()).as("seed %d", seed).isEqualTo(without.reasonCodes());
      assertThat(with.factors()).as("seed %d", seed).isEqualTo(without.factors());
      assertThat(with.contributions())
          .filteredOn(c -> c.record().equals(old))
          .singleElement()
          .extracting(Contribution::status)
          .isEqualTo(ContributionStatus.EXPIRED);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"rongcheng-style"})
  void aCapIsNeverExceeded(String name) {
    Policy policy = Fixtures.example(name);
    for (int seed = 0; seed < SEEDS; seed++) {
      Random random = new Random(seed);
      List<Record> records = history(policy, random);
      // add bursts of capped positive records so caps bind
      for (int i = 0; i < 40; i++) {
        Instant at = between(random, Instant.parse("2025-01-01T00:00:00Z"), END);
        records.add(
            new Record(
                SourceId.of("registry"),
                "burst" + i,
                ALICE,
                org.credo.records.RecordType.of("volunteer.service_hours"),
                at,
                at,
                Map.of("hours", (double) random.nextInt(80)),
                Optional.empty(),
                Optional.empty(),
                Optional.empty()));
      }
      Score s = Scorer.score(policy, ALICE, records, END, END);
      Map<String, Double> used = new HashMap<>();
      Map<String, Integer> counted = new HashMap<>();
      for (Contribution c : s.contributions()) {
        Rule rule = policy.rule(c.record().type()).orElseThrow();
        if (rule.cap().isEmpty() || !c.status().counts()) {
          continue;
        }
        Cap cap = rule.cap().get();
        String bucket = rule.type() + "@" + cap.per().bucket(c.record().occurred());
        used.merge(bucket, Math.abs(c.points()), Double::sum);
        counted.merge(bucket, 1, Integer::sum);
        assertThat(Math.abs(c.points())).isLessThanOrEqualTo(Math.abs(c.uncappedPoints()) + 1e-9);
        if (cap.points().isPresent()) {
          assertThat(used.get(bucket))
              .as("seed %d %s", seed, bucket)
              .isLessThanOrEqualTo(cap.points().getAsDouble() + 1e-9);
        }
        if (cap.count().isPresent() && c.points() != 0) {
          assertThat(counted.get(bucket))
              .as("seed %d %s", seed, bucket)
              .isLessThanOrEqualTo(cap.count().getAsInt());
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"rongcheng-style", "sesame-style", "bureau-style"})
  void asOfAndKnownAtExcludeLaterRecords(String name) {
    Policy policy = Fixtures.example(name);
    for (int seed = 0; seed < SEEDS; seed++) {
      Random random = new Random(seed);
      List<Record> records = history(policy, random);
      Instant asOf = between(random, START, END);
      Instant knownAt = between(random, START, END);
      Score s = Scorer.score(policy, ALICE, records, asOf, knownAt);
      assertThat(s.contributions())
          .as("seed %d", seed)
          .allSatisfy(
              c -> {
                assertThat(c.record().occurred()).isBeforeOrEqualTo(asOf);
                assertThat(c.record().learned()).isBeforeOrEqualTo(knownAt);
              });
      List<Record> visible =
          records.stream()
              .filter(r -> !r.occurred().isAfter(asOf) && !r.learned().isAfter(knownAt))
              .toList();
      Score fromVisible = Scorer.score(policy, ALICE, visible, asOf, knownAt);
      assertThat(fromVisible).as("seed %d", seed).isEqualTo(s);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"rongcheng-style", "sesame-style", "bureau-style"})
  void aRetractedRecordContributesNothing(String name) {
    Policy policy = Fixtures.example(name);
    for (int seed = 0; seed < SEEDS; seed++) {
      Random random = new Random(seed);
      List<Record> records = history(policy, random);
      List<Record> plain =
          records.stream()
              .filter(r -> r.supersedes().isEmpty() && r.retracts().isEmpty())
              .filter(r -> !r.learned().isAfter(END))
              .filter(
                  r ->
                      records.stream()
                          .noneMatch(
                              o -> o.supersedes().or(o::retracts).equals(Optional.of(r.id()))))
              .toList();
      if (plain.isEmpty()) {
        continue;
      }
      Record target = plain.get(random.nextInt(plain.size()));
      Record retraction =
          new Record(
              target.source(),
              "withdraw",
              ALICE,
              target.type(),
              target.occurred(),
              target.learned(),
              target.attributes(),
              Optional.empty(),
              Optional.empty(),
              Optional.of(target.id()));
      List<Record> with = new ArrayList<>(records);
      with.add(retraction);
      List<Record> without = new ArrayList<>(records);
      without.remove(target);
      Score retracted = Scorer.score(policy, ALICE, with, END, END);
      Score removed = Scorer.score(policy, ALICE, without, END, END);
      assertThat(retracted.value()).as("seed %d", seed).isEqualTo(removed.value());
      assertThat(retracted.lists()).as("seed %d", seed).isEqualTo(removed.lists());
      assertThat(retracted.contributions())
          .filteredOn(c -> c.record().equals(target))
          .singleElement()
          .satisfies(
              c -> {
                assertThat(c.status()).isEqualTo(ContributionStatus.RETRACTED);
                assertThat(c.points()).isZero();
              });
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"rongcheng-style", "sesame-style", "bureau-style"})
  void replayingAsOfTGivesTheDecisionMadeAtT(String name) {
    Policy policy = Fixtures.example(name);
    for (int seed = 0; seed < 100; seed++) {
      Random random = new Random(seed);
      List<Record> records = history(policy, random);
      Instant t = between(random, Instant.parse("2020-01-01T00:00:00Z"), END);
      // what was known at T, decided at T
      List<Record> knownThen = records.stream().filter(r -> !r.learned().isAfter(t)).toList();
      Score then = Scorer.score(policy, ALICE, knownThen, t, t);
      // everything learned since, replayed as of T as known at T
      Score replay = Scorer.score(policy, ALICE, records, t, t);
      for (var purpose : policy.purposes().keySet()) {
        assertThat(org.credo.decisions.Decider.decide(policy, replay, purpose))
            .as("seed %d %s", seed, purpose)
            .isEqualTo(org.credo.decisions.Decider.decide(policy, then, purpose));
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"rongcheng-style", "sesame-style", "bureau-style"})
  void aPurposeSeesExactlyTheContributionsOfItsDomains(String name) {
    Policy policy = Fixtures.example(name);
    for (int seed = 0; seed < 150; seed++) {
      Random random = new Random(seed);
      List<Record> records = history(policy, random);
      Score s = Scorer.score(policy, ALICE, records, between(random, START, END), END);
      for (org.credo.policy.PurposeDefinition purpose : policy.purposes().values()) {
        PurposeView view = PurposeView.of(policy, s, purpose);
        if (policy.scale() instanceof org.credo.policy.Scale.Points points) {
          double total = 0;
          for (Contribution c : s.contributions()) {
            boolean inside =
                c.domain().isPresent()
                    && purpose.domains().stream().anyMatch(d -> d.name().equals(c.domain().get()));
            if (c.status().counts() && inside) {
              total += c.points();
            }
          }
          assertThat(view.score())
              .as("seed %d, purpose %s", seed, purpose.purpose())
              .isEqualTo(policy.scale().clamp(points.base() + total));
        }
        for (Contribution c : s.contributions()) {
          if (c.status().counts()) {
            assertThat(s.ruleTotals()).containsKey(c.record().type().value());
          }
        }
      }
    }
  }
}
