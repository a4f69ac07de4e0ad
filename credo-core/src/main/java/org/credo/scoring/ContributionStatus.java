package org.credo.scoring;

/** What became of a record in a score. */
public enum ContributionStatus {
  /** Counted in full. */
  COUNTED,
  /** Counted in part or not at all because its rule's cap for the period was reached. */
  CAPPED,
  /** Too old: its rule's expiry has passed. Shown, counts nothing. */
  EXPIRED,
  /** Withdrawn by its source. Counts nothing. */
  RETRACTED,
  /** Replaced by a correction. Counts nothing; the correction counts instead. */
  SUPERSEDED,
  /** A retraction notice itself. Counts nothing. */
  RETRACTION,
  /** A type the policy does not know, kept but scored zero. */
  UNKNOWN_TYPE,
  /** Its points expression could not be evaluated on its attributes; scored zero. */
  UNSCORABLE;

  /** True when the record counts towards the score, lists and factors. */
  public boolean counts() {
    return this == COUNTED || this == CAPPED;
  }
}
