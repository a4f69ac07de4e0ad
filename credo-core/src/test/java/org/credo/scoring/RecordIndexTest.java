package org.credo.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.credo.Fixtures;
import org.credo.policy.Policy;
import org.credo.policy.Rule;
import org.credo.records.Record;
import org.credo.records.RecordType;
import org.credo.records.SourceId;
import org.credo.subject.SubjectId;
import org.credo.subject.SubjectKind;
import org.junit.jupiter.api.Test;

/**
 * The in-memory index must score exactly as {@link SubjectHistory#prepare} does: checked over many
 * seeded random populations, built in bulk from rows in any order and grown record by record, with
 * records of all three example policies side by side, same-instant ties, corrections, retractions
 * and learned instants out of order.
 */
class RecordIndexTest {
  static final int SEEDS = 60;
  static final List<Policy> POLICIES =
      List.of(
          Fixtures.example("rongcheng-style"),
          Fixtures.example("sesame-style"),
          Fixtures.example("bureau-style"));
  static final List<String> SOURCES = List.of("bank", "court", "utility", "registry");

  record Stored(Record record, byte[] key, int row, int targetRow) {}

  /** A random population; records are listed in the order a store would accept them. */
  static List<Stored> population(Random random, int subjects) {
    List<Stored> out = new ArrayList<>();
    Map<Integer, List<Stored>> bySubject = new HashMap<>();
    List<SubjectId> ids = new ArrayList<>();
    List<byte[]> keys = new ArrayList<>();
    for (int s = 0; s < subjects; s++) {
      byte[] key = new byte[16];
      random.nextBytes(key);
      keys.add(key);
      ids.add(SubjectId.pseudonym(SubjectKind.PERSON, key));
    }
    int n = random.nextInt(40 * subjects + 1);
    Instant learnedBase = Instant.parse("2026-01-01T00:00:00Z");
    for (int i = 0; i < n; i++) {
      int s = random.nextInt(subjects);
      Policy policy = POLICIES.get(random.nextInt(POLICIES.size()));
      Rule rule = policy.rules().get(random.nextInt(policy.rules().size()));
      RecordType type = random.nextInt(30) == 0 ? RecordType.of("misc.unknown_thing") : rule.type();
      Instant occurred =
          ScoringPropertiesTest.between(random, ScoringPropertiesTest.START, Fixtures.NOW);
      if (random.nextBoolean()) {
        occurred = occurred.truncatedTo(ChronoUnit.DAYS); // same-day records tie
      }
      if (random.nextInt(8) == 0) {
        occurred = Instant.parse("2025-06-01T00:00:00Z"); // many ties
      }
      Instant learned = learnedBase.plus(Duration.ofMinutes(random.nextInt(50))); // a few batches
      Map<String, Object> attributes = new HashMap<>();
      rule.attributes()
          .forEach((name, t) -> attributes.put(name, ScoringPropertiesTest.value(t, random)));
      String source = SOURCES.get(random.nextInt(SOURCES.size()));
      Optional<String> supersedes = Optional.empty();
      Optional<String> retracts = Optional.empty();
      Stored target = null;
      List<Stored> mine = bySubject.computeIfAbsent(s, k -> new ArrayList<>());
      if (!mine.isEmpty() && random.nextInt(8) == 0) {
        target = mine.get(random.nextInt(mine.size()));
        source = target.record().source().value();
        if (random.nextBoolean()) {
          supersedes = Optional.of(target.record().id());
        } else {
          retracts = Optional.of(target.record().id());
        }
      }
      Record r =
          new Record(
              SourceId.of(source),
              // Some ids start with characters whose UTF-8 and UTF-16 orders differ.
              (random.nextInt(4) == 0 ? ODD_STARTS.get(random.nextInt(ODD_STARTS.size())) : "")
                  + "r"
                  + random.nextInt(1000)
                  + "-"
                  + i,
              ids.get(s),
              type,
              occurred,
              learned,
              attributes,
              Optional.empty(),
              supersedes,
              retracts);
      Stored stored = new Stored(r, keys.get(s), 1000 + 3 * i, target == null ? -1 : target.row());
      out.add(stored);
      mine.add(stored);
    }
    return out;
  }

