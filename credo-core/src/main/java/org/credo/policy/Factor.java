package org.credo.policy;

import static java.util.Objects.requireNonNull;

import java.util.Set;

/** One weighted factor of a factor policy; the weights of a policy's factors add up to 1. */
public record Factor(String name, double weight, Set<Domain> domains, Signal signal, String label) {
  public Factor {
    requireNonNull(name, "name is null");
    domains = Set.copyOf(domains);
    requireNonNull(signal, "signal is null");
    requireNonNull(label, "label is null");
  }
}
