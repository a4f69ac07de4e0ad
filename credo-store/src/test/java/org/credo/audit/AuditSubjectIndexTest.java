package org.credo.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.credo.store.IndexPacks;
import org.credo.store.Jdbc;
import org.credo.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit log's subject index on SQLite: rows written in sweeps by a server, at once by a
 * command, and what a reader sees in between, after a crash, after a rollback and after the
 * migration from the index of V4.
 */
class AuditSubjectIndexTest {
  static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

  @TempDir Path temp;

  static AuditLog.Options deferred(Duration cycle) {
    return AuditLog.Options.defaults().withIndexCycle(cycle);
  }

  static byte[] randomKey(Random r) {
    byte[] k = new byte[16];
    r.nextBytes(k);
    return k;
  }

  static AuditEntry entry(byte[] key, int i) {
    return new AuditEntry(T0.plusMillis(i), "relying_party:t", "decision", key, "n=" + i);
  }

  /** Appends entries about {@code subjects} random keys, in random order; returns seqs by key. */
  static Map<Key, List<Long>> fill(AuditLog log, int subjects, int entries, long seed) {
    Random r = new Random(seed);
    List<byte[]> keys = new ArrayList<>();
    for (int i = 0; i < subjects; i++) {
      keys.add(randomKey(r));
    }
    List<CompletableFuture<Long>> done = new ArrayList<>();
    List<byte[]> about = new ArrayList<>();
    for (int i = 0; i < entries; i++) {
      // One in ten is about no subject, as an import batch's entry.
      byte[] k = r.nextInt(10) == 0 ? null : keys.get(r.nextInt(subjects));
      about.add(k);
      done.add(log.append(entry(k, i)));
    }
    Map<Key, List<Long>> bySubject = new HashMap<>();
    for (byte[] k : keys) {
      bySubject.put(new Key(k), new ArrayList<>());
    }
    for (int i = 0; i < entries; i++) {
      long seq = AuditLog.await(done.get(i));
      if (about.get(i) != null) {
        bySubject.get(new Key(about.get(i))).add(0, seq); // newest first
      }
    }
    return bySubject;
  }

