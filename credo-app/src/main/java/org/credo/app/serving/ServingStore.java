package org.credo.app.serving;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.credo.decisions.Decider;
import org.credo.decisions.Decision;
import org.credo.decisions.Disclosed;
import org.credo.policy.Grade;
import org.credo.policy.Policy;
import org.credo.policy.PolicyRef;
import org.credo.policy.Purpose;
import org.credo.policy.PurposeDefinition;
import org.credo.scoring.ReasonCode;
import org.credo.scoring.Scorer;
import org.credo.store.Store;
import org.credo.subject.SubjectId;

/**
 * Serving mode (SPEC §6): decisions and scores answered from what the streaming job last computed
 * and its sink wrote to the serving tables of this store, instead of from records this process
 * holds — so the API scales with the database, not with one JVM's heap. Consent, inquiries,
 * signatures and the audit log stay where they are: {@link org.credo.app.decisions.Decisions} asks
 * this class only for the decision itself.
 *
 * <p>A subject the job holds nothing about is decided as the engine decides a thin file: on the
 * score of no records, made here by the same core.
 */
public final class ServingStore {
  /** JSON without the wire package: serving sits beside the features that render. */
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  private final Store store;
  private final org.credo.store.ServingTables tables;

  public ServingStore(Store store) {
    this.store = requireNonNull(store, "store is null");
    this.tables = new org.credo.store.ServingTables(store.jdbc());
  }

  /** The key the job files a subject under: its pseudonym, in hex, as on {@code credo.records}. */
  public String key(SubjectId subject) {
    return HexFormat.of().formatHex(store.keys().pseudonym(subject));
  }

  /**
   * The decision for {@code purpose} under {@code policy}, as of {@code now}: the job's decision
   * inputs (outcome, reason codes, disclosed fields, policy version), dated now and valid for the
   * purpose's period from now, as the embedded engine would date them.
   */
  public Decision decide(SubjectId subject, Policy policy, Purpose purpose, Instant now) {
    List<String> rows =
        tables.decision(key(subject), policy.id(), purpose.name()).stream().toList();
    PurposeDefinition def = policy.purpose(purpose).orElseThrow();
    boolean scoreFree =
        store.scoringModes().modeAt(store.keys().pseudonym(subject), now)
            == org.credo.store.ScoringModes.Mode.SCORE_FREE;
    if (rows.isEmpty()) {
      var score = Scorer.score(policy, subject, List.of(), now, now);
      return Decider.decide(
          policy,
          scoreFree ? score.withoutNumber(org.credo.scoring.NoScore.scoreFree()) : score,
          purpose);
    }
    JsonNode body = read(rows.get(0));
    if (scoreFree && Decider.needsScore(def)) {
      // The subject's own choice, kept in this store (the job does not see it): a purpose that
      // reads the score is referred, as the engine refers it, and nothing scored is disclosed.
      var why = org.credo.scoring.NoScore.scoreFree();
      Disclosed d = disclosed(body.path("disclosed"));
      return new Decision.Referred(
          subject,
          purpose,
          new PolicyRef(body.path("policy").asText(), body.path("policyVersion").asInt()),
          now,
          def.validFor().addTo(now),
          List.of(new ReasonCode(why.code(), why.reason(), 0)),
          new Disclosed(OptionalDouble.empty(), Optional.empty(), d.lists(), Optional.empty()));
    }
    List<ReasonCode> reasons = new ArrayList<>();
    for (JsonNode r : body.path("reasonCodes")) {
      reasons.add(
          new ReasonCode(
              r.path("code").asText(), r.path("text").asText(), r.path("points").asDouble(0)));
    }
    boolean conditionError = reasons.stream().anyMatch(r -> r.code().equals("condition_error"));
    Instant validUntil = conditionError ? now : def.validFor().addTo(now);
    PolicyRef ref = new PolicyRef(body.path("policy").asText(), body.path("policyVersion").asInt());
    Disclosed disclosed = disclosed(body.path("disclosed"));
    return switch (body.path("outcome").asText()) {
      case "allow" ->
          new Decision.Allowed(subject, purpose, ref, now, validUntil, reasons, disclosed);
      case "deny" ->
          new Decision.Denied(subject, purpose, ref, now, validUntil, reasons, disclosed);
      default -> new Decision.Referred(subject, purpose, ref, now, validUntil, reasons, disclosed);
    };
  }

  private static Disclosed disclosed(JsonNode d) {
    Optional<List<String>> lists = Optional.empty();
    if (d.has("lists")) {
      List<String> names = new ArrayList<>();
      d.path("lists").forEach(n -> names.add(n.asText()));
      lists = Optional.of(names);
    }
    Optional<Map<String, Double>> factors = Optional.empty();
    if (d.has("factors")) {
      Map<String, Double> f = new LinkedHashMap<>();
      d.path("factors").fields().forEachRemaining(e -> f.put(e.getKey(), e.getValue().asDouble()));
      factors = Optional.of(f);
    }
    return new Disclosed(
        d.has("score") ? OptionalDouble.of(d.path("score").asDouble()) : OptionalDouble.empty(),
        d.has("grade") ? Optional.of(new Grade(d.path("grade").asText())) : Optional.empty(),
        lists,
        factors);
  }

  /**
   * The subject's latest scores, as {@code GET /v1/subjects/{s}/score} gives them: the request's
   * instant at the top, and each score as of the instant the job made it (it has not changed
   * since); empty when the job holds none.
   */
  public Optional<ObjectNode> scores(SubjectId subject, Optional<String> policy, Instant now) {
    List<String> rows = tables.scores(key(subject));
    ArrayNode scores = JSON.createArrayNode();
    for (String row : rows) {
      JsonNode score = read(row).path("scores").path(0);
      if (policy.isEmpty() || score.path("policy").asText().equals(policy.get())) {
        scores.add(score);
      }
    }
    if (scores.isEmpty()) {
      return Optional.empty();
    }
    ObjectNode out = JSON.createObjectNode();
    out.put("subject", subject.toString());
    out.put("asOf", now.toString());
    out.put("knownAt", now.toString());
    out.put("served", "streaming job");
    out.set("scores", scores);
    return Optional.of(out);
  }

  /**
   * The records the job holds for the subject, as its report shows them (no free-text evidence: the
   * serving store does not keep it).
   */
  public List<org.credo.records.Record> records(SubjectId subject) {
    List<org.credo.records.Record> out = new ArrayList<>();
    for (String body : tables.records(key(subject))) {
      ObjectNode node = (ObjectNode) read(body);
      node.put("subject", subject.toString());
      out.add(
          org.credo.records.RecordJson.fromNode(
              node, Optional.empty(), null, org.credo.records.RecordJson.LATEST));
    }
    return out;
  }

  /**
   * The subject's scores under {@code policies} as of {@code now}, made here by the core from the
   * records the job holds — what the job gives, for a report — with score-free mode applied.
   */
  public List<org.credo.scoring.Score> scores(
      SubjectId subject,
      List<org.credo.records.Record> records,
      List<Policy> policies,
      Instant now) {
    boolean scoreFree =
        store.scoringModes().modeAt(store.keys().pseudonym(subject), now)
            == org.credo.store.ScoringModes.Mode.SCORE_FREE;
    List<org.credo.scoring.Score> out = new ArrayList<>();
    for (Policy p : policies) {
      if (p.subjects().contains(subject.kind())) {
        var score = org.credo.dueprocess.DueProcess.score(p, subject, records, now, now);
        out.add(scoreFree ? score.withoutNumber(org.credo.scoring.NoScore.scoreFree()) : score);
      }
    }
    return out;
  }

  private static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
