package org.credo.policy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.credo.records.RecordType;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads the {@code factors} section of a factor policy: each factor's weight, domains and signal.
 */
final class FactorReader extends PolicyDraft {
  private static final Set<String> FACTOR =
      Set.of("name", "weight", "domains", "signal", "label", "opt_in");
  private static final Set<String> SIGNAL =
      Set.of(
          "kind",
          "types",
          "good",
          "bad",
          "window",
          "target",
          "attribute",
          "half_life",
          "prior",
          "better");
  private static final Map<String, Set<String>> SIGNAL_KEYS =
      Map.of(
          "count", Set.of("kind", "types", "window", "target", "better"),
          "sum", Set.of("kind", "types", "window", "target", "attribute", "better"),
          "ratio", Set.of("kind", "good", "bad", "window", "prior"),
          "recency", Set.of("kind", "types", "window", "half_life", "better"),
          "span", Set.of("kind", "types", "window", "target"));

  FactorReader(PolicyDraft draft) {
    super(draft);
  }

  void factor(Node node) throws Skip {
    Map<String, Node> m =
        mapping(node, "a factor", FACTOR, Set.of("name", "weight", "domains", "signal"));
    String name = text(m.get("name"));
    if (!name.matches("[a-z][a-z0-9_]{0,63}")) {
      fail(m.get("name"), "factor '" + name + "' must be a lower-case word");
    }
    String where = "factor " + name;
    guard(m.get("name"), where, "factor", name);
    if (factors.containsKey(name)) {
      fail(m.get("name"), where + " is declared twice");
    }
    double weight = number(m.get("weight"));
    if (!(weight > 0 && weight <= 1)) {
      fail(m.get("weight"), where + ": weight must be above 0 and at most 1");
    }
    Set<Domain> domains = new TreeSet<>();
    for (Node d : sequence(m.get("domains"), "domains")) {
      domains.add(domain(d, where));
    }
    Signal signal = signal(m.get("signal"), where, domains);
    String label = m.containsKey("label") ? text(m.get("label")) : name;
    boolean optIn = m.containsKey("opt_in") && bool(m.get("opt_in"));
    factors.put(name, new Factor(name, weight, domains, signal, label, optIn));
  }

  Signal signal(Node node, String where, Set<Domain> domains) throws Skip {
    Map<String, Node> m = mapping(node, "a signal", SIGNAL, Set.of("kind"));
    String kind = text(m.get("kind"));
    Set<String> allowed = SIGNAL_KEYS.get(kind);
    if (allowed != null) {
      for (Map.Entry<String, Node> e : m.entrySet()) {
        if (!allowed.contains(e.getKey())) {
          problem(
              e.getValue(),
              where
                  + ": a "
                  + kind
                  + " signal has no '"
                  + e.getKey()
                  + "' (it takes "
                  + String.join(", ", new TreeSet<>(allowed))
                  + ")");
        }
      }
    }
    Optional<TimeSpan> window = Optional.empty();
    if (m.containsKey("window")) {
      TimeSpan w = positiveSpan(m.get("window"), where + " window");
      checkTenYears(m.get("window"), w, where + " window");
      window = Optional.of(w);
    }
    boolean fewerIsBetter = false;
    if (m.containsKey("better")) {
      String better = text(m.get("better"));
      if (!better.equals("more") && !better.equals("fewer")) {
        fail(m.get("better"), where + ": better must be more or fewer");
      }
      fewerIsBetter = better.equals("fewer");
    }
    Signal signal;
    switch (kind) {
      case "count":
        require(m, node, where + " signal", "types", "target");
        signal =
            new Signal.Count(
                types(m.get("types"), where, domains), window,
                positive(m.get("target"), where + " target"), fewerIsBetter);
        break;
      case "sum":
        require(m, node, where + " signal", "types", "target", "attribute");
        Map<RecordType, Double> sumTypes = types(m.get("types"), where, domains);
        String attribute = text(m.get("attribute"));
        for (RecordType t : sumTypes.keySet()) {
          if (rules.get(t).attributes().get(attribute) != AttributeType.NUMBER) {
            problem(
                m.get("attribute"),
                where + ": rule " + t + " does not declare number attribute '" + attribute + "'");
          }
        }
        signal =
            new Signal.Sum(
                sumTypes,
                window,
                attribute,
                positive(m.get("target"), where + " target"),
                fewerIsBetter);
        break;
      case "ratio":
        require(m, node, where + " signal", "good", "bad");
        double prior = m.containsKey("prior") ? number(m.get("prior")) : 0.5;
        if (prior < 0 || prior > 1) {
          fail(m.get("prior"), where + ": prior must be in 0…1");
        }
        Map<RecordType, Double> good = types(m.get("good"), where, domains);
        Map<RecordType, Double> bad = types(m.get("bad"), where, domains);
        for (RecordType t : bad.keySet()) {
          if (isEndorsement(t)) {
            fail(m.get("bad"), where + ": endorsements can only add, never count as bad");
          }
        }
        signal = new Signal.Ratio(good, bad, window, prior);
        break;
      case "recency":
        require(m, node, where + " signal", "types", "half_life");
        signal =
            new Signal.Recency(
                types(m.get("types"), where, domains), window,
                positiveSpan(m.get("half_life"), where + " half_life"), fewerIsBetter);
        break;
      case "span":
        require(m, node, where + " signal", "types", "target");
        signal =
            new Signal.Span(
                types(m.get("types"), where, domains),
                window,
                positiveSpan(m.get("target"), where + " target"));
        break;
      default:
        throw fail(
            m.get("kind"),
            where + ": signal kind '" + kind + "' is not count, sum, ratio, recency or span");
    }
    if (fewerIsBetter && signal.types().keySet().stream().anyMatch(this::isEndorsement)) {
      fail(m.get("better"), where + ": endorsements can only add, never count against");
    }
    return signal;
  }

  /** A list of types, or a map of type → weight; each must have a rule in the factor's domains. */
  Map<RecordType, Double> types(Node node, String where, Set<Domain> domains) throws Skip {
    Map<RecordType, Double> types = new LinkedHashMap<>();
    Map<Node, Double> entries = new LinkedHashMap<>();
    if (node instanceof SequenceNode seq) {
      seq.getValue().forEach(n -> entries.put(n, 1.0));
    } else if (node instanceof MappingNode map) {
      for (NodeTuple t : map.getValue()) {
        double w = number(t.getValueNode());
        if (w <= 0) {
          fail(t.getValueNode(), where + ": a type's weight must be above zero");
        }
        entries.put(t.getKeyNode(), w);
      }
    } else {
      throw fail(node, where + ": types must be a list of record types or a map type: weight");
    }
    for (Map.Entry<Node, Double> e : entries.entrySet()) {
      RecordType type = parse(e.getKey(), RecordType::of);
      Rule rule = rules.get(type);
      if (rule == null) {
        fail(e.getKey(), where + ": record type " + type + " has no rule in this policy");
      }
      if (!domains.contains(rule.domain())) {
        fail(
            e.getKey(),
            where
                + ": reads "
                + type
                + " of domain "
                + rule.domain()
                + ", outside its domains "
                + domains);
      }
      types.put(type, e.getValue());
    }
    if (types.isEmpty()) {
      fail(node, where + ": name at least one record type");
    }
    return types;
  }
}
