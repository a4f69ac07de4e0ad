package org.credo.app.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import org.credo.app.sources.SourceOutcome;
import org.credo.app.sources.Sources;
import org.credo.disputes.SourceQuality;

/** The sources' accountability, as {@code GET /v1/sources} gives it. */
public record SourcesWire(
    double reviewThreshold, int reviewMinimumDisputes, List<SourceWire> sources) {

  /** One source's figures; {@code medianAnswerSeconds} is null before any answer. */
  public record SourceWire(
      String id,
      List<String> types,
      long records,
      int disputes,
      int open,
      int upheld,
      int rejected,
      int expired,
      double upheldRate,
      Double medianAnswerSeconds,
      boolean flaggedForReview,
      boolean suspended,
      @JsonInclude(JsonInclude.Include.NON_NULL) String suspendedSince,
      @JsonInclude(JsonInclude.Include.NON_NULL) String suspensionReason) {

    static SourceWire of(SourceQuality.Report r) {
      return new SourceWire(
          r.source(),
          r.types(),
          r.records(),
          r.disputes(),
          r.open(),
          r.upheld(),
          r.rejected(),
          r.expired(),
          r.upheldRate(),
          r.medianAnswerSeconds().isPresent() ? r.medianAnswerSeconds().getAsDouble() : null,
          r.flagged(),
          r.suspended().isPresent(),
          r.suspended().map(Instant::toString).orElse(null),
          r.suspensionReason().orElse(null));
    }
  }

  /**
   * A source's suspension as changed: suspended with its reason, or resumed with what it released.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Suspension(String source, boolean suspended, String reason, Integer released) {
    public static Suspension of(SourceOutcome.Suspended s) {
      return new Suspension(s.source().value(), true, s.reason(), null);
    }

    public static Suspension of(SourceOutcome.Resumed r) {
      return new Suspension(r.source().value(), false, null, r.released());
    }
  }

  public static SourcesWire of(Sources.Accountability a) {
    return new SourcesWire(
        a.threshold(), a.minimumDisputes(), a.sources().stream().map(SourceWire::of).toList());
  }
}
