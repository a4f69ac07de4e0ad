package org.credo.app.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import org.credo.app.replays.ReplayOutcome;
import org.credo.decisions.Decision;

/** A replayed decision as {@code GET /v1/decisions/{id}/replay} gives it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReplayWire(
    String decision,
    String subject,
    String party,
    String purpose,
    String decidedAt,
    String recordedOutcome,
    Run original,
    boolean reproduced,
    Run withTodaysKnowledge,
    Run today) {

  /** The decision made again under one policy version and one state of knowledge. */
  public record Run(
      String asOf,
      String knownAt,
      String policy,
      int policyVersion,
      String outcome,
      List<ReasonWire> reasonCodes,
      DecisionWire.DisclosedWire disclosed) {
    public static Run of(Instant asOf, Instant knownAt, Decision d) {
      return new Run(
          asOf.toString(),
          knownAt.toString(),
          d.policy().id(),
          d.policy().version(),
          d.outcome(),
          ReasonWire.of(d.reasonCodes()),
          DecisionWire.DisclosedWire.of(d.disclosed()));
    }

    static Run of(ReplayOutcome.Run r) {
      return of(r.asOf(), r.knownAt(), r.decision());
    }
  }

  public static ReplayWire of(ReplayOutcome.Replayed r) {
    return new ReplayWire(
        r.id(),
        r.subject().toString(),
        r.party(),
        r.purpose().name(),
        r.decidedAt().toString(),
        r.recordedOutcome(),
        Run.of(r.original()),
        r.reproduced(),
        Run.of(r.withTodaysKnowledge()),
        r.today().map(Run::of).orElse(null));
  }
}
