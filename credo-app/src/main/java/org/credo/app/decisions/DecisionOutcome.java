package org.credo.app.decisions;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.credo.app.Refusal;
import org.credo.decisions.Decision;
import org.credo.policy.PolicyRef;
import org.credo.policy.Purpose;
import org.credo.subject.SubjectKind;

/** What {@link Decisions#decide} answers: a decision, or why none is given. */
public sealed interface DecisionOutcome {

  /**
   * A decision was made and its inquiry is being logged.
   *
   * @param answer completes with the decision's wire form once it is signed (when the application
   *     signs) and its inquiry committed; it fails with {@code InquiryLog.Unavailable} when either
   *     cannot be done, in which case no decision may be given
   */
  record DecisionMade(Decision decision, CompletableFuture<DecisionAnswer> answer)
      implements DecisionOutcome {
    public DecisionMade {
      requireNonNull(decision, "decision is null");
      requireNonNull(answer, "answer is null");
    }
  }

  /** The purpose needs the subject's consent to this party, and there is none live. */
  record ConsentMissing(Optional<String> party, Purpose purpose, PolicyRef policy)
      implements DecisionOutcome, Refusal {
    @Override
    public String code() {
      return "consent_required";
    }

    @Override
    public String message() {
      return party
          .map(
              p ->
                  "purpose '"
                      + purpose
                      + "' needs the subject's consent, and the subject has not granted it to '"
                      + p
                      + "' (or it expired or was revoked)")
          .orElse(
              "purpose '"
                  + purpose
                  + "' needs the subject's consent to a relying party: name the party (--party ID)");
    }

    @Override
    public Kind kind() {
      return Kind.FORBIDDEN;
    }
  }

  /** The caller's token names no party, or the party is not registered. */
  record PartyNotRegistered(Optional<String> party) implements DecisionOutcome, Refusal {
    @Override
    public String code() {
      return party.isPresent() ? "party_not_registered" : "forbidden";
    }

    @Override
    public String message() {
      return party
          .map(p -> "party '" + p + "' is not registered (credo party add " + p + " …)")
          .orElse("the token names no party");
    }

    @Override
    public Kind kind() {
      return Kind.FORBIDDEN;
    }
  }

  /** The party is registered, but not for this purpose. */
  record PurposeNotRegistered(String party, Purpose purpose, Set<Purpose> mayAsk)
      implements DecisionOutcome, Refusal {
    @Override
    public String code() {
      return "purpose_not_registered";
    }

    @Override
    public String message() {
      return "party '"
          + party
          + "' is not registered for purpose '"
          + purpose
          + "' (it may ask about "
          + mayAsk
          + ")";
    }

    @Override
    public Kind kind() {
      return Kind.FORBIDDEN;
    }
  }

  /** No active policy (or not the one named) declares the purpose. */
  record UnknownPurpose(Purpose purpose, Optional<String> policy)
      implements DecisionOutcome, Refusal {
    @Override
    public String code() {
      return "unknown_purpose";
    }

    @Override
    public String message() {
      return "no active policy"
          + policy.map(p -> " named '" + p + "'").orElse("")
          + " declares purpose '"
          + purpose
          + "'";
    }

    @Override
    public Kind kind() {
      return Kind.BAD_INPUT;
    }
  }

  /**
   * More than one active policy declares the purpose. Activation refuses a second declaration, so
   * this is seen only on a store activated before that rule.
   */
  record AmbiguousPurpose(Purpose purpose, List<String> policies)
      implements DecisionOutcome, Refusal {
    @Override
    public String code() {
      return "ambiguous_purpose";
    }

    @Override
    public String message() {
      return "purpose '" + purpose + "' is declared by policies " + policies + ": name one";
    }

    @Override
    public Kind kind() {
      return Kind.BAD_INPUT;
    }
  }

  /** The purpose's policy does not score this kind of subject. */
  record PurposeNotForSubject(Purpose purpose, PolicyRef policy, SubjectKind subjectKind)
      implements DecisionOutcome, Refusal {
    @Override
    public String code() {
      return "purpose_not_for_subject";
    }

    @Override
    public String message() {
      return "purpose '"
          + purpose
          + "' of policy "
          + policy
          + " does not apply to "
          + subjectKind.prefix()
          + " subjects";
    }

    @Override
    public Kind kind() {
      return Kind.BAD_INPUT;
    }
  }
}
