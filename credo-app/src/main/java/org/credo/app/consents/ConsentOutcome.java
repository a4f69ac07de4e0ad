package org.credo.app.consents;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import org.credo.access.Consent;
import org.credo.app.Refusal;
import org.credo.policy.Purpose;

/** What {@link SubjectConsents#grant} and {@link SubjectConsents#revoke} answer. */
public sealed interface ConsentOutcome {

  /** The consent as it now stands: granted, or revoked. */
  record Done(Consent consent) implements ConsentOutcome {
    public Done {
      requireNonNull(consent, "consent is null");
    }
  }

  /** No party of that id is registered: a subject cannot consent to a stranger. */
  record UnknownParty(String party) implements ConsentOutcome, Refusal {
    @Override
    public String code() {
      return "unknown_party";
    }

    @Override
    public String message() {
      return "party '" + party + "' is not registered";
    }

    @Override
    public Kind kind() {
      return Kind.BAD_INPUT;
    }
  }

  /** The party may not ask about that purpose, so a consent to it would mean nothing. */
  record PurposeNotRegistered(String party, Purpose purpose) implements ConsentOutcome, Refusal {
    @Override
    public String code() {
      return "purpose_not_registered";
    }

    @Override
    public String message() {
      return "party '" + party + "' is not registered for purpose '" + purpose + "'";
    }

    @Override
    public Kind kind() {
      return Kind.BAD_INPUT;
    }
  }

  /** A consent must last into the future. */
  record UntilNotAhead(Instant until) implements ConsentOutcome, Refusal {
    @Override
    public String code() {
      return "bad_request";
    }

    @Override
    public String message() {
      return "'until' " + until + " is not in the future";
    }

    @Override
    public Kind kind() {
      return Kind.BAD_INPUT;
    }
  }

  /** The subject has no consent of that id. */
  record UnknownConsent(String id) implements ConsentOutcome, Refusal {
    @Override
    public String code() {
      return "unknown_consent";
    }

    @Override
    public String message() {
      return "no consent " + id;
    }

    @Override
    public Kind kind() {
      return Kind.NOT_FOUND;
    }
  }

  /** The consent expired or was revoked before. */
  record AlreadyEnded(String id) implements ConsentOutcome, Refusal {
    @Override
    public String code() {
      return "consent_ended";
    }

    @Override
    public String message() {
      return "consent " + id + " has already expired or been revoked";
    }

    @Override
    public Kind kind() {
      return Kind.CONFLICT;
    }
  }
}
