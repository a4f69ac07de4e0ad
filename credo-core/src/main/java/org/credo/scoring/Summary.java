package org.credo.scoring;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.credo.policy.Grade;

/**
 * A score without its itemization: the value, the grade and the names of the lists in effect — what
 * a population-wide rescoring or a policy simulation needs.
 */
public record Summary(double value, Grade grade, List<String> lists) {
  public Summary {
    requireNonNull(grade, "grade is null");
    lists = List.copyOf(lists);
  }
}
