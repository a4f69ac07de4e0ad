package org.credo.scoring;

import static java.util.Objects.requireNonNull;

import java.util.Set;

/**
 * A factor's value in a factor policy: the signal in 0…1, its weight, the points it adds to the
 * scale's minimum ({@code signal × weight × range}) and the points it leaves on the table.
 */
public record FactorResult(
    String name,
    String label,
    Set<String> domains,
    double weight,
    double signal,
    double points,
    double shortfall,
    int records) {
  public FactorResult {
    requireNonNull(name, "name is null");
    requireNonNull(label, "label is null");
    domains = Set.copyOf(domains);
  }
}
