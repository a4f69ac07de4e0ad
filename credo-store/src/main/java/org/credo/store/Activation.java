package org.credo.store;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import org.credo.policy.PolicyRef;

/** A policy version made active at an instant; the history of these says what was active when. */
public record Activation(PolicyRef policy, Instant at) {
  public Activation {
    requireNonNull(policy, "policy is null");
    requireNonNull(at, "at is null");
  }
}
