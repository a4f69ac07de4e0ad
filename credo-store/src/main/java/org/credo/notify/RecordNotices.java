package org.credo.notify;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.credo.lists.ListKind;
import org.credo.policy.Expression;
import org.credo.policy.ListDefinition;
import org.credo.policy.PointsFormula;
import org.credo.policy.Policy;
import org.credo.policy.Rule;
import org.credo.records.Record;

/**
 * What a subject must be told when a record about them arrives: a record that puts them on a black
 * list gives a list notice (with the notice period before it takes effect), any other record that
 * lowers their score under an active policy gives a negative-record notice. Positive records,
 * retractions and types no policy scores are not announced.
 */
public final class RecordNotices {
  private RecordNotices() {}

  /** The notice for {@code r} under {@code policies}, or null when there is nothing to tell. */
  public static Notice forRecord(List<Policy> policies, Record r) {
    if (r.retracts().isPresent()) {
      return null;
    }
    Notice negative = null;
    for (Policy policy : policies) {
      if (!policy.subjects().contains(r.subject().kind())) {
        continue;
      }
      Rule rule = policy.rule(r.type()).orElse(null);
      if (rule == null) {
        continue;
      }
      if (rule.list().isPresent()) {
        ListDefinition list = policy.lists().get(rule.list().get());
        if (list != null && list.kind() == ListKind.BLACK) {
          Map<String, String> details = details(policy, r);
          details.put("list", list.name());
          details.put("effective", list.notice().addTo(r.learned()).toString());
          return new Notice(
              Notice.LIST_NOTICE,
              "Record "
                  + r.key()
                  + " ("
                  + rule.label()
                  + ") puts you on the black list '"
                  + list.name()
                  + "'"
                  + (list.legalBasis().isEmpty() ? "" : " (" + list.legalBasis() + ")")
                  + ". It takes effect after a notice period of "
                  + list.notice()
                  + ", on "
                  + details.get("effective")
                  + "; dispute the record before then if it is wrong.",
              details);
        }
      }
      if (negative != null) {
        continue;
      }
      double points = points(rule, r);
      if (points < 0) {
        Map<String, String> details = details(policy, r);
        details.put("points", Double.toString(points));
        negative =
            new Notice(
                Notice.NEGATIVE_RECORD,
                "A new record lowers your score: "
                    + rule.label()
                    + " from "
                    + r.source()
                    + " ("
                    + r.key()
                    + "), "
                    + points
                    + " points under "
                    + policy.ref()
                    + ". You can see it in your free report and dispute it if it is wrong.",
                details);
      }
    }
    return negative;
  }

  private static Map<String, String> details(Policy policy, Record r) {
    Map<String, String> details = new TreeMap<>();
    details.put("record", r.key());
    details.put("type", r.type().value());
    details.put("policy", policy.ref().toString());
    details.put("occurred", r.occurred().toString());
    return details;
  }

  /**
   * Computed points remembered per expression and attribute values (most records of a type carry
   * few distinct values), so announcing records costs an import almost nothing.
   */
  private static final Map<Expression, Map<Map<String, Object>, Double>> COMPUTED =
      new java.util.concurrent.ConcurrentHashMap<>();

  private static double points(Rule rule, Record r) {
    if (rule.points() instanceof PointsFormula.Constant c) {
      return c.points();
    }
    Expression e = ((PointsFormula.Computed) rule.points()).expression();
    Map<Map<String, Object>, Double> memo =
        COMPUTED.computeIfAbsent(e, x -> new java.util.concurrent.ConcurrentHashMap<>());
    Double known = memo.get(r.attributes());
    if (known == null) {
      double p;
      try {
        p = e.evalNumber(Map.of("attributes", r.attributes()));
      } catch (Expression.ExpressionException ex) {
        p = 0;
      }
      known = p;
      if (memo.size() < 10_000) {
        memo.put(r.attributes(), known);
      }
    }
    return rule.addOnly() ? Math.max(0, known) : known;
  }
}