  static Map<SubjectId, List<Stored>> bySubject(List<Stored> records) {
    Map<SubjectId, List<Stored>> out = new HashMap<>();
    records.forEach(s -> out.computeIfAbsent(s.record().subject(), k -> new ArrayList<>()).add(s));
    return out;
  }

  /**
   * The score {@link SubjectHistory#prepare} gives one subject's records: what an index must give.
   */
  static Score prepared(Policy policy, List<Stored> records, Instant asOf, Instant knownAt) {
    return Scorer.score(
        SubjectHistory.prepare(
            policy,
            records.get(0).record().subject(),
            records.stream().map(Stored::record).toList()),
        asOf,
        knownAt);
  }

  /** U+00E9, U+FF10 and U+1F600 sort differently in UTF-8 bytes and in UTF-16 units. */
  static final List<String> ODD_STARTS = List.of("\u00e9", "\uff10", "\ud83d\ude00", "a b");

  /** Adds a stored record to a builder, with its tie key or (as a store might) without. */
  static void add(RecordIndex.Builder builder, Stored s, int targetRow, boolean withTieKey) {
    Record r = s.record();
    if (withTieKey) {
      builder.add(s.key(), SubjectKind.PERSON, r, s.row(), targetRow);
    } else {
      builder.add(
          s.key(),
          SubjectKind.PERSON,
          r.type(),
          Scorer.micros(r.occurred()),
          Scorer.micros(r.learned()),
          SubjectHistory.flags(r),
          r.attributes(),
          s.row(),
          targetRow);
    }
  }

  /** One subject's history over an index, its records read from {@code byRow}. */
  static SubjectHistory indexed(
      RecordIndex index, Policy policy, List<Stored> records, Map<Integer, Record> byRow) {
    return index.history(
        policy.ref(),
        records.get(0).key(),
        records.get(0).record().subject(),
        rows -> java.util.Arrays.stream(rows).mapToObj(byRow::get).toList(),
        row -> null);
  }

  static RecordIndex.Keys keys(List<Stored> population, int[] calls) {
    Map<Integer, String[]> all = new HashMap<>();
    for (Stored s : population) {
      all.put(s.row(), new String[] {s.record().source().value(), s.record().id()});
    }
    return rows -> {
      calls[0]++;
      Map<Integer, String[]> out = new HashMap<>();
      for (int row : rows) {
        out.put(row, all.get(row));
      }
      return out;
    };
  }

