package org.credo.app.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.credo.app.records.Submission;
import org.credo.ingest.ImportSummary;

/** The answer to {@code POST /v1/records}: the counts, then each record's fate in order. */
public record SubmissionWire(Summary summary, List<RecordFate> records) {
  /** The counts of a submission. */
  public record Summary(
      long records,
      long accepted,
      long superseding,
      long retracting,
      long duplicate,
      long rejected,
      long conflicts) {}

  /** One record's fate; {@code reason} for a refused or conflicting one. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record RecordFate(int index, String id, String status, String reason) {}

  public static SubmissionWire of(Submission s) {
    ImportSummary c = s.summary();
    return new SubmissionWire(
        new Summary(
            c.lines(),
            c.accepted(),
            c.superseding(),
            c.retracting(),
            c.duplicate(),
            c.rejected(),
            c.conflicts()),
        s.records().stream()
            .map(
                f ->
                    new RecordFate(
                        f.index(), f.id().orElse(null), f.status().word(), f.reason().orElse(null)))
            .toList());
  }
}
