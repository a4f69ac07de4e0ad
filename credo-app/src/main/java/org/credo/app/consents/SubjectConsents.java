package org.credo.app.consents;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.credo.access.Consent;
import org.credo.access.Consents;
import org.credo.access.Parties;
import org.credo.access.Party;
import org.credo.policy.Purpose;
import org.credo.subject.SubjectId;

/**
 * A subject's consents (SPEC §4.6): granted to one registered relying party for one purpose it may
 * ask about, until a time; revocable; never pre-granted. {@code POST} and {@code DELETE
 * /v1/subjects/{s}/consents} call this; the decision's consent rule reads what it wrote.
 */
public final class SubjectConsents {
  private final Consents consents;
  private final Parties parties;

  public SubjectConsents(Consents consents, Parties parties) {
    this.consents = requireNonNull(consents, "consents is null");
    this.parties = requireNonNull(parties, "parties is null");
  }

  /** Grants {@code party} consent for {@code purpose} until {@code until}. */
  public ConsentOutcome grant(
      SubjectId subject, String party, Purpose purpose, Instant until, Instant now) {
    Optional<Party> registered = parties.find(party);
    if (registered.isEmpty()) {
      return new ConsentOutcome.UnknownParty(party);
    }
    if (!registered.get().mayAsk(purpose)) {
      return new ConsentOutcome.PurposeNotRegistered(party, purpose);
    }
    if (!until.isAfter(now)) {
      return new ConsentOutcome.UntilNotAhead(until);
    }
    return new ConsentOutcome.Done(consents.grant(subject, party, purpose, until, now));
  }

  /** Revokes the subject's consent {@code id} from {@code now} on. */
  public ConsentOutcome revoke(SubjectId subject, String id, Instant now) {
    return switch (consents.revoke(subject, id, now)) {
      case NOT_FOUND -> new ConsentOutcome.UnknownConsent(id);
      case ALREADY_ENDED -> new ConsentOutcome.AlreadyEnded(id);
      case REVOKED -> new ConsentOutcome.Done(consents.find(subject, id).orElseThrow());
    };
  }

  /** The subject's consents, live and past. */
  public List<Consent> list(SubjectId subject) {
    return consents.list(subject);
  }
}
