package org.credo.signing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/**
 * The canonical form that Credo signs: the JSON object with every object's members sorted by name
 * (UTF-16 code units, as {@link String#compareTo}), no whitespace, UTF-8. Credo emits only strings
 * without control characters, integers and numbers with at most two decimals, for which this is the
 * JSON Canonicalization Scheme (RFC 8785): any JCS library reproduces the same bytes.
 */
public final class Canonical {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().configure(JsonNodeFeature.WRITE_PROPERTIES_SORTED, true);

  private Canonical() {}

  /**
   * The canonical bytes of {@code node}. A number with an integral value is written as an integer
   * ({@code 1035}, not {@code 1035.0}), as a JCS implementation writes it.
   */
  public static byte[] bytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(normalized(node)).getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A JSON number for {@code value}: an integer when it is one, else the double. */
  public static JsonNode number(double value) {
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return LongNode.valueOf((long) value);
    }
    return DoubleNode.valueOf(value);
  }

  private static JsonNode normalized(JsonNode node) {
    if (node.isObject()) {
      ObjectNode out = MAPPER.createObjectNode();
      node.properties().forEach(e -> out.set(e.getKey(), normalized(e.getValue())));
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = MAPPER.createArrayNode();
      node.forEach(e -> out.add(normalized(e)));
      return out;
    }
    if (node.isFloatingPointNumber()) {
      return number(node.doubleValue());
    }
    return node;
  }
}
