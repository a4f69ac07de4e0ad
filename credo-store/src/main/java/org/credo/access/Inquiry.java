package org.credo.access;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;
import org.credo.policy.PolicyRef;
import org.credo.policy.Purpose;

/**
 * One access to a subject's data, as the subject sees it: who asked, for which purpose, when, and
 * with what outcome ({@code allow}, {@code deny}, {@code refer}, or {@code refused} when Credo did
 * not answer, e.g. for want of consent).
 */
public record Inquiry(
    String party,
    Purpose purpose,
    String outcome,
    Optional<PolicyRef> policy,
    String decisionId,
    Instant at) {
  public Inquiry {
    requireNonNull(party, "party is null");
    requireNonNull(purpose, "purpose is null");
    requireNonNull(outcome, "outcome is null");
    requireNonNull(policy, "policy is null");
    requireNonNull(decisionId, "decisionId is null");
    requireNonNull(at, "at is null");
  }
}
