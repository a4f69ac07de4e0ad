package org.credo.decisions;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import org.credo.policy.PolicyRef;
import org.credo.policy.Purpose;
import org.credo.scoring.ReasonCode;
import org.credo.subject.SubjectId;

/**
 * A relying party's answer for one subject and one purpose. Every outcome carries its reason codes,
 * the policy version it was made under and how long it stays valid; it discloses only what the
 * purpose allows.
 */
public sealed interface Decision {
  SubjectId subject();

  Purpose purpose();

  PolicyRef policy();

  Instant decidedAt();

  Instant validUntil();

  List<ReasonCode> reasonCodes();

  Disclosed disclosed();

  /** {@code allow}, {@code deny} or {@code refer}. */
  String outcome();

  record Allowed(
      SubjectId subject,
      Purpose purpose,
      PolicyRef policy,
      Instant decidedAt,
      Instant validUntil,
      List<ReasonCode> reasonCodes,
      Disclosed disclosed)
      implements Decision {
    public Allowed {
      reasonCodes =
          checked(subject, purpose, policy, decidedAt, validUntil, reasonCodes, disclosed);
    }

    @Override
    public String outcome() {
      return "allow";
    }
  }

  record Denied(
      SubjectId subject,
      Purpose purpose,
      PolicyRef policy,
      Instant decidedAt,
      Instant validUntil,
      List<ReasonCode> reasonCodes,
      Disclosed disclosed)
      implements Decision {
    public Denied {
      reasonCodes =
          checked(subject, purpose, policy, decidedAt, validUntil, reasonCodes, disclosed);
    }

    @Override
    public String outcome() {
      return "deny";
    }
  }

  /** Not decided automatically: a person must look, or the subject must first give consent. */
  record Referred(
      SubjectId subject,
      Purpose purpose,
      PolicyRef policy,
      Instant decidedAt,
      Instant validUntil,
      List<ReasonCode> reasonCodes,
      Disclosed disclosed)
      implements Decision {
    public Referred {
      reasonCodes =
          checked(subject, purpose, policy, decidedAt, validUntil, reasonCodes, disclosed);
    }

    @Override
    public String outcome() {
      return "refer";
    }
  }

  private static List<ReasonCode> checked(
      SubjectId subject,
      Purpose purpose,
      PolicyRef policy,
      Instant decidedAt,
      Instant validUntil,
      List<ReasonCode> reasonCodes,
      Disclosed disclosed) {
    requireNonNull(subject, "subject is null");
    requireNonNull(purpose, "purpose is null");
    requireNonNull(policy, "policy is null");
    requireNonNull(decidedAt, "decidedAt is null");
    requireNonNull(validUntil, "validUntil is null");
    requireNonNull(disclosed, "disclosed is null");
    return List.copyOf(reasonCodes);
  }
}
