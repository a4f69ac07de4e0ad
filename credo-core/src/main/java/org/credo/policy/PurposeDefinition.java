package org.credo.policy;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.Set;

/**
 * What a relying party may ask for one purpose: the domains it may consider, its conditions
 * (checked in the order deny, refer, allow), whether consent is required, what the decision
 * discloses and how long it stays valid.
 */
public record PurposeDefinition(
    Purpose purpose,
    Set<Domain> domains,
    Optional<Expression> allowIf,
    Optional<Expression> denyIf,
    Optional<Expression> referIf,
    boolean consentRequired,
    Set<Disclosure> discloses,
    TimeSpan validFor,
    String label) {
  public PurposeDefinition {
    requireNonNull(purpose, "purpose is null");
    domains = Set.copyOf(domains);
    requireNonNull(allowIf, "allowIf is null");
    requireNonNull(denyIf, "denyIf is null");
    requireNonNull(referIf, "referIf is null");
    discloses = Set.copyOf(discloses);
    requireNonNull(validFor, "validFor is null");
    requireNonNull(label, "label is null");
  }
}
