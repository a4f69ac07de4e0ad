package org.credo.policy;

import static java.util.Objects.requireNonNull;

/** A grade and the lowest score that reaches it. */
public record GradeBand(Grade grade, double min) {
  public GradeBand {
    requireNonNull(grade, "grade is null");
  }
}
