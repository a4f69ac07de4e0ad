package org.credo.scoring;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.credo.lists.ListEntry;
import org.credo.policy.Domain;
import org.credo.policy.Expression;
import org.credo.policy.Factor;
import org.credo.policy.Grade;
import org.credo.policy.ListDefinition;
import org.credo.policy.Policy;
import org.credo.policy.PurposeDefinition;
import org.credo.policy.Rule;
import org.credo.policy.Scale;

/**
 * A score seen through one purpose (purpose binding, SPEC §4.2): only records, lists and factors of
 * the purpose's domains are visible. On a points scale the purpose's {@code score} is the base plus
 * the contributions of its domains, clamped; on a factor scale it is the weighted mean of the
 * factors within its domains mapped onto the scale. The grade follows from that score. A lender's
 * question about loans is thus never answered with traffic tickets.
 */
public final class PurposeView {
  private final Policy policy;
  private final Score score;
  private final Set<Domain> domains;
  private final double value;
  private final Grade grade;
  private final List<String> lists;
  private final List<FactorResult> factors;
  private final Map<String, Double> ruleSums;

  private PurposeView(Policy policy, Score score, PurposeDefinition purpose) {
    this.policy = policy;
    this.score = score;
    this.domains = purpose.domains();
    Set<String> domainNames = new TreeSet<>();
    domains.forEach(d -> domainNames.add(d.name()));
    ruleSums = new TreeMap<>();
    Scale scale = policy.scale();
    if (scale instanceof Scale.Points points) {
      // From the score's per-rule totals: no record is read.
      double total = 0;
      for (Rule rule : policy.rules()) {
        RuleTotal t = score.ruleTotals().get(rule.type().value());
        if (t != null && domainNames.contains(rule.domain().name())) {
          total += t.points();
          ruleSums.merge(rule.type().value(), t.points(), Double::sum);
        }
      }
      value = scale.clamp(points.base() + total);
      factors = List.of();
    } else {
      List<FactorResult> allowed = new ArrayList<>();
      for (FactorResult f : score.factors()) {
        // An opt-in factor the subject does not take part in applies to no purpose either.
        if (f.participating() && domainNames.containsAll(f.domains())) {
          allowed.add(f);
        }
      }
      double weights = allowed.stream().mapToDouble(FactorResult::weight).sum();
      double signal =
          weights == 0
              ? 0
              : allowed.stream().mapToDouble(f -> f.weight() * f.signal()).sum() / weights;
      value = scale.clamp(scale.min() + signal * (scale.max() - scale.min()));
      factors = List.copyOf(allowed);
    }
    grade = Scorer.grade(policy, value);
    List<String> in = new ArrayList<>();
    for (ListEntry e : score.lists()) {
      ListDefinition def = policy.lists().get(e.list());
      if (e.inEffectAt(score.asOf())
          && def != null
          && domains.containsAll(def.domains())
          && !in.contains(e.list())) {
        in.add(e.list());
      }
    }
    lists = List.copyOf(in);
  }

  /** The view of {@code score} for {@code purpose}. */
  public static PurposeView of(Policy policy, Score score, PurposeDefinition purpose) {
    return new PurposeView(policy, score, purpose);
  }

  public double score() {
    return value;
  }

  /** False when the subject is unscorable or score-free: no number or grade may be disclosed. */
  public boolean hasNumber() {
    return score.hasNumber();
  }

  public Grade grade() {
    return grade;
  }

  /** Lists in effect that the purpose may see. */
  public List<String> lists() {
    return lists;
  }

  /** Evaluates a purpose condition on this view. */
  public boolean test(Expression condition) throws Expression.ExpressionException {
    return Conditions.test(condition, value, grade, lists, factors, this::recordCounts);
  }

  private Map<String, Long> recordCounts() {
    Map<String, Long> counts = new HashMap<>();
    for (Rule rule : policy.rules()) {
      if (domains.contains(rule.domain())) {
        counts.put(rule.type().value(), 0L);
      }
    }
    score
        .ruleTotals()
        .forEach((type, t) -> counts.computeIfPresent(type, (x, n) -> n + t.records()));
    return counts;
  }

  /** Up to four rules or factors within the purpose's domains that lowered its score most. */
  public List<ReasonCode> reasonCodes() {
    if (!score.hasNumber()) {
      return List.of();
    }
    if (policy.scale() instanceof Scale.Points) {
      List<Rule> rules = policy.rules();
      double[] sums = new double[rules.size()];
      for (int r = 0; r < rules.size(); r++) {
        sums[r] = ruleSums.getOrDefault(rules.get(r).type().value(), 0.0);
      }
      return Scorer.ruleReasons(rules, sums, domains);
    }
    Set<String> allowed = new TreeSet<>();
    factors.forEach(f -> allowed.add(f.name()));
    return Scorer.factorReasons(factors, allowed);
  }

  /** The signals (0…1) of the factors the purpose may see, in the policy's factor order. */
  public Map<String, Double> factorSignals() {
    Map<String, Double> factorValues = new LinkedHashMap<>();
    for (Factor f : policy.factors()) {
      factors.stream()
          .filter(r -> r.name().equals(f.name()))
          .findFirst()
          .ifPresent(r -> factorValues.put(r.name(), r.signal()));
    }
    return factorValues;
  }
}
