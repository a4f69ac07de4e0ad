package org.credo.policy;

import static java.util.Objects.requireNonNull;

import java.util.regex.Pattern;

/** A named reason a relying party asks about a subject, e.g. {@code air_travel}. */
public record Purpose(String name) implements Comparable<Purpose> {
  private static final Pattern SHAPE = Pattern.compile("[a-z][a-z0-9_]{0,63}");

  public Purpose {
    requireNonNull(name, "name is null");
    if (!SHAPE.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "purpose '" + name + "' must be a lower-case word such as air_travel");
    }
  }

  public static Purpose of(String name) {
    return new Purpose(name);
  }

  @Override
  public int compareTo(Purpose other) {
    return name.compareTo(other.name);
  }

  @Override
  public String toString() {
    return name;
  }
}
