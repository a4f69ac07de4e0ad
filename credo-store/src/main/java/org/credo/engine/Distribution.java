package org.credo.engine;

import java.util.Map;
import org.credo.policy.PolicyRef;

/**
 * Grade counts and score statistics of a policy over every subject it scores.
 *
 * @param histogram how many subjects score in each of {@link #HISTOGRAM_BINS} equal-width bins from
 *     the scale's minimum to its maximum (a score equal to the maximum counts in the last)
 */
public record Distribution(
    PolicyRef policy,
    long subjects,
    long records,
    Map<String, Long> grades,
    double mean,
    Map<String, Long> lists,
    long[] histogram) {

  /** How many equal-width bins {@link #histogram} has. */
  public static final int HISTOGRAM_BINS = 100;
}
