package org.credo.app.wire;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.credo.signing.Canonical;

/**
 * The JSON wire form of Credo's answers, kept apart from the domain types and shared by every front
 * door (the HTTP API and the CLI's {@code --json}). Each message is a record in this package
 * ({@link ScoreWire}, {@link ScoresWire}, {@link ReportWire}, {@link DecisionWire}…) that Jackson
 * writes with its fields in declaration order; numbers are {@link Num}s, rounded to two decimals
 * and written as integers when they are whole. This class holds the one mapper they share.
 */
public final class ApiWire {
  /** Writes the wire records; reads strictly (no trailing data, no key given twice). */
  public static final ObjectMapper MAPPER = org.credo.records.StrictJson.mapper();

  private ApiWire() {}

  public static com.fasterxml.jackson.databind.JsonNode num(double v) {
    return Canonical.number(Math.round(v * 100) / 100.0);
  }
}
