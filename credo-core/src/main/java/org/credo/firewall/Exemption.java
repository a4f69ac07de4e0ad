package org.credo.firewall;

import static java.util.Objects.requireNonNull;

import java.util.Set;
import java.util.TreeSet;

/**
 * A reviewed exception to the lexicon, kept in a catalogue: the exact {@code name} (a record type,
 * a domain, an attribute, a list, factor or purpose name) may contain the lexicon terms in {@code
 * allows}, for the stated {@code reason}. It covers that name only — not a longer or shorter one —
 * and, for a catalogue entry's type, the entry's description, attributes and values.
 */
public record Exemption(String name, Set<String> allows, String reason) {
  public Exemption {
    requireNonNull(name, "name is null");
    requireNonNull(reason, "reason is null");
    allows = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(allows));
    if (allows.isEmpty()) {
      throw new IllegalArgumentException("an exemption allows at least one term");
    }
    if (reason.isBlank()) {
      throw new IllegalArgumentException("an exemption states its reason");
    }
  }
}
