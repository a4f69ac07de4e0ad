package org.credo.policy;

import static java.util.Objects.requireNonNull;

import java.util.Set;

/**
 * One weighted factor of a factor policy; the weights of a policy's factors add up to 1.
 *
 * @param optIn the subject takes part by choice (endorsements): a subject who has no record of the
 *     factor's types is not scored on it at all — no points either way, no reason code — and its
 *     weight is spread over the factors that apply
 */
public record Factor(
    String name, double weight, Set<Domain> domains, Signal signal, String label, boolean optIn) {
  public Factor {
    requireNonNull(name, "name is null");
    domains = Set.copyOf(domains);
    requireNonNull(signal, "signal is null");
    requireNonNull(label, "label is null");
  }
}
