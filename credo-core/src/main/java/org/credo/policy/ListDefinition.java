package org.credo.policy;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.Set;
import org.credo.lists.ListKind;

/**
 * A red or black list. Record-based lists are filled by rules that name them; condition-based lists
 * by their {@code when} condition on the score.
 *
 * @param notice how long a new entry waits before it takes effect (the subject is told first)
 * @param maxDuration the longest an entry lasts, if shorter than its basis
 * @param endsWithSeverity without a max, entries end after the publication window of their rule's
 *     severity tier; false when the list says entries last as long as their basis
 * @param isPublic a red list subjects may choose to appear on publicly
 * @param domains the record domains membership is derived from
 */
public record ListDefinition(
    String name,
    ListKind kind,
    TimeSpan notice,
    Optional<TimeSpan> maxDuration,
    boolean endsWithSeverity,
    boolean isPublic,
    Optional<Expression> when,
    Set<Domain> domains,
    String legalBasis) {
  public ListDefinition {
    requireNonNull(name, "name is null");
    requireNonNull(kind, "kind is null");
    requireNonNull(notice, "notice is null");
    requireNonNull(maxDuration, "maxDuration is null");
    requireNonNull(when, "when is null");
    domains = Set.copyOf(domains);
    requireNonNull(legalBasis, "legalBasis is null");
  }

  /** An entry's basis: the list's legal basis, if any, then {@code detail}. */
  public String basis(String detail) {
    return legalBasis.isEmpty() ? detail : legalBasis + "; " + detail;
  }
}
