package org.credo.engine;

import java.util.Map;
import org.credo.policy.PolicyRef;

/**
 * Grade counts and score statistics of a policy over every subject it scores.
 *
 * @param subjects every subject the policy was applied to
 * @param unscorable of those, how many have no number (the policy's minimum scoring criteria are
 *     not met, or the subject is score-free): counted here, never in a bin, a grade or the mean
 * @param mean over the scored subjects only
 * @param histogram how many subjects score in each of {@link #HISTOGRAM_BINS} equal-width bins from
 *     the scale's minimum to its maximum (a score equal to the maximum counts in the last)
 */
public record Distribution(
    PolicyRef policy,
    long subjects,
    long unscorable,
    long records,
    Map<String, Long> grades,
    double mean,
    Map<String, Long> lists,
    long[] histogram) {

  /** How many equal-width bins {@link #histogram} has. */
  public static final int HISTOGRAM_BINS = 100;

  /** How many subjects have a number. */
  public long scored() {
    return subjects - unscorable;
  }
}
