package org.credo.decisions;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import org.credo.policy.Disclosure;
import org.credo.policy.Grade;
import org.credo.scoring.PurposeView;

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

  /** Only what the purpose declares it discloses, from the score as the purpose sees it. */
  public static Disclosed of(PurposeView view, Set<Disclosure> discloses) {
    if (!view.hasNumber()) {
      // No number, no grade, no factors: only the lists, if the purpose discloses them.
      return new Disclosed(
          OptionalDouble.empty(),
          Optional.empty(),
          discloses.contains(Disclosure.LISTS) ? Optional.of(view.lists()) : Optional.empty(),
          Optional.empty());
    }
    return new Disclosed(
        discloses.contains(Disclosure.SCORE)
            ? OptionalDouble.of(view.score())
            : OptionalDouble.empty(),
        discloses.contains(Disclosure.GRADE) ? Optional.of(view.grade()) : Optional.empty(),
        discloses.contains(Disclosure.LISTS) ? Optional.of(view.lists()) : Optional.empty(),
        discloses.contains(Disclosure.FACTORS)
            ? Optional.of(view.factorSignals())
            : Optional.empty());
  }

  public Disclosed {
    requireNonNull(score, "score is null");
    requireNonNull(grade, "grade is null");
    lists = lists.map(List::copyOf);
    factors = factors.map(Map::copyOf);
  }
}
