package org.credo.policy;

import static java.util.Objects.requireNonNull;

import java.util.regex.Pattern;

/** A record domain such as {@code financial}, {@code judicial} or {@code public_order}. */
public record Domain(String name) implements Comparable<Domain> {
  private static final Pattern SHAPE = Pattern.compile("[a-z][a-z0-9_]{0,63}");

  public Domain {
    requireNonNull(name, "name is null");
    if (!SHAPE.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "domain '" + name + "' must be a lower-case word such as financial or public_order");
    }
  }

  public static Domain of(String name) {
    return new Domain(name);
  }

  @Override
  public int compareTo(Domain other) {
    return name.compareTo(other.name);
  }

  @Override
  public String toString() {
    return name;
  }
}
