package org.credo.decisions;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.credo.scoring.Grade;

/**
 * What a decision reveals about the subject beyond its outcome: only the fields its purpose
 * declares in {@code discloses}, computed from the purpose's domains only.
 */
public record Disclosed(
    OptionalDouble score,
    Optional<Grade> grade,
    Optional<List<String>> lists,
    Optional<Map<String, Double>> factors) {
  public static final Disclosed NOTHING =
      new Disclosed(OptionalDouble.empty(), Optional.empty(), Optional.empty(), Optional.empty());

  public Disclosed {
    requireNonNull(score, "score is null");
    requireNonNull(grade, "grade is null");
    lists = lists.map(List::copyOf);
    factors = factors.map(Map::copyOf);
  }
}
