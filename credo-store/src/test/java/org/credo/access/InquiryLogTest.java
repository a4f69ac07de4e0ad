package org.credo.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.credo.audit.AuditLog;
import org.credo.policy.PolicyRef;
import org.credo.policy.Purpose;
import org.credo.store.Jdbc;
import org.credo.store.Store;
import org.credo.subject.SubjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inquiries are kept in the audit log (each decision's audit entry is its inquiry) and, while the
 * audit log is disabled or in stores written before, in the inquiries table: listing and finding
 * one reads both.
 */
class InquiryLogTest {
  static final SubjectId ALICE = SubjectId.parse("person:370102199001011231");
  static final SubjectId BOB = SubjectId.parse("person:371082198506120049");
  static final Instant T = Instant.parse("2026-11-22T10:00:00Z");

  @TempDir Path temp;

  static Inquiry decision(String id, int minutes, String outcome) {
    return new Inquiry(
        "airline",
        Purpose.of("air_travel"),
        outcome,
        Optional.of(new PolicyRef("rongcheng-style", 3)),
        id,
        T.plusSeconds(60L * minutes));
  }

  static Inquiry read(String id, int minutes) {
    return new Inquiry(
        "operator:tok-1",
        Purpose.of("report"),
        "read",
        Optional.empty(),
        id,
        T.plusSeconds(60L * minutes));
  }

  static long tableRows(Store store) {
    return new Jdbc(store.dataSource())
        .one("SELECT COUNT(*) FROM inquiries", rs -> rs.getLong(1))
        .orElseThrow();
  }

  void appendAndRead(Store store, AuditLog audit) {
    InquiryLog log = new InquiryLog(store, audit);
    log.append(ALICE, decision("dec-1", 1, "allow"), "relying_party:tok-9", "decision").join();
    log.append(ALICE, read("read-2", 2), "operator:tok-1", "subject.report").join();
    log.append(ALICE, decision("dec-3", 3, "deny"), "relying_party:tok-9", "decision").join();
    log.append(BOB, decision("dec-4", 4, "allow"), "relying_party:tok-9", "decision").join();

    assertThat(log.list(ALICE, 10))
        .containsExactly(
            decision("dec-3", 3, "deny"), read("read-2", 2), decision("dec-1", 1, "allow"));
    assertThat(log.list(ALICE, 2)).containsExactly(decision("dec-3", 3, "deny"), read("read-2", 2));
    assertThat(log.list(BOB, 10)).containsExactly(decision("dec-4", 4, "allow"));
    assertThat(log.find(ALICE, "dec-1")).contains(decision("dec-1", 1, "allow"));
    assertThat(log.find(ALICE, "read-2")).contains(read("read-2", 2));
    assertThat(log.find(BOB, "dec-1")).isEmpty();
    assertThat(log.find(ALICE, "dec-")).isEmpty();
  }

  @Test
  void theAuditLogHoldsEachInquiryOnce() {
    try (Store store = Store.openFolder(temp.resolve("s"), true);
        AuditLog audit = AuditLog.open(store)) {
      appendAndRead(store, audit);
      assertThat(tableRows(store)).as("no second copy in the inquiries table").isZero();
    }
  }

  @Test
  void withTheAuditLogDisabledTheTableHoldsThem() {
    AuditLog.Options d = AuditLog.Options.defaults();
    AuditLog.Options off =
        new AuditLog.Options(
            d.capacity(),
            d.signer(),
            d.checkpointEvery(),
            d.checkpointInterval(),
            d.clock(),
            false,
            d.indexCycle(),
            d.groupCommitWait());
    try (Store store = Store.openFolder(temp.resolve("s"), true);
        AuditLog audit = AuditLog.open(store, off)) {
      appendAndRead(store, audit);
      assertThat(tableRows(store)).isEqualTo(4);
    }
  }

  @Test
  void aStoreWrittenBeforeListsItsTableRowsWithTheNewEntries() {
    try (Store store = Store.openFolder(temp.resolve("s"), true);
        AuditLog audit = AuditLog.open(store)) {
      // An older server wrote both a table row and an entry without the inquiry prefix.
      Inquiry old = decision("dec-0", 0, "allow");
      new Jdbc(store.dataSource())
          .update(
              "INSERT INTO inquiries (subject_key, party_id, purpose, outcome, policy_id,"
                  + " policy_version, decision_id, at_us) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
              store.keys().pseudonym(ALICE),
              old.party(),
              old.purpose().name(),
              old.outcome(),
              "rongcheng-style",
              3,
              old.decisionId(),
              Jdbc.micros(old.at()));
      InquiryLog log = new InquiryLog(store, audit);
      log.append(ALICE, decision("dec-5", 5, "refer"), "relying_party:tok-9", "decision").join();
      assertThat(log.list(ALICE, 10)).containsExactly(decision("dec-5", 5, "refer"), old);
      assertThat(log.find(ALICE, "dec-0")).contains(old);
      assertThat(List.of(log.list(ALICE, 1).get(0).decisionId())).containsExactly("dec-5");
    }
  }
}
