package org.credo.app.subjects;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import org.credo.app.Caller;
import org.credo.audit.AuditEntry;
import org.credo.audit.AuditLog;
import org.credo.store.ScoringModes;
import org.credo.store.Store;
import org.credo.subject.SubjectId;

/**
 * Score-free mode (SPEC §4.6): a subject may opt out of aggregation and back in. Records are still
 * kept, disputable and expiring, and lists a law requires still apply; but under every policy the
 * engine computes no number and no grade for the subject from that instant on, a purpose that needs
 * a score refers with {@code subject_score_free}, and a certificate can state list claims only.
 * {@code PUT /v1/subjects/{s}/scoring}, the portal's toggle and {@code credo subject scoring} all
 * call this; every change is in the audit log.
 */
public final class SubjectScoring {
  private final Store store;
  private final AuditLog audit;

  public SubjectScoring(Store store, AuditLog audit) {
    this.store = requireNonNull(store, "store is null");
    this.audit = requireNonNull(audit, "audit is null");
  }

  /** Sets the subject's mode ({@code scored} or {@code score_free}) from {@code now} on. */
  public ScoringModeOutcome set(Caller caller, SubjectId subject, String mode, Instant now) {
    ScoringModes.Mode wanted;
    try {
      wanted = ScoringModes.Mode.parse(mode);
    } catch (IllegalArgumentException e) {
      return new ScoringModeOutcome.BadMode(mode);
    }
    byte[] key = store.keys().pseudonym(subject);
    ScoringModeOutcome.Current current = current(subject, now);
    if (current.mode() == wanted) {
      return current;
    }
    store.scoringModes().set(key, wanted, now, caller.actor());
    audit.appendAndWait(
        new AuditEntry(now, caller.actor(), "subject.scoring_mode", key, "mode=" + wanted.word()));
    return new ScoringModeOutcome.Current(wanted, now, true);
  }

  /** The subject's mode at {@code at}, and since when (the epoch when never changed). */
  public ScoringModeOutcome.Current current(SubjectId subject, Instant at) {
    return store
        .scoringModes()
        .changeAt(store.keys().pseudonym(subject), at)
        .map(c -> new ScoringModeOutcome.Current(c.mode(), c.at(), false))
        .orElse(new ScoringModeOutcome.Current(ScoringModes.Mode.SCORED, Instant.EPOCH, false));
  }
}
