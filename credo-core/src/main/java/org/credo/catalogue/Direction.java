package org.credo.catalogue;

import java.util.Locale;

/** Whether a record type counts against a subject, for them, or neither by itself. */
public enum Direction {
  NEGATIVE,
  POSITIVE,
  NEUTRAL;

  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code negative}, {@code positive} or {@code neutral}. */
  public static Direction parse(String word) {
    for (Direction d : values()) {
      if (d.word().equals(word)) {
        return d;
      }
    }
    throw new IllegalArgumentException(
        "direction '" + word + "' is not negative, positive or neutral");
  }
}