  @Test
  void theIndexScoresExactlyAsPreparedHistoriesDo() {
    int compared = 0;
    int[] calls = {0};
    for (int seed = 0; seed < SEEDS; seed++) {
      Random random = new Random(seed);
      List<Stored> population = population(random, 1 + random.nextInt(6));
      RecordIndex.Keys keys = keys(population, calls);
      Map<Integer, Record> byRow = new HashMap<>();
      population.forEach(s -> byRow.put(s.row(), s.record()));

      List<Stored> shuffled = new ArrayList<>(population);
      Collections.shuffle(shuffled, random);
      RecordIndex.Builder builder =
          seed % 3 == 0 ? RecordIndex.builder(POLICIES) : RecordIndex.builder(POLICIES, 5);
      // Most records come with their tie key; the others' keys are read back at build time.
      shuffled.forEach(s -> add(builder, s, s.targetRow(), random.nextInt(4) != 0));
      RecordIndex bulk = builder.build(keys);
      RecordIndex grown = RecordIndex.empty(POLICIES);
      population.forEach(
          s -> grown.add(s.key(), SubjectKind.PERSON, s.record(), s.row(), s.targetRow(), keys));
      if (seed % 2 == 1) {
        long before = grown.bytes();
        grown.trim(); // gives back the room to grow; scores must not change
        assertThat(grown.bytes()).isLessThanOrEqualTo(before);
      }
      assertThat(bulk.records()).isEqualTo(population.size());
      assertThat(grown.records()).isEqualTo(population.size());

      Map<SubjectId, List<Stored>> bySubject = bySubject(population);
      for (Policy policy : POLICIES) {
        for (List<Stored> records : bySubject.values()) {
          SubjectId subject = records.get(0).record().subject();
          byte[] key = records.get(0).key();
          Instant asOf =
              ScoringPropertiesTest.between(random, ScoringPropertiesTest.START, Fixtures.NOW);
          Instant knownAt =
              random.nextBoolean()
                  ? Fixtures.NOW
                  : Instant.parse("2026-01-01T00:00:00Z")
                      .plus(Duration.ofMinutes(random.nextInt(50)));
          Score expected = prepared(policy, records, asOf, knownAt);
          for (RecordIndex index : List.of(bulk, grown)) {
            SubjectHistory h =
                index.history(
                    policy.ref(),
                    key,
                    subject,
                    rows -> java.util.Arrays.stream(rows).mapToObj(byRow::get).toList(),
                    // The grown index knows list entries' keys without reading records.
                    index == grown
                        ? row ->
                            new String[] {
                              byRow.get(row).key(), byRow.get(row).evidence().orElse(null)
                            }
                        : row -> null);
            Score actual = Scorer.score(h, asOf, knownAt);
            String what = "seed " + seed + ", " + policy.ref() + ", " + subject;
            assertThat(h.records())
                .as(what + ": canonical order")
                .isEqualTo(
                    SubjectHistory.prepare(
                            policy, subject, records.stream().map(Stored::record).toList())
                        .records());
            assertThat(actual.value()).as(what).isEqualTo(expected.value());
            assertThat(actual.grade()).as(what).isEqualTo(expected.grade());
            assertThat(actual.lists()).as(what).isEqualTo(expected.lists());
            assertThat(actual.contributions()).as(what).isEqualTo(expected.contributions());
            assertThat(actual.factors()).as(what).isEqualTo(expected.factors());
            assertThat(actual.reasonCodes()).as(what).isEqualTo(expected.reasonCodes());
            assertThat(actual.notes()).as(what).isEqualTo(expected.notes());
            Summary summary =
                index.summary(policy.ref(), index.subject(key), asOf, knownAt).orElseThrow();
            assertThat(summary.value()).as(what).isEqualTo(expected.value());
            assertThat(summary.grade()).as(what).isEqualTo(expected.grade());
            assertThat(summary.lists()).as(what).isEqualTo(expected.listsInEffect());
            compared++;
          }
        }
      }
    }
    assertThat(compared).isGreaterThan(500);
    assertThat(calls[0]).as("same-instant ties were resolved by key").isPositive();
  }

