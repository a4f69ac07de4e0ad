package org.credo.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.credo.access.Consent;
import org.credo.access.Inquiry;
import org.credo.decisions.Disclosed;
import org.credo.disputes.Dispute;
import org.credo.lists.ListEntry;
import org.credo.notify.Notification;
import org.credo.scoring.Contribution;
import org.credo.scoring.FactorResult;
import org.credo.scoring.ReasonCode;
import org.credo.scoring.Score;
import org.credo.signing.Canonical;

/**
 * The JSON wire form of the API's answers, kept apart from the domain types: fields in a fixed
 * order, numbers rounded to two decimals and written as integers when they are whole.
 */
public final class ApiWire {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private ApiWire() {}

  /** A score as the API and the CLI's {@code --json} show it (without the subject). */
  public static ObjectNode score(Score s) {
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
    }
    ArrayNode notes = n.putArray("notes");
    s.notes().forEach(notes::add);
    return n;
  }

  static ObjectNode list(ListEntry e, Instant asOf) {
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

  static ObjectNode consent(Consent c, Instant now) {
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

  static com.fasterxml.jackson.databind.JsonNode num(double v) {
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
