package org.credo.policy;

import static java.util.Objects.requireNonNull;

import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * A per-rule limit per period: at most {@code points} (in absolute value) and at most {@code count}
 * records counted per bucket of {@code per}. Records beyond it are shown as capped.
 */
public record Cap(OptionalDouble points, OptionalInt count, CapPeriod per) {
  public Cap {
    requireNonNull(points, "points is null");
    requireNonNull(count, "count is null");
    requireNonNull(per, "per is null");
    if (points.isEmpty() && count.isEmpty()) {
      throw new IllegalArgumentException("a cap needs points, count or both");
    }
  }
}
