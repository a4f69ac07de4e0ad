package org.credo.policy;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;
import org.credo.records.RecordType;

/**
 * How a factor reads a subject's records into a number in 0…1. Each record type carries a weight (1
 * unless given) so a default counts more than a late payment.
 */
public sealed interface Signal {
  /** The record types the signal reads, with their weights. */
  Map<RecordType, Double> types();

  /** Records older than this at the scoring instant are not read (empty: all that count). */
  Optional<TimeSpan> window();

  /** Weighted count / target, capped at 1; inverted when fewer is better. */
  record Count(
      Map<RecordType, Double> types,
      Optional<TimeSpan> window,
      double target,
      boolean fewerIsBetter)
      implements Signal {
    public Count {
      types = Map.copyOf(types);
      requireNonNull(window, "window is null");
    }
  }

  /** Weighted sum of an attribute / target, capped at 1; inverted when less is better. */
  record Sum(
      Map<RecordType, Double> types,
      Optional<TimeSpan> window,
      String attribute,
      double target,
      boolean fewerIsBetter)
      implements Signal {
    public Sum {
      types = Map.copyOf(types);
      requireNonNull(window, "window is null");
      requireNonNull(attribute, "attribute is null");
    }
  }

  /**
   * Good / (good + bad), each weighted; {@code prior} when there is nothing to read. {@link
   * #types()} is the union of good and bad.
   */
  record Ratio(
      Map<RecordType, Double> good,
      Map<RecordType, Double> bad,
      Optional<TimeSpan> window,
      double prior)
      implements Signal {
    public Ratio {
      good = Map.copyOf(good);
      bad = Map.copyOf(bad);
      requireNonNull(window, "window is null");
    }

    @Override
    public Map<RecordType, Double> types() {
      java.util.HashMap<RecordType, Double> all = new java.util.HashMap<>(good);
      all.putAll(bad);
      return all;
    }
  }

  /**
   * How recent the latest record is: 2^(−age / halfLife), so 1 for today and ½ one half-life ago;
   * when fewer is better (the records are bad news) it is 1 − that, and 1 with none.
   */
  record Recency(
      Map<RecordType, Double> types,
      Optional<TimeSpan> window,
      TimeSpan halfLife,
      boolean fewerIsBetter)
      implements Signal {
    public Recency {
      types = Map.copyOf(types);
      requireNonNull(window, "window is null");
      requireNonNull(halfLife, "halfLife is null");
    }
  }

  /** Length of history: time since the earliest record / target, capped at 1. */
  record Span(Map<RecordType, Double> types, Optional<TimeSpan> window, TimeSpan target)
      implements Signal {
    public Span {
      types = Map.copyOf(types);
      requireNonNull(window, "window is null");
      requireNonNull(target, "target is null");
    }
  }
}
