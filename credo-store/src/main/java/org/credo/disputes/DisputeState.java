package org.credo.disputes;

import java.util.Locale;

/** Where a dispute stands. */
public enum DisputeState {
  /** Waiting for the source's answer; the record is flagged as disputed. */
  OPEN,
  /** The source (or an operator) agreed: the record was corrected or withdrawn. */
  UPHELD,
  /** The source (or an operator) disagreed, with a reason; the statement stays with the record. */
  REJECTED,
  /** Not answered by the deadline: the record is suppressed and counts nothing. */
  EXPIRED,
  /** Suppressed, then re-certified by its source: the record counts again. */
  RECERTIFIED;

  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The state named by {@code word} (as {@link #word()} writes it). */
  public static DisputeState parse(String word) {
    for (DisputeState s : values()) {
      if (s.word().equals(word)) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "unknown dispute state '" + word + "' (open, upheld, rejected, expired, recertified)");
  }
}
