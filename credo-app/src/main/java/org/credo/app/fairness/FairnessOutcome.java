package org.credo.app.fairness;

import org.credo.app.Refusal;

/** What {@link FairnessAudit#report} answers. */
public sealed interface FairnessOutcome {
  /** The report. */
  record Reported(FairnessReport report) implements FairnessOutcome {}

  /** No active policy has that id. */
  record NoActivePolicy(String policy) implements FairnessOutcome, Refusal {
    @Override
    public String code() {
      return "no_active_policy";
    }

    @Override
    public String message() {
      return "no active policy is called '"
          + policy
          + "': name one of the active policies (credo policy history)";
    }

    @Override
    public Kind kind() {
      return Kind.BAD_INPUT;
    }
  }
}
