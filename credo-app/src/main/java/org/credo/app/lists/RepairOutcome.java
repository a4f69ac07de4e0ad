package org.credo.app.lists;

import static java.util.Objects.requireNonNull;

import org.credo.app.Refusal;
import org.credo.app.disputes.DisputeOutcome;
import org.credo.disputes.DisputeException;
import org.credo.repairs.Repair;

/** What a repair step answers: the application as it now stands, or why not. */
public sealed interface RepairOutcome {

  /** The step was taken. */
  record Done(Repair repair) implements RepairOutcome {
    public Done {
      requireNonNull(repair, "repair is null");
    }
  }

  /** The step was refused (no entry to repair, already decided, past its deadline…). */
  record Refused(Kind kind, String code, String message) implements RepairOutcome, Refusal {
    static Refused of(DisputeException e) {
      return new Refused(DisputeOutcome.Refused.kindOf(e), e.code(), e.getMessage());
    }
  }
}
