package org.credo.app.wire;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import org.credo.signing.Canonical;

/**
 * A number on the wire: rounded to two decimals and written as an integer when it is whole, the
 * form the signed decisions' canonical bytes also use.
 */
public record Num(double value) {
  public static Num of(double value) {
    return new Num(value);
  }

  @JsonValue
  public JsonNode json() {
    return Canonical.number(Math.round(value * 100) / 100.0);
  }
}
