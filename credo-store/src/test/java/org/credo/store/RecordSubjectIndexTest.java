package org.credo.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.credo.records.Record;
import org.credo.records.SourceId;
import org.credo.subject.SubjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The records' index by subject on SQLite (migration V7): rows written in sweeps while a server
 * defers them, at once otherwise, and what {@link Store#records} returns in between, after a crash,
 * after a purge and after the migration from {@code records_by_subject}.
 */
class RecordSubjectIndexTest {
  static final Instant NOW = Instant.parse("2026-11-23T00:00:00Z");

  @TempDir Path temp;

  static SubjectId subject(int i) {
    return SubjectId.parse("person:p-" + i);
  }

  static Record record(String id, SubjectId s) {
    return StoreContract.arrears(id, s);
  }

  static Store open(Path dir, boolean create) {
    Store store = Store.openFolder(dir, create);
    if (create) {
      store.sources().put(new SourceRegistration(SourceId.of("bank"), List.of("bank"), NOW));
    }
    return store;
  }

  /**
   * Appends {@code n} records about {@code subjects} subjects in batches of 100, with a duplicate
   * in each batch; returns the ids expected for each subject, in storage order.
   */
  static Map<SubjectId, List<String>> fill(Store store, String prefix, int n, int subjects) {
    Random r = new Random(prefix.hashCode());
    Map<SubjectId, List<String>> expected = new HashMap<>();
    for (int from = 0; from < n; from += 100) {
      List<Record> batch = new ArrayList<>();
      for (int i = from; i < Math.min(n, from + 100); i++) {
        SubjectId s = subject(r.nextInt(subjects));
        batch.add(record(prefix + i, s));
        expected.computeIfAbsent(s, k -> new ArrayList<>()).add(prefix + i);
      }
      if (from > 0) {
        batch.add(record(prefix + (from - 1), subject(0))); // already stored: not counted twice
      }
      store.append(new Store.Append(batch, new long[batch.size()]));
    }
    return expected;
  }

  static void assertEverySubjectsRecords(Store store, Map<SubjectId, List<String>> expected) {
    expected.forEach(
        (s, ids) -> assertThat(store.records(s)).extracting(Record::id).isEqualTo(ids));
  }

  /** How many entries the records' index table holds. */
  static long indexed(Store store) {
    return IndexPacks.count(store.jdbc(), IndexPacks.RECORDS);
  }

  static long indexedAmong(Store store, long... seqs) {
    return IndexPacks.entries(store.jdbc(), IndexPacks.RECORDS).stream()
        .filter(e -> java.util.Arrays.stream(seqs).anyMatch(s -> s == e.seq()))
        .count();
  }

  static long count(Store store, String sql) {
    return store.jdbc().one(sql, rs -> rs.getLong(1)).orElseThrow();
  }

  @Test
  void aServersRecordsAreFoundAtOnceAndIndexedBySweepsOverTime() throws Exception {
    try (Store store = open(temp.resolve("s"), true)) {
      store.deferSubjectIndex(Duration.ofMillis(300));
      Map<SubjectId, List<String>> expected = fill(store, "a", 3_000, 200);
      assertEverySubjectsRecords(store, expected); // mostly from memory
      long until = System.nanoTime() + 20_000_000_000L;
      while (indexed(store) < 3_000 && System.nanoTime() < until) {
        Thread.sleep(50); // idle: the store's own thread sweeps
      }
      assertThat(indexed(store)).isEqualTo(3_000);
      assertEverySubjectsRecords(store, expected); // from the table
    }
  }

  @Test
  void oneStoreDefersAtATimeAndStoppingWritesEverythingThatWaits() {
    Path dir = temp.resolve("s");
    try (Store importing = open(dir, true);
        Store beside = open(dir, false)) {
      assertThat(importing.deferSubjectIndex(Duration.ofHours(1))).isTrue();
      assertThat(importing.deferSubjectIndex(Duration.ofHours(1))).as("defers already").isFalse();
      assertThat(beside.deferSubjectIndex(Duration.ofHours(1))).isFalse();
      Map<SubjectId, List<String>> expected = fill(importing, "a", 1_000, 50);
      // The other store writes its rows at once; the mark waits for the deferred ones.
      Map<SubjectId, List<String>> more = fill(beside, "b", 500, 50);
      more.forEach((s, ids) -> expected.computeIfAbsent(s, k -> new ArrayList<>()).addAll(ids));
      assertThat(indexed(beside)).isEqualTo(500);
      assertEverySubjectsRecords(importing, expected);
      assertEverySubjectsRecords(beside, expected);

      importing.stopDeferringSubjectIndex();
      assertThat(indexed(beside)).isEqualTo(1_500);
      assertThat(count(beside, "SELECT below FROM record_subjects_indexed"))
          .isEqualTo(beside.lastSeq() + 1);
      assertEverySubjectsRecords(beside, expected);
      // Appends after the stop write their rows at once again, and the mark follows them.
      fill(importing, "c", 100, 50);
      assertThat(count(beside, "SELECT below FROM record_subjects_indexed"))
          .isEqualTo(beside.lastSeq() + 1);
      assertThat(beside.deferSubjectIndex(Duration.ofHours(1))).as("free again").isTrue();
    }
  }

  @Test
  void recordsLeftUnindexedAtACrashAreFoundAndIndexedAgain() {
    Path dir = temp.resolve("s");
    Map<SubjectId, List<String>> expected;
    try (Store store = open(dir, true)) {
      store.deferSubjectIndex(Duration.ofHours(1));
      expected = fill(store, "a", 2_000, 100);
    }
    try (Store store = open(dir, false)) {
      assertThat(indexed(store)).isEqualTo(2_000);
      assertThat(count(store, "SELECT below FROM record_subjects_indexed")).isEqualTo(2_001);
      // What a crash leaves: the last rows never written, the mark where the last sweep left it.
      IndexPacks.dropFrom(store.jdbc(), IndexPacks.RECORDS, 700);
      store.jdbc().update("UPDATE record_subjects_indexed SET below = 700");
    }
    try (Store store = open(dir, false)) {
      assertEverySubjectsRecords(store, expected); // a command reads the tail of the records
      Map<SubjectId, List<String>> more = fill(store, "b", 300, 100);
      more.forEach((s, ids) -> expected.computeIfAbsent(s, k -> new ArrayList<>()).addAll(ids));
      assertThat(count(store, "SELECT below FROM record_subjects_indexed")).isEqualTo(700);
      assertEverySubjectsRecords(store, expected);
      store.deferSubjectIndex(Duration.ofHours(1)); // a server reads it back into memory
      assertEverySubjectsRecords(store, expected);
    }
    try (Store store = open(dir, false)) {
      assertThat(indexed(store)).isEqualTo(2_300);
      assertThat(count(store, "SELECT below FROM record_subjects_indexed"))
          .isEqualTo(count(store, "SELECT MAX(seq) FROM records") + 1);
      assertEverySubjectsRecords(store, expected);
    }
  }

  /**
   * A sweep that had not finished its cycle wrote a subject's pack, holding seqs from both sides of
   * the mark; then the process died. The next one sweeps that subject's seqs from the mark on
   * again, into a pack with the same last seq: it must add to the pack, not replace it.
   */
  @Test
  void aSweepRepeatedAfterACrashKeepsWhatThePackHeldBefore() {
    Path dir = temp.resolve("s");
    Map<SubjectId, List<String>> expected;
    try (Store store = open(dir, true)) {
      store.deferSubjectIndex(Duration.ofHours(1));
      expected = fill(store, "a", 100, 1); // closing sweeps them into one pack
    }
    try (Store store = open(dir, false)) {
      assertThat(count(store, "SELECT COUNT(*) FROM " + IndexPacks.RECORDS)).isEqualTo(1);
      store.jdbc().update("UPDATE record_subjects_indexed SET below = 60");
      store.deferSubjectIndex(Duration.ofHours(1)); // takes 60 to 100 back into memory
    }
    try (Store store = open(dir, false)) {
      assertThat(count(store, "SELECT below FROM record_subjects_indexed")).isEqualTo(101);
      assertThat(indexed(store)).isEqualTo(100);
      assertEverySubjectsRecords(store, expected);
    }
  }

  @Test
  void aPurgedRecordLeavesNoRowBehind() {
    try (Store store = open(temp.resolve("s"), true)) {
      fill(store, "a", 10, 1);
      store.deferSubjectIndex(Duration.ofHours(1));
      fill(store, "b", 10, 1);
      store.deleteRecords(List.of(3L, 4L, 15L));
      assertThat(store.records(subject(0))).hasSize(17);
      assertThat(indexedAmong(store, 3, 4, 15)).isZero();
      store.close();
      try (Store again = open(temp.resolve("s"), false)) {
        assertThat(indexed(again)).isEqualTo(17);
        assertThat(indexedAmong(again, 3, 4, 15)).isZero();
        assertThat(again.records(subject(0))).hasSize(17);
      }
    }
  }

  /**
   * Seeded random appends (with duplicates), purges, reopenings and changes of mode, each followed
   * by a look-up of a few subjects compared with a model of what the store holds.
   */
  @Test
  void whateverTheOrderOfAppendsPurgesAndRestartsEachSubjectGetsExactlyItsRecords() {
    for (long seed = 1; seed <= 4; seed++) {
      Random r = new Random(seed);
      Path dir = temp.resolve("p" + seed);
      Map<SubjectId, java.util.TreeMap<Long, String>> model = new HashMap<>();
      Map<String, Long> seqOf = new HashMap<>();
      Store store = open(dir, true);
      try {
        store.deferSubjectIndex(Duration.ofMillis(20 + r.nextInt(200)));
        for (int op = 0; op < 120; op++) {
          int what = r.nextInt(20);
          if (what < 14) {
            List<Record> batch = new ArrayList<>();
            for (int i = 0, n = 1 + r.nextInt(60); i < n; i++) {
              String id = "s" + seed + "-" + r.nextInt(3_000); // repeats are duplicates
              batch.add(record(id, subject(seqOf.containsKey(id) ? -1 : r.nextInt(40))));
            }
            long[] rows = store.append(new Store.Append(batch, new long[batch.size()]));
            for (int i = 0; i < batch.size(); i++) {
              if (rows[i] > 0) {
                Record rec = batch.get(i);
                seqOf.put(rec.id(), rows[i]);
                model
                    .computeIfAbsent(rec.subject(), k -> new java.util.TreeMap<>())
                    .put(rows[i], rec.id());
              }
            }
          } else if (what < 17 && !seqOf.isEmpty()) {
            List<String> ids = new ArrayList<>(seqOf.keySet());
            List<Long> purge = new ArrayList<>();
            for (int i = 0, n = 1 + r.nextInt(10); i < n; i++) {
              String id = ids.get(r.nextInt(ids.size()));
              Long seq = seqOf.remove(id);
              if (seq != null) {
                purge.add(seq);
                model.values().forEach(m -> m.remove(seq));
              }
            }
            store.deleteRecords(purge);
          } else if (what < 19) {
            store.close(); // sweeps what waits
            store = open(dir, false);
            if (r.nextBoolean()) {
              store.deferSubjectIndex(Duration.ofMillis(20 + r.nextInt(200)));
            }
          } else {
            sleepQuietly(r.nextInt(150)); // let the idle sweeper run
          }
          for (int i = 0; i < 3; i++) {
            SubjectId s = subject(r.nextInt(40));
            List<String> expected =
                new ArrayList<>(model.getOrDefault(s, new java.util.TreeMap<>()).values());
            assertThat(store.records(s))
                .as("seed %d, operation %d, %s", seed, op, s)
                .extracting(Record::id)
                .isEqualTo(expected);
          }
        }
      } finally {
        store.close();
      }
      try (Store again = open(dir, false)) {
        long stored = count(again, "SELECT COUNT(*) FROM records");
        assertThat(indexed(again)).isEqualTo(stored);
      }
    }
  }

  static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void theMigrationMovesTheIndexOfAnOlderStoreIntoTheTable() {
    Path dir = temp.resolve("s");
    Map<SubjectId, List<String>> expected;
    try (Store store = open(dir, true)) {
      Jdbc db = store.jdbc();
      // Back to the schema of V6, with records written under it.
      db.update("DROP TABLE record_subject_packs");
      db.update("DROP TABLE record_subjects_indexed");
      db.update("CREATE INDEX records_by_subject ON records (subject_key)");
      // V8 packs both subject indexes: the audit log's goes back to its V6 table.
      db.update("DROP TABLE audit_subject_packs");
      db.update(
          "CREATE TABLE audit_subjects (gen INTEGER NOT NULL, subject_key BLOB NOT NULL,"
              + " seq INTEGER NOT NULL, PRIMARY KEY (gen, subject_key, seq)) WITHOUT ROWID");
      db.update("DELETE FROM flyway_schema_history WHERE version IN ('7', '8')");
      store.subjectIndexOff();
      expected = fill(store, "a", 500, 20);
      // and V9 to V12, which come after (written with today's code, then taken back)
      org.credo.store.SchemaRollback.undoStoreChanges(db);
    }
    try (Store store = open(dir, false)) {
      assertThat(indexed(store)).isEqualTo(500);
      assertThat(count(store, "SELECT below FROM record_subjects_indexed")).isEqualTo(501);
      assertThat(
              count(store, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'records_by_subject'"))
          .isZero();
      assertEverySubjectsRecords(store, expected);
    }
  }
}
