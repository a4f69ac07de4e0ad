package org.credo.app.records;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import org.credo.ingest.ImportSummary;

/**
 * What {@link RecordIntake#submit} answers: the counts, and each record's fate in the order sent.
 */
public record Submission(ImportSummary summary, List<Fate> records) {
  public Submission {
    requireNonNull(summary, "summary is null");
    records = List.copyOf(records);
  }

  /** What became of one record. */
  public enum Status {
    /** Stored as new. */
    ACCEPTED,
    /** Already stored with the same content (or sent twice in one submission). */
    DUPLICATE,
    /** Refused: not a record, or a check failed. */
    REJECTED,
    /** Its (source, id) is stored with other content; the reason names the differences. */
    CONFLICT;

    /** The word the wire uses. */
    public String word() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * @param index the record's position in the submission, from 0
   * @param id the record's id, when it has one
   */
  public record Fate(int index, Optional<String> id, Status status, Optional<String> reason) {
    public Fate {
      requireNonNull(id, "id is null");
      requireNonNull(status, "status is null");
      requireNonNull(reason, "reason is null");
    }
  }
}
