package org.credo.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.credo.store.Jdbc;
import org.credo.store.Store;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the audit log must do on every store, run against SQLite and a real PostgreSQL server: each
 * kind of tampering is found, and at the right entry.
 */
abstract class AuditLogContract {
  static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
  static final byte[] ALICE = key(1);
  static final byte[] BOB = key(2);

  Store store;
  Jdbc db;

  abstract Store freshStore();

  @BeforeEach
  void open() {
    store = freshStore();
    db = new Jdbc(store.dataSource());
  }

  @AfterEach
  void close() {
    store.close();
  }

  static byte[] key(int b) {
    byte[] k = new byte[16];
    java.util.Arrays.fill(k, (byte) b);
    return k;
  }

  static AuditEntry entry(int i) {
    return new AuditEntry(
        T0.plusMillis(i),
        "relying_party:tok-" + (i % 3),
        i % 4 == 0 ? "subject.report" : "decision",
        i % 2 == 0 ? ALICE : i % 3 == 0 ? null : BOB,
        "purpose=air_travel outcome=allow n=" + i);
  }

  /** Appends {@code n} entries (seq 1 … n) and waits for them. */
  void fill(AuditLog log, int n) {
    List<CompletableFuture<Long>> all = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      all.add(log.append(entry(i)));
    }
    all.forEach(AuditLog::await);
  }

  Verification verify() {
    return AuditLog.verify(store, Optional.empty());
  }

  /** Verified in {@code parts} parts even though the log is small, to exercise the joins. */
  Verification verifyInParts(int parts) {
    return AuditVerifier.verify(store, Optional.empty(), parts, 1);
  }

  void swapContents(long a, long b) {
    // Renumbering the two rows swaps every column but seq.
    db.update("UPDATE audit_log SET seq = -1 WHERE seq = ?", a);
    db.update("UPDATE audit_log SET seq = ? WHERE seq = ?", a, b);
    db.update("UPDATE audit_log SET seq = ? WHERE seq = -1", b);
  }

  @Test
  void appendsInOrderAndAnIntactChainVerifies() {
    try (AuditLog log = AuditLog.open(store)) {
      fill(log, 50);
      assertThat(log.appendAndWait(entry(51))).isEqualTo(51);
    }
    Verification v = verify();
    assertThat(v.ok()).as(v.reason()).isTrue();
    assertThat(v.entries()).isEqualTo(51);
    assertThat(verifyInParts(4).ok()).isTrue();
    assertThat(verifyInParts(4).entries()).isEqualTo(51);
  }

  @Test
  void textThatIsNotAsciiAndEmptyTextHashAlikeWhereverTheyAreRead() {
    try (AuditLog log = AuditLog.open(store)) {
      log.appendAndWait(new AuditEntry(T0, "cli:zoë", "source.add", null, ""));
      log.appendAndWait(new AuditEntry(T0, "cli:x", "note", ALICE, "fee 12 € · ok ✓ 𝄞"));
    }
    assertThat(verify().ok()).as(verify().reason()).isTrue();
    assertThat(verify().entries()).isEqualTo(2);
  }

  @Test
  void refusesAnEntryTooLongToEncodeAtAppendNotInItsGroup() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new AuditEntry(T0, "x".repeat(1001), "a", null, ""))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anEmptyLogVerifies() {
    assertThat(verify().ok()).isTrue();
    assertThat(verify().entries()).isZero();
  }

  @Test
  void findsOneChangedByteOfOneEntrysDetail() {
    try (AuditLog log = AuditLog.open(store)) {
      fill(log, 30);
    }
    byte[] entry = db.one("SELECT entry FROM audit_log WHERE seq = 17", rs -> rs.getBytes(1)).get();
    entry[entry.length - 3] ^= 1; // one bit of one byte of the detail
    db.update("UPDATE audit_log SET entry = ? WHERE seq = 17", entry);
    assertThat(ChainHash.decode(entry).entry().detail()).isNotEqualTo(entry(17).detail());
    for (Verification v : List.of(verify(), verifyInParts(3))) {
      assertThat(v.ok()).isFalse();
      assertThat(v.firstBad()).hasValue(17);
      assertThat(v.reason()).contains("entry 17").contains("changed");
    }
  }

  @Test
  void findsADeletedEntry() {
    try (AuditLog log = AuditLog.open(store)) {
      fill(log, 30);
    }
    db.update("DELETE FROM audit_log WHERE seq = 12");
    for (Verification v : List.of(verify(), verifyInParts(3))) {
      assertThat(v.firstBad()).hasValue(12);
      assertThat(v.reason()).contains("entry 12 is missing");
    }
  }

  @Test
  void findsADeletedEntryAtEitherSideOfAJoinBetweenParts() {
    try (AuditLog log = AuditLog.open(store)) {
      fill(log, 30);
    }
    db.update("DELETE FROM audit_log WHERE seq = 10"); // the last of the first part of three
    assertThat(verifyInParts(3).firstBad()).hasValue(10);
    db.update("DELETE FROM audit_log WHERE seq = 1");
    assertThat(verifyInParts(3).firstBad()).hasValue(1);
    assertThat(verify().firstBad()).hasValue(1);
  }

  @Test
  void aSubjectsViewShowsWhatTheChainHolds() {
    try (AuditLog log = AuditLog.open(store)) {
      fill(log, 10);
      assertThat(log.about(ALICE, 100)).hasSize(5);
      // The view is found through the key inside each entry: there is no second copy to change.
      byte[] entry =
          db.one("SELECT entry FROM audit_log WHERE seq = 4", rs -> rs.getBytes(1)).get();
      System.arraycopy(BOB, 0, entry, 17, 16);
      db.update("UPDATE audit_log SET entry = ? WHERE seq = 4", entry);
      assertThat(log.about(ALICE, 100)).hasSize(4);
    }
    assertThat(verify().firstBad()).hasValue(4);
  }

  @Test
  void findsTwoSwappedEntries() {
    try (AuditLog log = AuditLog.open(store)) {
      fill(log, 30);
    }
    swapContents(8, 21);
    for (Verification v : List.of(verify(), verifyInParts(3))) {
      assertThat(v.firstBad()).hasValue(8);
    }
  }

  @Test
  void findsTwoAdjacentEntriesSwappedAcrossAJoin() {
    try (AuditLog log = AuditLog.open(store)) {
      fill(log, 30);
    }
    swapContents(10, 11);
    assertThat(verifyInParts(3).firstBad()).hasValue(10);
    assertThat(verify().firstBad()).hasValue(10);
  }

  @Test
  void findsAnEntryChangedInPlaceWithItsHash() {
    // Whoever changes an entry and recomputes its hash breaks the link to the next entry.
    try (AuditLog log = AuditLog.open(store)) {
      fill(log, 30);
    }
    rewriteFrom(5, false);
    assertThat(verify().firstBad()).hasValue(6);
  }

  /**
   * Changes entry {@code seq}'s detail and recomputes its hash (and, if asked, every later one).
   */
  void rewriteFrom(long seq, boolean all) {
    ChainHash h = new ChainHash();
    byte[] prev =
        seq == 1
            ? ChainHash.GENESIS
            : db.one("SELECT hash FROM audit_log WHERE seq = ?", rs -> rs.getBytes(1), seq - 1)
                .get();
    long last = all ? db.one("SELECT MAX(seq) FROM audit_log", rs -> rs.getLong(1)).get() : seq;
    for (long s = seq; s <= last; s++) {
      LoggedEntry e =
          ChainHash.decode(
              db.one("SELECT entry FROM audit_log WHERE seq = ?", rs -> rs.getBytes(1), s).get());
      AuditEntry changed =
          s == seq
              ? new AuditEntry(
                  e.entry().at(),
                  e.entry().actor(),
                  e.entry().action(),
                  e.entry().subjectKey(),
                  e.entry().detail() + " (edited)")
              : e.entry();
      byte[] entry = ChainHash.encode(s, changed);
      byte[] hash = h.hash(entry, prev);
      db.update("UPDATE audit_log SET entry = ?, hash = ? WHERE seq = ?", entry, hash, s);
      prev = hash;
    }
  }

  // ---- checkpoints --------------------------------------------------------------------------

  static final class TestKey implements Signer {
    final KeyPair pair;

    TestKey() throws Exception {
      pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    }

    @Override
    public String keyId() {
      return "test-key";
    }

    @Override
    public byte[] sign(byte[] message) {
      try {
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(pair.getPrivate());
        s.update(message);
        return s.sign();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    SignatureCheck check() {
      PublicKey pub = pair.getPublic();
      return (keyId, message, signature) -> {
        try {
          Signature s = Signature.getInstance("Ed25519");
          s.initVerify(pub);
          s.update(message);
          return keyId.equals("test-key") && s.verify(signature);
        } catch (Exception e) {
          return false;
        }
      };
    }
  }

  @Test
  void signsCheckpointsEveryNEntriesAndOnClose() throws Exception {
    TestKey key = new TestKey();
    AuditLog.Options o = AuditLog.Options.defaults().withSigner(key, 10, Duration.ofHours(1));
    try (AuditLog log = AuditLog.open(store, o)) {
      for (int i = 1; i <= 25; i++) {
        log.appendAndWait(entry(i)); // one commit each: a checkpoint as soon as 10 are new
      }
      assertThat(log.checkpoints()).extracting(Checkpoint::seq).containsExactly(10L, 20L);
      assertThat(log.checkpoint(key)).get().extracting(Checkpoint::seq).isEqualTo(25L);
      assertThat(log.checkpoint(key)).isEmpty(); // nothing new since
      log.appendAndWait(entry(26));
    }
    try (AuditLog log = AuditLog.open(store)) {
      assertThat(log.checkpoints()).extracting(Checkpoint::seq).containsExactly(10L, 20L, 25L, 26L);
    }
    Verification v = AuditLog.verify(store, Optional.of(key.check()));
    assertThat(v.ok()).as(v.reason()).isTrue();
    assertThat(v.checkpoints()).isEqualTo(4);
    assertThat(v.signaturesChecked()).isTrue();
  }

  @Test
  void signsACheckpointWhenTheIntervalHasPassedEvenWhenIdle() throws Exception {
    TestKey key = new TestKey();
    AuditLog.Options o = AuditLog.Options.defaults().withSigner(key, 1_000, Duration.ofMillis(50));
    try (AuditLog log = AuditLog.open(store, o)) {
      log.appendAndWait(entry(1));
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (log.checkpoints().isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(log.checkpoints()).extracting(Checkpoint::seq).containsExactly(1L);
      Thread.sleep(300); // nothing new since: no second checkpoint of the same head
      assertThat(log.checkpoints()).hasSize(1);
    }
  }

  @Test
  void findsACheckpointWhoseSignatureWasChanged() throws Exception {
    TestKey key = new TestKey();
    try (AuditLog log = AuditLog.open(store)) {
      fill(log, 20);
      log.checkpoint(key);
    }
    byte[] sig =
        db.one("SELECT signature FROM audit_checkpoints WHERE seq = 20", rs -> rs.getBytes(1))
            .get();
    sig[10] ^= 1;
    db.update("UPDATE audit_checkpoints SET signature = ? WHERE seq = 20", sig);
    Verification v = AuditLog.verify(store, Optional.of(key.check()));
    assertThat(v.firstBad()).hasValue(20);
    assertThat(v.reason()).contains("signature of checkpoint 20");
    assertThat(verify().ok()).as("without the public key signatures are not checked").isTrue();
  }

  @Test
  void aRecomputedChainIsCaughtByTheCheckpointItNoLongerMatches() throws Exception {
    TestKey key = new TestKey();
    try (AuditLog log = AuditLog.open(store)) {
      fill(log, 20);
      log.checkpoint(key);
      fill(log, 5);
    }
    rewriteFrom(7, true); // a consistent chain again, but not the one that was signed
    Verification v = AuditLog.verify(store, Optional.of(key.check()));
    assertThat(v.firstBad()).hasValue(20);
    assertThat(v.reason()).contains("checkpoint 20").contains("rewritten");
  }

  @Test
  void findsEntriesRemovedFromTheEndUpToTheLastCheckpointButNotAfterIt() throws Exception {
    TestKey key = new TestKey();
    try (AuditLog log = AuditLog.open(store)) {
      fill(log, 20);
      log.checkpoint(key);
      fill(log, 5);
    }
    db.update("DELETE FROM audit_log WHERE seq > 22");
    assertThat(AuditLog.verify(store, Optional.of(key.check())).ok())
        .as("the tail after the last checkpoint is not protected")
        .isTrue();
    db.update("DELETE FROM audit_log WHERE seq > 18");
    Verification v = AuditLog.verify(store, Optional.of(key.check()));
    assertThat(v.firstBad()).hasValue(20);
    assertThat(v.reason()).contains("removed from the end");
  }

  // ---- readers, writers, companions ------------------------------------------------------

  @Test
  void aSubjectSeesOnlyTheEntriesAboutItNewestFirst() {
    try (AuditLog log = AuditLog.open(store)) {
      fill(log, 12);
      List<LoggedEntry> alice = log.about(ALICE, 100);
      assertThat(alice).extracting(LoggedEntry::seq).containsExactly(12L, 10L, 8L, 6L, 4L, 2L);
      assertThat(alice).allSatisfy(e -> assertThat(e.entry().subjectKey()).isEqualTo(ALICE));
      assertThat(alice.get(0).entry()).isEqualTo(entry(12));
      assertThat(log.about(ALICE, 2)).hasSize(2);
      assertThat(log.about(key(9), 10)).isEmpty();
    }
  }

  @Test
  void twoWritersOnOneStoreExtendOneChain() {
    try (AuditLog a = AuditLog.open(store);
        AuditLog b = AuditLog.open(store)) {
      List<CompletableFuture<Long>> all = new ArrayList<>();
      for (int i = 1; i <= 200; i++) {
        all.add((i % 2 == 0 ? a : b).append(entry(i)));
      }
      all.forEach(AuditLog::await);
    }
    Verification v = verify();
    assertThat(v.ok()).as(v.reason()).isTrue();
    assertThat(v.entries()).isEqualTo(200);
  }

  @Test
  void companionRowsCommitWithTheirEntry() {
    try (AuditLog log = AuditLog.open(store)) {
      long seq =
          AuditLog.await(
              log.append(
                  entry(1),
                  List.of(
                      new AuditLog.Companion(
                          "INSERT INTO inquiries (subject_key, party_id, purpose, outcome,"
                              + " decision_id, at_us) VALUES (?, ?, ?, ?, ?, ?)",
                          BOB,
                          "airline",
                          "air_travel",
                          "allow",
                          "dec-1",
                          1L))));
      assertThat(seq).isEqualTo(1);
    }
    assertThat(db.one("SELECT COUNT(*) FROM inquiries", rs -> rs.getLong(1))).contains(1L);
  }

  @Test
  void aGroupCommitWaitNeverHoldsALoneCaller() {
    AuditLog.Options waiting =
        AuditLog.Options.defaults().withGroupCommitWait(Duration.ofSeconds(1));
    try (AuditLog log = AuditLog.open(store, waiting)) {
      // One caller at a time: every commit holds one entry, so none waits for company.
      long started = System.nanoTime();
      for (int i = 1; i <= 5; i++) {
        log.appendAndWait(entry(i));
      }
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
      assertThat(log.batches()).isEqualTo(5);
    }
    assertThat(verify().ok()).isTrue();
  }

  @Test
  void aDisabledLogWritesCompanionsOnly() {
    AuditLog.Options off =
        new AuditLog.Options(
            100,
            Optional.empty(),
            10,
            Duration.ofMinutes(1),
            java.time.Clock.systemUTC(),
            false,
            Duration.ZERO,
            Duration.ZERO);
    try (AuditLog log = AuditLog.open(store, off)) {
      assertThat(log.appendAndWait(entry(1))).isZero();
    }
    assertThat(verify().entries()).isZero();
  }
}
