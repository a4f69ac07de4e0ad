package org.credo.scoring;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.credo.policy.Expression;

/**
 * Evaluates list and purpose conditions. Variables are built only when the condition reads
 * them, and a condition that reads only {@code grade} and {@code lists} — a small, discrete set
 * of inputs — is remembered per input, so the common {@code grade == 'AAA'} costs a map lookup
 * instead of an interpreter run on the scoring hot path.
 */
public final class Conditions {
  private static final Set<String> DISCRETE = Set.of("grade", "lists");
  private static final int MEMO_LIMIT = 4096;
  private static final Map<Expression, Map<List<Object>, Boolean>> MEMO =
      java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

  private Conditions() {}

  /** The variables a condition reads, from a (possibly purpose-restricted) view of a score. */
  static Map<String, Object> variables(
      Expression condition,
      double score,
      Grade grade,
      List<String> lists,
      List<FactorResult> factors,
      Supplier<Map<String, Long>> records) {
    Set<String> reads = condition.reads().variables();
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

  /** Evaluates a condition, remembering the answer when its inputs are discrete. */
  static boolean test(Expression condition, Map<String, Object> vars)
      throws Expression.ExpressionException {
    if (!DISCRETE.containsAll(condition.reads().variables())) {
      return condition.evalBoolean(vars);
    }
    Map<List<Object>, Boolean> memo =
        MEMO.computeIfAbsent(condition, c -> new ConcurrentHashMap<>());
    Object lists = vars.get("lists");
    List<Object> key =
        java.util.Arrays.asList(
            vars.get("grade"), lists == null ? null : List.copyOf((List<?>) lists));
    Boolean known = memo.get(key);
    if (known != null) {
      return known;
    }
    boolean result = condition.evalBoolean(vars);
    if (memo.size() < MEMO_LIMIT) {
      memo.put(key, result);
    }
    return result;
  }
}
