package org.credo.app.decisions;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A decision ready to give: its wire form (the same for {@code POST /v1/decisions} and {@code credo
 * decide --json}), signed when the application signs, and its outcome word.
 */
public record DecisionAnswer(ObjectNode body, String outcome) {
  public DecisionAnswer {
    requireNonNull(body, "body is null");
    requireNonNull(outcome, "outcome is null");
  }
}
