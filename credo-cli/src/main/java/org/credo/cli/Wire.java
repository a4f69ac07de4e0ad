package org.credo.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * Pretty-printing of the application's wire forms ({@code org.credo.app.wire}) for {@code --json}.
 */
final class Wire {
  static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Wire() {}

  static String pretty(Object node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
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
