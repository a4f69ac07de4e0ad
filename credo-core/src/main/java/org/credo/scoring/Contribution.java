package org.credo.scoring;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;
import org.credo.records.Record;

/**
 * One record's part in a score: the rule it fell under, the points it gave (after caps), the points
 * it would have given uncapped, and what became of it.
 *
 * @param domain the rule's domain, empty for a type the policy does not know
 * @param expiresAt when the record stops counting under its rule
 */
public record Contribution(
    Record record,
    Optional<String> domain,
    String label,
    ContributionStatus status,
    double points,
    double uncappedPoints,
    Optional<Instant> expiresAt) {
  public Contribution {
    requireNonNull(record, "record is null");
    requireNonNull(domain, "domain is null");
    requireNonNull(label, "label is null");
    requireNonNull(status, "status is null");
    requireNonNull(expiresAt, "expiresAt is null");
  }

  /** True when the cap took some or all of this record's points. */
  public boolean capped() {
    return status == ContributionStatus.CAPPED;
  }
}
