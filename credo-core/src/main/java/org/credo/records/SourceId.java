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

  public static SourceId of(String value) {
    return new SourceId(value);
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
