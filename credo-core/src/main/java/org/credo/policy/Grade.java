package org.credo.policy;

import static java.util.Objects.requireNonNull;

/** A grade band's name, e.g. {@code AAA} or {@code excellent}. */
public record Grade(String name) {
  public Grade {
    requireNonNull(name, "name is null");
    if (name.isBlank() || name.length() > 32) {
      throw new IllegalArgumentException("grade must have 1 to 32 characters");
    }
  }

  public static Grade of(String name) {
    return new Grade(name);
  }

  @Override
  public String toString() {
    return name;
  }
}
