package org.credo.scoring;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.credo.policy.Expression;
import org.credo.policy.Grade;

/**
 * Evaluates list and purpose conditions. Variables are built only when the condition reads them,
 * and a condition that reads only {@code grade} and {@code lists} — a small, discrete set of inputs
 * — is remembered per input, so the common {@code grade == 'AAA'} costs a map lookup instead of an
 * interpreter run on the scoring hot path.
 */
final class Conditions {
  private static final Set<String> DISCRETE = Set.of("grade", "lists");

  private Conditions() {}

  /** Evaluates a condition on a (possibly purpose-restricted) view of a score. */
  static boolean test(
      Expression condition,
      double score,
      Grade grade,
      List<String> lists,
      List<FactorResult> factors,
      Supplier<Map<String, Long>> records)
      throws Expression.ExpressionException {
    Set<String> reads = condition.reads().variables();
    Supplier<Map<String, ?>> variables =
        () -> variables(reads, score, grade, lists, factors, records);
    if (!DISCRETE.containsAll(reads)) {
      return condition.evalBoolean(variables.get());
    }
    Object key = reads.contains("lists") ? List.of(grade.name(), List.copyOf(lists)) : grade.name();
    return condition.evalBooleanRemembered(key, variables);
  }

  private static Map<String, ?> variables(
      Set<String> reads,
      double score,
      Grade grade,
      List<String> lists,
      List<FactorResult> factors,
      Supplier<Map<String, Long>> records) {
    Map<String, Object> vars = new HashMap<>(8);
    if (reads.contains("score")) {
      vars.put("score", score);
    }
    if (reads.contains("grade")) {
      vars.put("grade", grade.name());
    }
    if (reads.contains("lists")) {
      vars.put("lists", lists);
    }
    if (reads.contains("factors")) {
      Map<String, Double> f = new HashMap<>();
      factors.forEach(r -> f.put(r.name(), r.signal()));
      vars.put("factors", f);
    }
    if (reads.contains("records")) {
      vars.put("records", records.get());
    }
    return vars;
  }
}
