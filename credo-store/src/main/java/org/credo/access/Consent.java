package org.credo.access;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;
import org.credo.policy.Purpose;

/**
 * A subject's consent that one relying party may ask about one purpose, from {@code granted} until
 * {@code until} or its revocation, whichever comes first (SPEC §4.6).
 */
public record Consent(
    String id,
    String party,
    Purpose purpose,
    Instant granted,
    Instant until,
    Optional<Instant> revoked) {
  public Consent {
    requireNonNull(id, "id is null");
    requireNonNull(party, "party is null");
    requireNonNull(purpose, "purpose is null");
    requireNonNull(granted, "granted is null");
    requireNonNull(until, "until is null");
    requireNonNull(revoked, "revoked is null");
  }

  /** True while the consent holds at {@code at}. */
  public boolean liveAt(Instant at) {
    return !at.isBefore(granted) && at.isBefore(until) && revoked.map(at::isBefore).orElse(true);
  }

  /** {@code live}, {@code expired} or {@code revoked} at {@code at}. */
  public String state(Instant at) {
    if (revoked.isPresent() && !at.isBefore(revoked.get())) {
      return "revoked";
    }
    return at.isBefore(until) ? "live" : "expired";
  }
}
