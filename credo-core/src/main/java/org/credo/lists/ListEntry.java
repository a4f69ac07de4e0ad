package org.credo.lists;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * A subject's entry on a list, with its basis (the record and rule, or the condition) and its
 * dates: listed from {@code noticeFrom}, in effect from {@code effectiveFrom} (after the notice
 * period), ending at {@code until} if known.
 *
 * @param recordKey the record ({@code source/id}) the entry rests on, for record-based lists
 */
public record ListEntry(
    String list,
    ListKind kind,
    String basis,
    Optional<String> recordKey,
    Instant noticeFrom,
    Instant effectiveFrom,
    Optional<Instant> until) {
  public ListEntry {
    requireNonNull(list, "list is null");
    requireNonNull(kind, "kind is null");
    requireNonNull(basis, "basis is null");
    requireNonNull(recordKey, "recordKey is null");
    requireNonNull(noticeFrom, "noticeFrom is null");
    requireNonNull(effectiveFrom, "effectiveFrom is null");
    requireNonNull(until, "until is null");
  }

  /** True when the entry has taken effect (its notice period is over) at {@code instant}. */
  public boolean inEffectAt(Instant instant) {
    return !instant.isBefore(effectiveFrom) && (until.isEmpty() || instant.isBefore(until.get()));
  }
}
