package org.credo.audit;

import java.util.OptionalLong;

/**
 * The outcome of checking the whole chain.
 *
 * @param entries entries read and checked
 * @param checkpoints checkpoints checked
 * @param signaturesChecked whether checkpoint signatures were checked (a public key was given)
 * @param firstBad the seq of the first entry (or checkpoint) that fails, if any
 * @param reason why it fails; empty when the chain is intact
 * @param seconds how long the check took
 */
public record Verification(
    long entries,
    long checkpoints,
    boolean signaturesChecked,
    OptionalLong firstBad,
    String reason,
    double seconds) {
  public boolean ok() {
    return firstBad.isEmpty();
  }

  /** Entries checked per second. */
  public double rate() {
    return seconds > 0 ? entries / seconds : 0;
  }
}
