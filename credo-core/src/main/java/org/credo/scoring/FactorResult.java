package org.credo.scoring;

import static java.util.Objects.requireNonNull;

import java.util.Set;

/**
 * A factor's value in a factor policy: the signal in 0…1, its weight, the points it adds to the
 * scale's minimum ({@code signal × applied weight × range}) and the points it leaves on the table.
 *
 * @param weight the weight the policy gives the factor
 * @param appliedWeight the weight it had for this subject: its weight over the weights of the
 *     factors that apply (an opt-in factor the subject does not take part in applies not at all)
 * @param participating false for an opt-in factor the subject has no record of: it counts nothing
 *     either way and gives no reason code
 */
public record FactorResult(
    String name,
    String label,
    Set<String> domains,
    double weight,
    double signal,
    double points,
    double shortfall,
    int records,
    double appliedWeight,
    boolean participating) {
  public FactorResult {
    requireNonNull(name, "name is null");
    requireNonNull(label, "label is null");
    domains = Set.copyOf(domains);
  }
}
