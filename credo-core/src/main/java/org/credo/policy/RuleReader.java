package org.credo.policy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;
import org.credo.records.RecordType;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/** Reads the {@code rules} section: one rule per record type, with its points, cap and list. */
final class RuleReader extends PolicyDraft {
  private static final Set<String> RULE =
      Set.of(
          "type", "domain", "points", "expires", "severity", "cap", "list", "attributes", "label");

  private final ListReader listReader;

  RuleReader(PolicyDraft draft, ListReader listReader) {
    super(draft);
    this.listReader = listReader;
  }

  void rule(Node node) throws Skip {
    Map<String, Node> m = mapping(node, "a rule", RULE, Set.of("type", "domain", "expires"));
    RecordType type = parse(m.get("type"), RecordType::of);
    String where = "rule " + type;
    if (rules.containsKey(type)) {
      fail(m.get("type"), where + " is declared twice");
    }
    guard(m.get("type"), where, "record type", type.value());
    boolean endorsement = type.segments().get(0).equals(ENDORSEMENT_PREFIX);
    Domain domain = domain(m.get("domain"), where);
    Map<String, AttributeType> attributes = new LinkedHashMap<>();
    if (m.containsKey("attributes")) {
      for (Map.Entry<String, Node> a :
          mapping(m.get("attributes"), "attributes", null, Set.of()).entrySet()) {
        String attr = a.getKey();
        if (!attr.matches("[a-z][a-z0-9_]{0,63}")) {
          problem(a.getValue(), where + ": attribute '" + attr + "' must be a lower-case word");
          continue;
        }
        Optional<String> refused = refusal(where, "attribute", attr);
        if (refused.isPresent()) {
          problem(a.getValue(), refused.get());
          continue;
        }
        try {
          attributes.put(attr, AttributeType.parse(text(a.getValue())));
        } catch (IllegalArgumentException e) {
          problem(a.getValue(), where + ": " + e.getMessage());
        }
      }
    }
    PointsFormula points = new PointsFormula.Constant(0);
    if (m.containsKey("points")) {
      if (scale instanceof Scale.Factors) {
        fail(
            m.get("points"), where + ": a factor policy scores through its factors; remove points");
      }
      points = points(m.get("points"), attributes, where, endorsement);
    } else if (scale instanceof Scale.Points) {
      fail(node, where + ": points is required on a points scale");
    }
    TimeSpan expires = span(m.get("expires"), where + " expires");
    if (expires.isZero()) {
      fail(m.get("expires"), where + ": expires must be longer than zero");
    }
    checkTenYears(m.get("expires"), expires, where + " expires");
    Severity severity =
        m.containsKey("severity")
            ? parse(m.get("severity"), where, Severity::parse)
            : Severity.GENERAL;
    Optional<Cap> cap = Optional.empty();
    if (m.containsKey("cap") && scale instanceof Scale.Factors) {
      problem(m.get("cap"), where + ": caps limit points; a factor policy has none to cap");
    } else if (m.containsKey("cap")) {
      cap = Optional.of(cap(m.get("cap"), where));
    }
    Optional<String> list = Optional.empty();
    if (m.containsKey("list")) {
      list = Optional.of(listReader.ruleList(m.get("list"), where));
    }
    String label = m.containsKey("label") ? text(m.get("label")) : type.value();
    rules.put(
        type,
        new Rule(
            type, domain, points, expires, severity, cap, list, attributes, endorsement, label));
    ruleNodes.put(type, node);
  }

  PointsFormula points(
      Node node, Map<String, AttributeType> attributes, String where, boolean endorsement)
      throws Skip {
    ScalarNode scalar = scalar(node, where + " points");
    String value = scalar.getValue();
    if (value.strip().matches("[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?")) {
      {
        double constant = Double.parseDouble(value.strip());
        if (!Double.isFinite(constant)) {
          fail(node, where + ": points must be finite");
        }
        if (endorsement && constant < 0) {
          fail(node, where + ": endorsements can only add points, never deduct");
        }
        return new PointsFormula.Constant(constant);
      }
    }
    try {
      return new PointsFormula.Computed(ExpressionCompiler.points(value, attributes));
    } catch (ExpressionCompiler.CompileError e) {
      throw failInExpression(scalar, e, where + " points");
    }
  }

  Cap cap(Node node, String where) throws Skip {
    Map<String, Node> m = mapping(node, "a cap", Set.of("points", "count", "per"), Set.of("per"));
    OptionalDouble points = OptionalDouble.empty();
    OptionalInt count = OptionalInt.empty();
    if (m.containsKey("points")) {
      double p = number(m.get("points"));
      if (p <= 0) {
        fail(m.get("points"), where + ": cap points must be above zero");
      }
      points = OptionalDouble.of(p);
    }
    if (m.containsKey("count")) {
      count = OptionalInt.of(integer(m.get("count"), 1, 1_000_000, where + " cap count"));
    }
    if (points.isEmpty() && count.isEmpty()) {
      fail(node, where + ": a cap needs points, count or both");
    }
    TimeSpan per = span(m.get("per"), where + " cap per");
    if (per.isZero()) {
      fail(m.get("per"), where + ": cap per must be longer than zero");
    }
    try {
      return new Cap(points, count, new CapPeriod(per));
    } catch (IllegalArgumentException e) {
      throw fail(m.get("per"), where + ": " + e.getMessage());
    }
  }
}
