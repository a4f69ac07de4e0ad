package org.credo.app.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import org.credo.app.policies.SimulationOutcome;

/**
 * A saved simulation as the API and {@code credo policy simulate --json} give it: its id (what an
 * activation names), the SHA-256 of the report's JSON as saved and audited, and the report.
 */
public record SimulationWire(String simulation, String sha256, JsonNode report) {
  public static SimulationWire of(SimulationOutcome.Simulated s) {
    try {
      return new SimulationWire(s.id(), s.reportSha256(), ApiWire.MAPPER.readTree(s.json()));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a saved simulation report is not JSON", e);
    }
  }
}