  @Test
  void removingRecordsScoresAsAnIndexThatNeverHadThem() {
    int compared = 0;
    for (int seed = 0; seed < SEEDS; seed++) {
      Random random = new Random(1_000 + seed);
      List<Stored> population = population(random, 1 + random.nextInt(6));
      int[] calls = {0};
      RecordIndex.Keys keys = keys(population, calls);
      RecordIndex index = RecordIndex.empty(POLICIES);
      population.forEach(
          s -> index.add(s.key(), SubjectKind.PERSON, s.record(), s.row(), s.targetRow(), keys));
      // A random set of rows, with every record that names one of them (as a purge takes them).
      java.util.Set<Integer> gone = new java.util.HashSet<>();
      population.forEach(
          s -> {
            if (random.nextInt(3) == 0) {
              gone.add(s.row());
            }
          });
      for (Stored s : population) { // links come after their targets
        if (s.targetRow() >= 0 && gone.contains(s.targetRow())) {
          gone.add(s.row());
        }
      }
      for (Stored s : population) {
        if (gone.contains(s.row())) {
          assertThat(index.remove(s.key(), s.row())).isTrue();
        }
      }
      List<Stored> kept = population.stream().filter(s -> !gone.contains(s.row())).toList();
      assertThat(index.records()).isEqualTo(kept.size());
      Map<Integer, Record> byRow = new HashMap<>();
      kept.forEach(s -> byRow.put(s.row(), s.record()));
      Map<SubjectId, List<Stored>> bySubject = bySubject(kept);
      for (Policy policy : POLICIES) {
        for (List<Stored> records : bySubject.values()) {
          SubjectId subject = records.get(0).record().subject();
          Instant asOf =
              ScoringPropertiesTest.between(random, ScoringPropertiesTest.START, Fixtures.NOW);
          Score expected = prepared(policy, records, asOf, Fixtures.NOW);
          Score actual = Scorer.score(indexed(index, policy, records, byRow), asOf, Fixtures.NOW);
          String what = "seed " + seed + ", " + policy.ref() + ", " + subject;
          assertThat(actual.value()).as(what).isEqualTo(expected.value());
          assertThat(actual.contributions()).as(what).isEqualTo(expected.contributions());
          assertThat(actual.factors()).as(what).isEqualTo(expected.factors());
          assertThat(actual.lists()).as(what).isEqualTo(expected.lists());
          compared++;
        }
      }
      // A row the index does not hold is not removed twice.
      population.stream()
          .filter(s -> gone.contains(s.row()))
          .findFirst()
          .ifPresent(s -> assertThat(index.remove(s.key(), s.row())).isFalse());
    }
    assertThat(compared).isGreaterThan(300);
  }

  @Test
  void sameInstantRecordsTakeTheCanonicalOrderWhateverTheirCharacters() {
    // Ids that sort differently as UTF-8 bytes and as UTF-16 units, sources that are prefixes of
    // each other: the index must order a tie exactly as SubjectHistory does, whether a record came
    // with its tie key or had it read back.
    List<String> ids =
        List.of("\uff10", "\ud83d\ude00", "\u00e9", "a", "a b", "ab", "a\uff10", "a\ud83d\ude00");
    List<String> sources = List.of("b", "b-x", "bank", "b.x");
    Instant occurred = Instant.parse("2025-06-01T00:00:00Z");
    for (int seed = 0; seed < 40; seed++) {
      Random random = new Random(seed);
      List<Stored> base =
          population(random, 1).stream()
              .filter(st -> st.record().supersedes().isEmpty() && st.record().retracts().isEmpty())
              .limit(12)
              .toList();
      List<Stored> tied = new ArrayList<>();
      for (int i = 0; i < base.size(); i++) {
        Record r = base.get(i).record();
        String id = ids.get(random.nextInt(ids.size())) + (random.nextBoolean() ? "" : "-" + i);
        Record same =
            new Record(
                SourceId.of(sources.get(random.nextInt(sources.size()))),
                id + "#" + i, // unique, and after the part that decides the order
                r.subject(),
                r.type(),
                occurred,
                r.learned(),
                r.attributes(),
                r.evidence(),
                Optional.empty(),
                Optional.empty());
        tied.add(new Stored(same, base.get(i).key(), base.get(i).row(), -1));
      }
      if (tied.size() < 2) {
        continue;
      }
      List<Stored> shuffled = new ArrayList<>(tied);
      Collections.shuffle(shuffled, random);
      RecordIndex.Builder builder = RecordIndex.builder(POLICIES);
      for (Stored st : shuffled) {
        add(builder, st, -1, random.nextInt(3) != 0);
      }
      RecordIndex index = builder.build(keys(tied, new int[1]));
      Map<Integer, Record> byRow = new HashMap<>();
      tied.forEach(st -> byRow.put(st.row(), st.record()));
      Policy policy = POLICIES.get(0);
      SubjectId subject = tied.get(0).record().subject();
      List<Record> expected =
          SubjectHistory.prepare(policy, subject, tied.stream().map(Stored::record).toList())
              .records();
      SubjectHistory h = indexed(index, policy, tied, byRow);
      assertThat(h.records()).as("seed " + seed).isEqualTo(expected);
    }
  }

