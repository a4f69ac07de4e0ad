package org.credo.app.disputes;

import static java.util.Objects.requireNonNull;

import org.credo.app.Refusal;
import org.credo.disputes.Dispute;
import org.credo.disputes.DisputeException;

/** What a step of the dispute workflow answers: the dispute as it now stands, or why not. */
public sealed interface DisputeOutcome {

  /** The step was taken (or, for a read, the dispute the caller may see). */
  record Done(Dispute dispute) implements DisputeOutcome {
    public Done {
      requireNonNull(dispute, "dispute is null");
    }
  }

  /**
   * No such dispute that the caller may see: the same answer whether it does not exist or is
   * another subject's or source's, so nobody probes others' disputes.
   */
  record UnknownDispute(String id) implements DisputeOutcome, Refusal {
    @Override
    public String code() {
      return "unknown_dispute";
    }

    @Override
    public String message() {
      return "there is no dispute " + id;
    }

    @Override
    public Kind kind() {
      return Kind.NOT_FOUND;
    }
  }

  /**
   * The workflow's own "no" — a record not the subject's, a closed dispute, a deadline passed, a
   * statement too long… — with its stable code; nothing was changed.
   */
  record Refused(Kind kind, String code, String message) implements DisputeOutcome, Refusal {
    public Refused {
      requireNonNull(kind, "kind is null");
      requireNonNull(code, "code is null");
      requireNonNull(message, "message is null");
    }

    static Refused of(DisputeException e) {
      return new Refused(kindOf(e), e.code(), e.getMessage());
    }

    /** The refusal's kind of a dispute or repair step's exception. */
    public static Kind kindOf(DisputeException e) {
      return switch (e.kind()) {
        case NOT_FOUND -> Kind.NOT_FOUND;
        case FORBIDDEN -> Kind.FORBIDDEN;
        case CONFLICT -> Kind.CONFLICT;
        case BAD_INPUT -> Kind.BAD_INPUT;
      };
    }
  }
}
