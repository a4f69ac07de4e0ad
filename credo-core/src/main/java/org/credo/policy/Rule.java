package org.credo.policy;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;
import org.credo.records.RecordType;

/**
 * How one record type counts.
 *
 * @param points for a points scale; zero in a factor policy, where factors read the records
 * @param expires how long after it occurred a record counts (at most ten years)
 * @param list the list a record of this type puts its subject on while it counts
 * @param attributes the attributes a record of this type must carry
 * @param addOnly true for endorsements: an expression's negative result counts as zero
 * @param label a short human text for reports, e.g. "Traffic offence"
 */
public record Rule(
    RecordType type,
    Domain domain,
    PointsFormula points,
    TimeSpan expires,
    Severity severity,
    Optional<Cap> cap,
    Optional<String> list,
    Map<String, AttributeType> attributes,
    boolean addOnly,
    String label) {
  public Rule {
    requireNonNull(type, "type is null");
    requireNonNull(domain, "domain is null");
    requireNonNull(points, "points is null");
    requireNonNull(expires, "expires is null");
    requireNonNull(severity, "severity is null");
    requireNonNull(cap, "cap is null");
    requireNonNull(list, "list is null");
    attributes = Map.copyOf(attributes);
    requireNonNull(label, "label is null");
  }
}
