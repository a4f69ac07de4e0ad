package org.credo.policy;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.credo.records.RecordType;

/**
 * When a policy may put a number on a subject (its minimum scoring criteria): every requirement
 * must hold over the subject's live records — not retracted, superseded or expired — or the subject
 * is unscorable, with no number and no grade.
 *
 * @param statement the criteria in plain words, as reports and refusals show them
 * @param requires each must hold
 */
public record ScoringCriteria(String statement, List<Requirement> requires) {
  public ScoringCriteria {
    requireNonNull(statement, "statement is null");
    requires = List.copyOf(requires);
  }

  /**
   * At least {@code atLeast} live records of {@code types}, occurred within {@code within} before
   * the instant scored and at least {@code olderThan} before it.
   */
  public record Requirement(
      Set<RecordType> types,
      String typesAsWritten,
      int atLeast,
      Optional<TimeSpan> within,
      Optional<TimeSpan> olderThan) {
    public Requirement {
      types = Set.copyOf(types);
      requireNonNull(typesAsWritten, "typesAsWritten is null");
      requireNonNull(within, "within is null");
      requireNonNull(olderThan, "olderThan is null");
      if (atLeast < 1) {
        throw new IllegalArgumentException("at_least must be 1 or more");
      }
    }

    /** What is missing when the requirement fails, in a subject's terms. */
    public String unmet() {
      return (atLeast == 1 ? "no record" : "fewer than " + atLeast + " records")
          + " of "
          + typesAsWritten
          + olderThan.map(s -> " at least " + s + " old").orElse("")
          + within.map(s -> " from the last " + s).orElse("");
    }
  }
}
