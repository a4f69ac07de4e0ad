package org.credo.records;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.regex.Pattern;

/** A dotted record type such as {@code court.judgment_defaulter}: two or more segments. */
public record RecordType(String value) implements Comparable<RecordType> {
  private static final Pattern SHAPE = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+");

  public RecordType {
    requireNonNull(value, "value is null");
    if (value.length() > 128 || !SHAPE.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "record type '"
              + value
              + "' must be dotted lower-case segments such as traffic.red_light");
    }
  }

  /**
   * The types seen so far, each checked once: a population has a few dozen, and every record read
   * names one. Bounded, so that input naming endless new types cannot grow it.
   */
  private static final java.util.concurrent.ConcurrentHashMap<String, RecordType> SEEN =
      new java.util.concurrent.ConcurrentHashMap<>();

  private static final int MAX_SEEN = 4_096;

  public static RecordType of(String value) {
    RecordType seen = SEEN.get(requireNonNull(value, "value is null"));
    if (seen != null) {
      return seen;
    }
    RecordType type = new RecordType(value);
    if (SEEN.size() < MAX_SEEN) {
      SEEN.putIfAbsent(value, type);
    }
    return type;
  }

  /** The segments between the dots. */
  public List<String> segments() {
    return List.of(value.split("\\."));
  }

  /**
   * True when this type is {@code prefix} or lies under it ({@code court} covers {@code court.x}).
   */
  public boolean isUnder(String prefix) {
    return value.equals(prefix) || value.startsWith(prefix + ".");
  }

  @Override
  public int compareTo(RecordType other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