  record Key(byte[] bytes) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && java.util.Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
      return java.util.Arrays.hashCode(bytes);
    }
  }

  static List<Long> seqsAbout(AuditLog log, byte[] key) {
    return log.about(key, 1_000).stream().map(LoggedEntry::seq).toList();
  }

  static void assertEverySubjectSeesItsEntries(AuditLog log, Map<Key, List<Long>> expected) {
    for (Map.Entry<Key, List<Long>> e : expected.entrySet()) {
      assertThat(seqsAbout(log, e.getKey().bytes())).isEqualTo(e.getValue());
    }
  }

  static long number(Store store, String sql) {
    return new Jdbc(store.dataSource()).one(sql, rs -> rs.getLong(1)).orElseThrow();
  }

  static long rows(Store store) {
    return IndexPacks.count(new Jdbc(store.dataSource()), IndexPacks.AUDIT_LOG);
  }

  static long below(Store store) {
    return number(store, "SELECT below FROM audit_subjects_indexed");
  }

  static long head(Store store) {
    return number(store, "SELECT COALESCE(MAX(seq), 0) FROM audit_log");
  }

  static long withKeys(Store store) {
    return number(store, "SELECT COUNT(*) FROM audit_log WHERE substr(entry, 17, 1) = x'10'");
  }

  @Test
  void aServersEntriesAreFoundAtOnceAndIndexedBySweepsOverTime() throws Exception {
    try (Store store = Store.openFolder(temp.resolve("s"), true);
        AuditLog log = AuditLog.open(store, deferred(Duration.ofMillis(400)))) {
      Map<Key, List<Long>> expected = fill(log, 300, 3_000, 1);
      assertEverySubjectSeesItsEntries(log, expected); // mostly from memory
      // Sweeps go on while entries keep coming, and in a few cycles everything is in the table.
      long until = System.nanoTime() + 20_000_000_000L;
      long total = withKeys(store);
      while ((rows(store) < total || below(store) <= head(store)) && System.nanoTime() < until) {
        log.appendAndWait(entry(null, 0));
        Thread.sleep(20);
      }
      assertThat(rows(store)).isEqualTo(total);
      assertThat(below(store)).isGreaterThan(3_000);
      assertEverySubjectSeesItsEntries(log, expected); // from the table
      assertThat(log.verify(Optional.empty()).ok()).isTrue();
    }
  }

  @Test
  void aCommandIndexesItsEntriesAtOnceAndKeepsTheMarkCaughtUp() {
    try (Store store = Store.openFolder(temp.resolve("s"), true);
        AuditLog log = AuditLog.open(store)) {
      Map<Key, List<Long>> expected = fill(log, 50, 500, 2);
      assertThat(rows(store)).isEqualTo(withKeys(store));
      assertThat(below(store)).isEqualTo(head(store) + 1);
      assertEverySubjectSeesItsEntries(log, expected);
    }
  }

  @Test
  void entriesAServerLeftUnindexedAtACrashAreFoundByACommandAndIndexedByTheNextServer() {
    Path dir = temp.resolve("s");
    Map<Key, List<Long>> expected;
    long crashAt;
    try (Store store = Store.openFolder(dir, true)) {
      try (AuditLog server = AuditLog.open(store, deferred(Duration.ofHours(1)))) {
        expected = fill(server, 100, 1_000, 3);
      }
      // What a crash leaves: the last rows never written, the mark where the last sweep left it.
      crashAt = 400;
      Jdbc db = new Jdbc(store.dataSource());
      IndexPacks.dropFrom(db, IndexPacks.AUDIT_LOG, crashAt);
      db.update("UPDATE audit_subjects_indexed SET below = ?", crashAt);
    }
    try (Store store = Store.openFolder(dir, false)) {
      try (AuditLog command = AuditLog.open(store)) {
        assertEverySubjectSeesItsEntries(command, expected); // the tail read from the log
        byte[] someone = expected.keySet().iterator().next().bytes();
        long seq = command.appendAndWait(entry(someone, 0));
        expected.get(new Key(someone)).add(0, seq);
        assertThat(below(store)).isEqualTo(crashAt); // entries before it still lack rows
        assertEverySubjectSeesItsEntries(command, expected);
      }
      try (AuditLog server = AuditLog.open(store, deferred(Duration.ofHours(1)))) {
        assertEverySubjectSeesItsEntries(server, expected); // the tail read back into memory
      }
      // Closed: everything swept in.
      assertThat(rows(store)).isEqualTo(withKeys(store));
      assertThat(below(store)).isEqualTo(head(store) + 1);
    }
  }

  @Test
  void anEntryWhoseTransactionRolledBackIsNeverShown() throws Exception {
    byte[] alice = randomKey(new Random(4));
    byte[] bob = randomKey(new Random(5));
    try (Store store = Store.openFolder(temp.resolve("s"), true)) {
      try (AuditLog log = AuditLog.open(store, deferred(Duration.ofHours(1)))) {
        log.appendAndWait(entry(alice, 1));
        try (Connection c = store.dataSource().getConnection()) {
          c.setAutoCommit(false);
          log.appendWithin(c, List.of(entry(alice, 2)));
          c.rollback();
          c.setAutoCommit(true);
        }
        long bobs = log.appendAndWait(entry(bob, 3)); // the seq the rolled-back entry had
        assertThat(bobs).isEqualTo(2);
        assertThat(seqsAbout(log, alice)).containsExactly(1L);
        assertThat(seqsAbout(log, bob)).containsExactly(2L);
      }
      // Swept in when the log closed: its row points to Bob's entry, and readers skip it.
      assertThat(
              IndexPacks.entries(new Jdbc(store.dataSource()), IndexPacks.AUDIT_LOG).stream()
                  .filter(e -> java.util.Arrays.equals(e.key(), alice))
                  .map(IndexPacks.Entry::seq))
          .containsExactly(1L, 2L);
      try (AuditLog log = AuditLog.open(store)) {
        assertThat(seqsAbout(log, alice)).containsExactly(1L);
        assertThat(seqsAbout(log, bob)).containsExactly(2L);
      }
    }
  }

  /** Moves the chain's head to {@code seq} with an entry about no one (the chain breaks there). */
  static void jumpTo(Store store, long seq) {
    new Jdbc(store.dataSource())
        .update(
            "INSERT INTO audit_log (seq, entry, hash) VALUES (?, ?, ?)",
            seq,
            ChainHash.encode(seq, entry(null, 0)),
            new byte[32]);
  }

  @Test
  void aSubjectsEntriesAcrossGenerationsAreFoundNewestFirstPageByPage() {
    byte[] alice = randomKey(new Random(7));
    byte[] bob = randomKey(new Random(8));
    List<Long> expected = new ArrayList<>();
    try (Store store = Store.openFolder(temp.resolve("s"), true)) {
      long gen = 1L << org.credo.store.SubjectKeyIndex.GEN_BITS;
      jumpTo(store, gen - 100);
      try (AuditLog server = AuditLog.open(store, deferred(Duration.ofHours(1)))) {
        for (int i = 0; i < 250; i++) { // 99 in one generation, 151 in the next
          expected.add(0, server.appendAndWait(entry(i % 5 == 0 ? bob : alice, i)));
          if (i % 5 == 0) {
            expected.remove(0);
          }
        }
      }
      jumpTo(store, 3 * gen + 7); // generation 2 holds nothing about her
      try (AuditLog command = AuditLog.open(store)) {
        for (int i = 0; i < 3; i++) {
          expected.add(0, command.appendAndWait(entry(alice, i)));
        }
        assertThat(expected).hasSize(203);
        assertThat(seqsAbout(command, alice)).isEqualTo(expected);
        assertThat(command.about(alice, 202).stream().map(LoggedEntry::seq).toList())
            .isEqualTo(expected.subList(0, 202));
        assertThat(seqsAbout(command, bob)).hasSize(50);
      }
      assertThat(
              IndexPacks.entries(new Jdbc(store.dataSource()), IndexPacks.AUDIT_LOG).stream()
                  .collect(
                      java.util.stream.Collectors.groupingBy(
                          IndexPacks.Entry::gen,
                          java.util.TreeMap::new,
                          java.util.stream.Collectors.counting()))
                  .entrySet()
                  .stream()
                  .map(e -> e.getKey() + ":" + e.getValue()))
          .containsExactly("0:99", "1:151", "3:3");
    }
  }

  @Test
  void theMigrationMovesTheIndexOfAnOlderStoreIntoTheTable() {
    Path dir = temp.resolve("s");
    Random r = new Random(6);
    byte[] alice = randomKey(r);
    byte[] bob = randomKey(r);
    try (Store store = Store.openFolder(dir, true)) {
      Jdbc db = new Jdbc(store.dataSource());
      // Back to the schema of V5, with entries written under it.
      db.update("DROP TABLE audit_subject_packs");
      db.update("DROP TABLE audit_subjects_indexed");
      db.update(
          "CREATE INDEX audit_log_by_subject ON audit_log (substr(entry, 18, 16), seq)"
              + " WHERE substr(entry, 17, 1) = x'10'");
      db.update("DROP TABLE record_subject_packs"); // and of V7 and V8, which come after
      db.update("DROP TABLE record_subjects_indexed");
      db.update("CREATE INDEX records_by_subject ON records (subject_key)");
      org.credo.store.SchemaRollback.undoStoreChanges(db); // and V9, which comes after
      db.update("DELETE FROM flyway_schema_history WHERE version IN ('6', '7', '8')");
      byte[] prev = ChainHash.GENESIS;
      ChainHash h = new ChainHash();
      byte[][] about = {alice, bob, null, alice};
      for (int i = 0; i < about.length; i++) {
        byte[] e = ChainHash.encode(i + 1, entry(about[i], i));
        prev = h.hash(e, prev);
        db.update("INSERT INTO audit_log (seq, entry, hash) VALUES (?, ?, ?)", i + 1, e, prev);
      }
    }
    try (Store store = Store.openFolder(dir, false);
        AuditLog log = AuditLog.open(store)) {
      assertThat(rows(store)).isEqualTo(3);
      assertThat(below(store)).isEqualTo(5);
      assertThat(seqsAbout(log, alice)).containsExactly(4L, 1L);
      assertThat(seqsAbout(log, bob)).containsExactly(2L);
      assertThat(log.verify(Optional.empty()).ok()).isTrue();
    }
  }
}
