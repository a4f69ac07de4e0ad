package org.credo.app.policies;

import static java.util.Objects.requireNonNull;

import org.credo.app.Refusal;

/** What {@link Simulations#simulate} answers: the saved report, or why there is none. */
public sealed interface SimulationOutcome
    permits SimulationOutcome.Simulated, InvalidPolicy, SimulationOutcome.UnknownVersion {

  /**
   * The report, saved under {@code id} with the SHA-256 of its JSON (also in the audit log).
   *
   * @param json the report as saved, whose SHA-256 is {@code reportSha256}
   */
  record Simulated(String id, String reportSha256, SimulationReport report, String json)
      implements SimulationOutcome {
    public Simulated {
      requireNonNull(id, "id is null");
      requireNonNull(reportSha256, "reportSha256 is null");
      requireNonNull(report, "report is null");
      requireNonNull(json, "json is null");
    }
  }

  /** The version to compare with is not saved (or, named without a version, not active). */
  record UnknownVersion(String against) implements SimulationOutcome, Refusal {
    @Override
    public String code() {
      return "unknown_policy_version";
    }

    @Override
    public String message() {
      return "policy "
          + against
          + " is not "
          + (against.contains("@") ? "saved" : "active")
          + ": name a saved version as ID@VERSION (credo policy history lists them)";
    }

    @Override
    public Kind kind() {
      return Kind.NOT_FOUND;
    }
  }
}
