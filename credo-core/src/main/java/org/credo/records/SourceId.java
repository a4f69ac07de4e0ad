package org.credo.records;

import static java.util.Objects.requireNonNull;

import java.util.regex.Pattern;

/** A registered data provider, e.g. {@code court-enforcement}. */
public record SourceId(String value) implements Comparable<SourceId> {
  private static final Pattern SHAPE = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

  public SourceId {
    requireNonNull(value, "value is null");
    if (!SHAPE.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "source id '"
              + value
              + "' must be 1 to 64 lower-case letters, digits, '.', '_' or '-', starting with a"
              + " letter or digit");
    }
  }

  /** The sources seen so far, each checked once; bounded, as {@code RecordType}'s. */
  private static final java.util.concurrent.ConcurrentHashMap<String, SourceId> SEEN =
      new java.util.concurrent.ConcurrentHashMap<>();

  private static final int MAX_SEEN = 4_096;

  public static SourceId of(String value) {
    SourceId seen = SEEN.get(java.util.Objects.requireNonNull(value, "value is null"));
    if (seen != null) {
      return seen;
    }
    SourceId id = new SourceId(value);
    if (SEEN.size() < MAX_SEEN) {
      SEEN.putIfAbsent(value, id);
    }
    return id;
  }

  @Override
  public int compareTo(SourceId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
