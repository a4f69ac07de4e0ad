package org.credo.app.scores;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.credo.access.Consent;
import org.credo.access.Inquiry;
import org.credo.audit.LoggedEntry;
import org.credo.disputes.Dispute;
import org.credo.notify.Notification;
import org.credo.records.Record;
import org.credo.scoring.Score;
import org.credo.subject.SubjectId;

/**
 * Everything a subject is entitled to see (SPEC §5, {@code credo report}, {@code GET
 * /v1/subjects/{s}/report}): every record held, the score under every active policy with its
 * contributions, lists, who asked, consents, disputes, notices and the audit entries about them.
 */
public record Report(
    SubjectId subject,
    Instant generatedAt,
    List<Held> records,
    List<Score> scores,
    Set<String> disputed,
    List<Inquiry> inquiries,
    List<Consent> consents,
    List<Dispute> disputes,
    List<Notification> notifications,
    List<LoggedEntry> audit) {
  public Report {
    requireNonNull(subject, "subject is null");
    requireNonNull(generatedAt, "generatedAt is null");
    records = List.copyOf(records);
    scores = List.copyOf(scores);
    disputed = Set.copyOf(disputed);
    inquiries = List.copyOf(inquiries);
    consents = List.copyOf(consents);
    disputes = List.copyOf(disputes);
    notifications = List.copyOf(notifications);
    audit = List.copyOf(audit);
  }

  /**
   * One record held, with its latest dispute and the active policies that know its type (none: it
   * is kept, shown and disputable, but scored by no policy — SPEC §2).
   */
  public record Held(
      Record record,
      Optional<Dispute> dispute,
      List<String> scoredBy,
      Optional<org.credo.subject.MatchCheck> match) {
    public Held {
      requireNonNull(record, "record is null");
      requireNonNull(dispute, "dispute is null");
      scoredBy = List.copyOf(scoredBy);
      requireNonNull(match, "match is null");
    }

    /**
     * How the record's subject was matched, in one line: the masked identifier and the check it
     * passed (never a name).
     */
    public String matchEvidence() {
      return match
          .map(m -> "matched by " + record.subject().masked() + ", " + m.description())
          .orElse("stored before Credo kept match evidence: the check it passed is not recorded");
    }
  }

  /** How many inquiries, notifications and audit entries a report shows (newest first). */
  public static final int RECENT = 100;
}
