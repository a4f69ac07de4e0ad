package org.credo.scoring;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.credo.policy.Grade;

/**
 * A score without its itemization: the value, the grade and the names of the lists in effect — what
 * a population-wide rescoring or a policy simulation needs.
 *
 * @param scorable false when the subject does not meet the policy's minimum scoring criteria: then
 *     value and grade mean nothing and are never shown or counted in a distribution's bins
 */
public record Summary(double value, Grade grade, List<String> lists, boolean scorable) {
  public Summary {
    requireNonNull(grade, "grade is null");
    lists = List.copyOf(lists);
  }

  public Summary(double value, Grade grade, List<String> lists) {
    this(value, grade, lists, true);
  }
}
