package org.credo.app.policies;

import static java.util.Objects.requireNonNull;

import org.credo.app.Refusal;
import org.credo.policy.Policy;
import org.credo.policy.PolicyRef;

/** What {@link Policies#activate} answers: the new active version, or why not. */
public sealed interface PolicyOutcome
    permits PolicyOutcome.Activated,
        InvalidPolicy,
        PolicyOutcome.VersionTaken,
        PolicyOutcome.PurposeConflict,
        PolicyOutcome.SimulationRequired {

  /**
   * Saved as a new version and active from the instant asked for.
   *
   * @param simulation the simulation of this text it rests on; empty when activated without one
   */
  record Activated(Policy policy, java.util.Optional<String> simulation) implements PolicyOutcome {
    public Activated {
      requireNonNull(policy, "policy is null");
      requireNonNull(simulation, "simulation is null");
    }
  }

  /**
   * The store holds records and this text was never simulated: simulate it first (who it moves,
   * which decisions it flips), or activate it explicitly without, which the audit log records.
   */
  record SimulationRequired(String file) implements PolicyOutcome, Refusal {
    @Override
    public String code() {
      return "simulation_required";
    }

    @Override
    public String message() {
      return "no simulation of "
          + file
          + " exists: run credo policy simulate "
          + file
          + " (or POST /v1/policies/simulate) first, or activate it --without-simulation"
          + " (\"withoutSimulation\": true), which is audited";
    }

    @Override
    public Kind kind() {
      return Kind.CONFLICT;
    }
  }

  /** Another text is saved under this policy's id and version: give the new text a new version. */
  record VersionTaken(PolicyRef policy) implements PolicyOutcome, Refusal {
    @Override
    public String code() {
      return "version_taken";
    }

    @Override
    public String message() {
      return "policy "
          + policy
          + " is already saved with other content: give the new text a new version";
    }

    @Override
    public Kind kind() {
      return Kind.CONFLICT;
    }
  }

  /**
   * The policy is fine, but a purpose it declares is declared by another active policy: one
   * purpose, one policy (a relying party's question must have one answer). Nothing was saved.
   */
  record PurposeConflict(String message) implements PolicyOutcome, Refusal {
    @Override
    public String code() {
      return "purpose_conflict";
    }

    @Override
    public Kind kind() {
      return Kind.CONFLICT;
    }
  }
}
