package org.credo.app.wire;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.credo.access.Consent;
import org.credo.access.Inquiry;
import org.credo.app.scores.Report;
import org.credo.app.scores.ScoresOutcome;
import org.credo.audit.LoggedEntry;
import org.credo.decisions.Decision;
import org.credo.decisions.Disclosed;
import org.credo.disputes.Dispute;
import org.credo.lists.ListEntry;
import org.credo.notify.Notification;
import org.credo.policy.Scale;
import org.credo.records.RecordJson;
import org.credo.scoring.Contribution;
import org.credo.scoring.FactorResult;
import org.credo.scoring.ReasonCode;
import org.credo.scoring.Score;
import org.credo.signing.Canonical;

/**
 * The JSON wire form of Credo's answers, kept apart from the domain types and shared by every front
 * door (the HTTP API and the CLI's {@code --json}): fields in a fixed order, numbers rounded to two
 * decimals and written as integers when they are whole.
 */
public final class ApiWire {
  public static final ObjectMapper MAPPER = new ObjectMapper();

  private ApiWire() {}

  /** A score as the API and the CLI's {@code --json} show it (without the subject). */
  public static ObjectNode score(Score s) {
    return score(s, Set.of());
  }

  /**
   * A score as every door shows it (without the subject), its contributions from records under open
   * dispute marked {@code "disputed": true}.
   */
  public static ObjectNode score(Score s, Set<String> disputed) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("policy", s.policy().id());
    n.put("policyVersion", s.policy().version());
    n.put("asOf", s.asOf().toString());
    n.put("knownAt", s.knownAt().toString());
    n.set("score", num(s.value()));
    ObjectNode scale = n.putObject("scale");
    scale.set("min", num(s.scaleMin()));
    scale.set("max", num(s.scaleMax()));
    n.put("grade", s.grade().name());
    ArrayNode lists = n.putArray("lists");
    s.lists().forEach(e -> lists.add(list(e, s.asOf())));
    reasons(n.putArray("reasonCodes"), s.reasonCodes());
    if (!s.factors().isEmpty()) {
      ArrayNode factors = n.putArray("factors");
      for (FactorResult f : s.factors()) {
        ObjectNode o = factors.addObject();
        o.put("name", f.name());
        o.put("label", f.label());
        o.set("weight", num(f.weight()));
        o.set("signal", num(f.signal()));
        o.set("points", num(f.points()));
        o.set("shortfall", num(f.shortfall()));
        o.put("records", f.records());
      }
    }
    ArrayNode contributions = n.putArray("contributions");
    for (Contribution c : s.contributions()) {
      ObjectNode o = contributions.addObject();
      o.put("record", c.record().key());
      o.put("source", c.record().source().value());
      o.put("type", c.record().type().value());
      o.put("label", c.label());
      c.domain().ifPresent(d -> o.put("domain", d));
      o.put("occurred", c.record().occurred().toString());
      o.put("status", c.status().name().toLowerCase(Locale.ROOT));
      o.set("points", num(c.points()));
      if (c.capped()) {
        o.set("uncappedPoints", num(c.uncappedPoints()));
      }
      c.expiresAt().ifPresent(x -> o.put("expires", x.toString()));
      c.record().evidence().ifPresent(e -> o.put("evidence", e));
      if (disputed.contains(c.record().key())) {
        o.put("disputed", true);
      }
    }
    ArrayNode notes = n.putArray("notes");
    s.notes().forEach(notes::add);
    return n;
  }

  /**
   * A decision as {@code POST /v1/decisions} and {@code credo decide --json} give it (before the
   * signature, which the signer adds over exactly these bytes).
   *
   * @param id the inquiry's decision id, when the decision was logged
   * @param party the relying party asked for, if any
   * @param disputed how many of the subject's records are under open dispute
   */
  public static ObjectNode decision(
      Decision decision, Optional<String> id, Optional<String> party, Scale scale, int disputed) {
    ObjectNode body = MAPPER.createObjectNode();
    id.ifPresent(i -> body.put("id", i));
    body.put("subject", decision.subject().toString());
    body.put("purpose", decision.purpose().name());
    party.ifPresent(p -> body.put("party", p));
    body.put("outcome", decision.outcome());
    reasons(body.putArray("reasonCodes"), decision.reasonCodes());
    body.put("policy", decision.policy().id());
    body.put("policyVersion", decision.policy().version());
    body.put("decidedAt", decision.decidedAt().toString());
    body.put("validUntil", decision.validUntil().toString());
    body.set("disclosed", disclosed(decision.disclosed()));
    if (disputed > 0) {
      // Flagged, not explained: which records are disputed is the subject's business.
      body.put("disputed", true);
      body.put(
          "disputeNote",
          "the subject disputes "
              + (disputed == 1 ? "a record" : disputed + " records")
              + " Credo holds; the outcome may change when the dispute is answered");
    }
    if (decision instanceof Decision.Denied) {
      ObjectNode adverse = body.putObject("adverseAction");
      ArrayNode codes = adverse.putArray("reasonCodes");
      decision.reasonCodes().forEach(r -> codes.add(r.code()));
      ObjectNode range = adverse.putObject("scoreRange");
      range.set("min", num(scale.min()));
      range.set("max", num(scale.max()));
      adverse.put(
          "freeReport",
          "The subject may see everything Credo holds about them, free of charge: GET"
              + " /v1/subjects/{subject}/report with their subject token, or ask the operator.");
      adverse.put(
          "dispute",
          "The subject may dispute any record the decision rests on with the operator; a record"
              + " whose source does not answer within the deadline stops counting.");
    }
    return body;
  }

  /** Scores as {@code GET /v1/subjects/{s}/score} and {@code credo score --json} give them. */
  public static ObjectNode scores(ScoresOutcome.Scored scored) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("subject", scored.subject().toString());
    n.put("asOf", scored.asOf().toString());
    n.put("knownAt", scored.knownAt().toString());
    ArrayNode a = n.putArray("scores");
    scored.scores().forEach(s -> a.add(score(s, scored.disputed())));
    return n;
  }

  /** The report as {@code GET /v1/subjects/{s}/report} and {@code credo report --json} give it. */
  public static ObjectNode report(Report report) {
    Instant now = report.generatedAt();
    ObjectNode n = MAPPER.createObjectNode();
    n.put("subject", report.subject().toString());
    n.put("generatedAt", now.toString());
    ArrayNode recs = n.putArray("records");
    for (Report.Held h : report.records()) {
      ObjectNode o = RecordJson.toNode(h.record());
      h.dispute()
          .ifPresent(
              d -> {
                ObjectNode flag = o.putObject("dispute");
                flag.put("id", d.id());
                flag.put("state", d.state().word());
                flag.put("statement", d.statement());
                flag.put("disputed", d.state() == org.credo.disputes.DisputeState.OPEN);
              });
      ArrayNode by = o.putArray("scoredBy");
      h.scoredBy().forEach(by::add);
      if (h.scoredBy().isEmpty()) {
        o.put(
            "unscored",
            "no active policy scores records of type "
                + h.record().type()
                + ": it is kept, shown and disputable, but counts nowhere");
      }
      recs.add(o);
    }
    ArrayNode sc = n.putArray("scores");
    report.scores().forEach(s -> sc.add(score(s, report.disputed())));
    ArrayNode lists = n.putArray("lists");
    for (Score s : report.scores()) {
      s.lists()
          .forEach(
              e -> {
                ObjectNode o = list(e, s.asOf());
                o.put("policy", s.policy().id());
                lists.add(o);
              });
    }
    ArrayNode inq = n.putArray("inquiries");
    report.inquiries().forEach(i -> inq.add(inquiry(i)));
    ArrayNode con = n.putArray("consents");
    report.consents().forEach(c -> con.add(consent(c, now)));
    ArrayNode disp = n.putArray("disputes");
    report.disputes().forEach(d -> disp.add(dispute(d, now)));
    ArrayNode told = n.putArray("notifications");
    report.notifications().forEach(x -> told.add(notification(x)));
    ArrayNode aud = n.putArray("audit");
    report.audit().forEach(e -> aud.add(auditEntry(e)));
    n.put(
        "rights",
        "You may dispute any record with the operator; a record whose source does not answer"
            + " within the deadline stops counting. This report is free.");
    return n;
  }

  /** An audit log entry as a subject's report and the auditor's views show it. */
  public static ObjectNode auditEntry(LoggedEntry e) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("seq", e.seq());
    n.put("at", e.entry().at().toString());
    n.put("actor", e.entry().actor());
    n.put("action", e.entry().action());
    n.put("detail", e.entry().detail());
    return n;
  }

  public static ObjectNode list(ListEntry e, Instant asOf) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("list", e.list());
    o.put("kind", e.kind().word());
    o.put("inEffect", e.inEffectAt(asOf));
    o.put("basis", e.basis());
    e.recordKey().ifPresent(k -> o.put("record", k));
    o.put("noticeFrom", e.noticeFrom().toString());
    o.put("effectiveFrom", e.effectiveFrom().toString());
    e.until().ifPresent(u -> o.put("until", u.toString()));
    return o;
  }

  public static void reasons(ArrayNode array, List<ReasonCode> reasons) {
    for (ReasonCode r : reasons) {
      ObjectNode o = array.addObject();
      o.put("code", r.code());
      o.put("text", r.text());
      if (r.points() != 0) {
        o.set("points", num(r.points()));
      }
    }
  }

  public static ObjectNode disclosed(Disclosed d) {
    ObjectNode disclosed = MAPPER.createObjectNode();
    d.score().ifPresent(v -> disclosed.set("score", num(v)));
    d.grade().ifPresent(g -> disclosed.put("grade", g.name()));
    d.lists()
        .ifPresent(
            l -> {
              ArrayNode a = disclosed.putArray("lists");
              l.stream().sorted().forEach(a::add);
            });
    d.factors()
        .ifPresent(
            f -> {
              ObjectNode o = disclosed.putObject("factors");
              f.entrySet().stream()
                  .sorted(java.util.Map.Entry.comparingByKey())
                  .forEach(e -> o.set(e.getKey(), num(e.getValue())));
            });
    return disclosed;
  }

  /** An inquiry as the API and {@code credo report --json} show it. */
  public static ObjectNode inquiry(Inquiry i) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("at", i.at().toString());
    o.put("party", i.party());
    o.put("purpose", i.purpose().name());
    o.put("outcome", i.outcome());
    i.policy()
        .ifPresent(
            p -> {
              o.put("policy", p.id());
              o.put("policyVersion", p.version());
            });
    o.put("decision", i.decisionId());
    return o;
  }

  public static ObjectNode consent(Consent c, Instant now) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("id", c.id());
    o.put("party", c.party());
    o.put("purpose", c.purpose().name());
    o.put("granted", c.granted().toString());
    o.put("until", c.until().toString());
    c.revoked().ifPresent(r -> o.put("revoked", r.toString()));
    o.put("state", c.state(now));
    return o;
  }

  public static com.fasterxml.jackson.databind.JsonNode num(double v) {
    return Canonical.number(Math.round(v * 100) / 100.0);
  }

  /** A dispute with its history, as the API and the CLI show it. */
  public static ObjectNode dispute(Dispute d, Instant now) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("id", d.id());
    o.put("record", d.record());
    o.put("source", d.source());
    o.put("statement", d.statement());
    o.put("state", d.state().word());
    o.put("opened", d.opened().toString());
    o.put("deadline", d.deadline().toString());
    o.put("overdue", d.overdue(now));
    d.answered().ifPresent(t -> o.put("answered", t.toString()));
    d.answeredBy().ifPresent(t -> o.put("answeredBy", t));
    d.reason().ifPresent(t -> o.put("reason", t));
    d.result().ifPresent(t -> o.put("result", t));
    ArrayNode h = o.putArray("history");
    for (Dispute.Event e : d.history()) {
      ObjectNode x = h.addObject();
      x.put("at", e.at().toString());
      x.put("state", e.state().word());
      x.put("by", e.actor());
      e.note().ifPresent(t -> x.put("note", t));
    }
    return o;
  }

  /** A notice to a subject with its delivery state. */
  public static ObjectNode notification(Notification n) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("id", "ntf-" + n.seq());
    o.put("kind", n.notice().kind());
    o.put("message", n.notice().message());
    ObjectNode d = o.putObject("details");
    n.notice().details().forEach(d::put);
    o.put("created", n.created().toString());
    o.put("delivery", n.state());
    o.put("attempts", n.attempts());
    n.delivered().ifPresent(t -> o.put("delivered", t.toString()));
    n.lastError().ifPresent(t -> o.put("lastError", t));
    return o;
  }
}
