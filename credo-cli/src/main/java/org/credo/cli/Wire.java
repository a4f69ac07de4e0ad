package org.credo.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.credo.decisions.Decision;
import org.credo.lists.ListEntry;
import org.credo.scoring.Contribution;
import org.credo.scoring.FactorResult;
import org.credo.scoring.ReasonCode;
import org.credo.scoring.Score;

/**
 * The JSON wire form of scores and decisions: fields in a fixed order, kept apart from the core.
 */
final class Wire {
  static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Wire() {}

  static String pretty(com.fasterxml.jackson.databind.JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static ObjectNode score(Score s) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("subject", s.subject().toString());
    n.put("policy", s.policy().id());
    n.put("policyVersion", s.policy().version());
    n.put("asOf", s.asOf().toString());
    n.put("knownAt", s.knownAt().toString());
    n.put("score", round(s.value()));
    ObjectNode scale = n.putObject("scale");
    scale.put("min", s.scaleMin());
    scale.put("max", s.scaleMax());
    n.put("grade", s.grade().name());
    ArrayNode lists = n.putArray("lists");
    s.lists().forEach(e -> lists.add(list(e, s)));
    reasons(n.putArray("reasonCodes"), s.reasonCodes());
    if (!s.factors().isEmpty()) {
      ArrayNode factors = n.putArray("factors");
      for (FactorResult f : s.factors()) {
        ObjectNode o = factors.addObject();
        o.put("name", f.name());
        o.put("label", f.label());
        o.put("weight", f.weight());
        o.put("signal", round(f.signal()));
        o.put("points", round(f.points()));
        o.put("shortfall", round(f.shortfall()));
        o.put("records", f.records());
      }
    }
    ArrayNode contributions = n.putArray("contributions");
    for (Contribution c : s.contributions()) {
      ObjectNode o = contributions.addObject();
      o.put("record", c.record().key());
      o.put("type", c.record().type().value());
      o.put("label", c.label());
      c.domain().ifPresent(d -> o.put("domain", d));
      o.put("occurred", c.record().occurred().toString());
      o.put("status", c.status().name().toLowerCase(java.util.Locale.ROOT));
      o.put("points", round(c.points()));
      if (c.capped()) {
        o.put("uncappedPoints", round(c.uncappedPoints()));
      }
      c.expiresAt().ifPresent(x -> o.put("expires", x.toString()));
      c.record().evidence().ifPresent(e -> o.put("evidence", e));
    }
    ArrayNode notes = n.putArray("notes");
    s.notes().forEach(notes::add);
    return n;
  }

  static ObjectNode decision(Decision d) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("subject", d.subject().toString());
    n.put("purpose", d.purpose().name());
    n.put("outcome", d.outcome());
    n.put("policy", d.policy().id());
    n.put("policyVersion", d.policy().version());
    n.put("decidedAt", d.decidedAt().toString());
    n.put("validUntil", d.validUntil().toString());
    reasons(n.putArray("reasonCodes"), d.reasonCodes());
    ObjectNode disclosed = n.putObject("disclosed");
    d.disclosed().score().ifPresent(v -> disclosed.put("score", round(v)));
    d.disclosed().grade().ifPresent(g -> disclosed.put("grade", g.name()));
    d.disclosed()
        .lists()
        .ifPresent(
            l -> {
              ArrayNode a = disclosed.putArray("lists");
              l.forEach(a::add);
            });
    d.disclosed()
        .factors()
        .ifPresent(
            f -> {
              ObjectNode o = disclosed.putObject("factors");
              f.forEach((k, v) -> o.put(k, round(v)));
            });
    return n;
  }

  private static ObjectNode list(ListEntry e, Score s) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("list", e.list());
    o.put("kind", e.kind().word());
    o.put("inEffect", e.inEffectAt(s.asOf()));
    o.put("basis", e.basis());
    o.put("noticeFrom", e.noticeFrom().toString());
    o.put("effectiveFrom", e.effectiveFrom().toString());
    e.until().ifPresent(u -> o.put("until", u.toString()));
    return o;
  }

  private static void reasons(ArrayNode array, java.util.List<ReasonCode> reasons) {
    for (ReasonCode r : reasons) {
      ObjectNode o = array.addObject();
      o.put("code", r.code());
      o.put("text", r.text());
      if (r.points() != 0) {
        o.put("points", round(r.points()));
      }
    }
  }

  static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }

  /** A text field of a one-line JSON object, or null. */
  static String field(String json, String name) {
    try {
      com.fasterxml.jackson.databind.JsonNode node = MAPPER.readTree(json).get(name);
      return node == null ? null : node.asText();
    } catch (JsonProcessingException e) {
      return null;
    }
  }
}
