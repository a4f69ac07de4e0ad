package org.credo.app.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.credo.decisions.Decision;
import org.credo.decisions.Disclosed;
import org.credo.policy.Scale;

/**
 * A decision as {@code POST /v1/decisions} and {@code credo decide --json} give it, before the
 * signature: the signer signs the canonical bytes of exactly this form ({@link #tree()}) and adds
 * {@code keyId} and {@code signature} to it.
 *
 * @param id the inquiry's decision id, when the decision was logged
 * @param party the relying party asked for, if any
 * @param disputed true when the subject has records under open dispute (flagged, not explained:
 *     which records are disputed is the subject's business)
 * @param adverseAction for a denial: the adverse action notice's reasons, range and rights
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DecisionWire(
    String id,
    String subject,
    String purpose,
    String party,
    String outcome,
    List<ReasonWire> reasonCodes,
    String policy,
    int policyVersion,
    String decidedAt,
    String validUntil,
    DisclosedWire disclosed,
    Boolean disputed,
    String disputeNote,
    AdverseAction adverseAction) {

  /** Only what the purpose discloses: each field is left out unless its purpose declares it. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record DisclosedWire(
      Num score, String grade, List<String> lists, Map<String, Num> factors) {
    public static DisclosedWire of(Disclosed d) {
      return new DisclosedWire(
          d.score().isPresent() ? Num.of(d.score().getAsDouble()) : null,
          d.grade().map(g -> g.name()).orElse(null),
          d.lists().map(l -> l.stream().sorted().toList()).orElse(null),
          d.factors()
              .map(
                  f -> {
                    Map<String, Num> sorted = new TreeMap<>();
                    f.forEach((k, v) -> sorted.put(k, Num.of(v)));
                    return sorted;
                  })
              .orElse(null));
    }
  }

  /** What a denied subject is told: the reasons, the score's range, the free report, disputes. */
  public record AdverseAction(
      List<String> reasonCodes, ScoreWire.Range scoreRange, String freeReport, String dispute) {}

  /**
   * @param disputed how many of the subject's records are under open dispute
   */
  public static DecisionWire of(
      Decision decision, Optional<String> id, Optional<String> party, Scale scale, int disputed) {
    AdverseAction adverse = null;
    if (decision instanceof Decision.Denied) {
      adverse =
          new AdverseAction(
              decision.reasonCodes().stream().map(r -> r.code()).toList(),
              new ScoreWire.Range(Num.of(scale.min()), Num.of(scale.max())),
              "The subject may see everything Credo holds about them, free of charge: GET"
                  + " /v1/subjects/{subject}/report with their subject token, or ask the"
                  + " operator.",
              "The subject may dispute any record the decision rests on with the operator; a"
                  + " record whose source does not answer within the deadline stops counting.");
    }
    return new DecisionWire(
        id.orElse(null),
        decision.subject().toString(),
        decision.purpose().name(),
        party.orElse(null),
        decision.outcome(),
        ReasonWire.of(decision.reasonCodes()),
        decision.policy().id(),
        decision.policy().version(),
        decision.decidedAt().toString(),
        decision.validUntil().toString(),
        DisclosedWire.of(decision.disclosed()),
        disputed > 0 ? Boolean.TRUE : null,
        disputed > 0
            ? "the subject disputes "
                + (disputed == 1 ? "a record" : disputed + " records")
                + " Credo holds; the outcome may change when the dispute is answered"
            : null,
        adverse);
  }

  /** This form as a JSON tree, to sign and to add the signature to. */
  public ObjectNode tree() {
    return ApiWire.MAPPER.valueToTree(this);
  }
}