  @Test
  void anUnknownSubjectHasAnEmptyHistory() {
    RecordIndex index = RecordIndex.empty(POLICIES);
    byte[] key = new byte[16];
    SubjectId subject = SubjectId.pseudonym(SubjectKind.PERSON, key);
    Score s =
        Scorer.score(
            index.history(POLICIES.get(0).ref(), key, subject, rows -> List.of(), row -> null),
            Fixtures.NOW,
            Fixtures.NOW);
    assertThat(s.contributions()).isEmpty();
    assertThat(index.subject(key)).isEqualTo(-1);
  }

  @Test
  void memoryStaysWithinFortyBytesARecordForOnePolicy() {
    Random random = new Random(7);
    List<Stored> population = population(random, 2000);
    RecordIndex.Builder builder = RecordIndex.builder(List.of(POLICIES.get(0)));
    population.forEach(
        s -> builder.add(s.key(), SubjectKind.PERSON, s.record(), s.row(), s.targetRow()));
    RecordIndex index = builder.build(keys(population, new int[1]));
    assertThat((double) index.bytes() / index.records()).isLessThan(40);
  }

  @Test
  void learnedInstantsArrivingInReverseOrderKeepTheirPlace() {
    // Each new instant is earlier than all before it: ranks run out of room and are respread.
    Random random = new Random(11);
    List<Stored> population =
        population(random, 3).stream()
            .filter(s -> s.record().supersedes().isEmpty() && s.record().retracts().isEmpty())
            .toList();
    List<Stored> reversed = new ArrayList<>();
    Instant base = Instant.parse("2026-06-01T00:00:00Z");
    for (int i = 0; i < population.size(); i++) {
      Record r = population.get(i).record();
      Record later =
          new Record(
              r.source(),
              r.id(),
              r.subject(),
              r.type(),
              r.occurred(),
              base.minus(Duration.ofMinutes(i)),
              r.attributes(),
              r.evidence(),
              r.supersedes(),
              r.retracts());
      reversed.add(new Stored(later, population.get(i).key(), population.get(i).row(), -1));
    }
    RecordIndex index = RecordIndex.empty(POLICIES);
    int[] calls = {0};
    RecordIndex.Keys keys = keys(reversed, calls);
    reversed.forEach(s -> index.add(s.key(), SubjectKind.PERSON, s.record(), s.row(), -1, keys));
    Map<Integer, Record> byRow = new HashMap<>();
    reversed.forEach(s -> byRow.put(s.row(), s.record()));
    Map<SubjectId, List<Stored>> bySubject = new HashMap<>();
    reversed.forEach(
        s -> bySubject.computeIfAbsent(s.record().subject(), k -> new ArrayList<>()).add(s));
    Policy policy = POLICIES.get(0);
    for (int round = 0; round < 50; round++) {
      Instant knownAt = base.minus(Duration.ofMinutes(random.nextInt(reversed.size() + 5)));
      for (List<Stored> records : bySubject.values()) {
        SubjectId subject = records.get(0).record().subject();
        Score expected =
            Scorer.score(
                SubjectHistory.prepare(
                    policy, subject, records.stream().map(Stored::record).toList()),
                Fixtures.NOW,
                knownAt);
        Score actual = Scorer.score(indexed(index, policy, records, byRow), Fixtures.NOW, knownAt);
        assertThat(actual.contributions())
            .as("known at %s", knownAt)
            .isEqualTo(expected.contributions());
        assertThat(actual.value()).isEqualTo(expected.value());
      }
    }
    assertThat(reversed.size()).isGreaterThan(20);
  }
}
