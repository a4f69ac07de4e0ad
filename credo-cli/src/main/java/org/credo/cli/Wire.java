package org.credo.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.credo.app.wire.ApiWire;
import org.credo.decisions.Decision;
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

  /** A score in the same form as the HTTP API gives it, with the subject first. */
  static ObjectNode score(Score s) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("subject", s.subject().toString());
    n.setAll(ApiWire.score(s));
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
    ApiWire.reasons(n.putArray("reasonCodes"), d.reasonCodes());
    n.set("disclosed", ApiWire.disclosed(d.disclosed()));
    return n;
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
