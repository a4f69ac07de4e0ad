package org.credo.policy;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.credo.records.RecordType;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * The policy as read so far — its scale, rules, lists and factors, with the YAML nodes they came
 * from — and the lookups the sections make in one another: which domains an expression reads,
 * whether a name is a declared list, factor or record type. Each section reader ({@link
 * RuleReader}, {@link ListReader}, {@link FactorReader}, {@link PurposeReader}) is a view of the
 * same draft.
 */
class PolicyDraft extends PolicyYaml {
  static final String ENDORSEMENT_PREFIX = "endorsement";

  final Scale scale;
  final Map<RecordType, Rule> rules;
  final Map<RecordType, Node> ruleNodes;
  final Map<String, ListDefinition> lists;
  final Map<String, Node> listNodes;
  final Map<String, Factor> factors;

  /** A new, empty draft of a policy on {@code scale}. */
  PolicyDraft(PolicyYaml yaml, Scale scale) {
    super(yaml);
    this.scale = scale;
    this.rules = new LinkedHashMap<>();
    this.ruleNodes = new HashMap<>();
    this.lists = new LinkedHashMap<>();
    this.listNodes = new HashMap<>();
    this.factors = new LinkedHashMap<>();
  }

  /** Another view of the same draft. */
  PolicyDraft(PolicyDraft same) {
    super(same);
    this.scale = same.scale;
    this.rules = same.rules;
    this.ruleNodes = same.ruleNodes;
    this.lists = same.lists;
    this.listNodes = same.listNodes;
    this.factors = same.factors;
  }

  boolean isConditionList(String name) {
    Node node = listNodes.get(name);
    return node instanceof MappingNode mapping
        && mapping.getValue().stream()
            .anyMatch(t -> t.getKeyNode() instanceof ScalarNode k && k.getValue().equals("when"));
  }

  /**
   * The domains an expression reads: {@code score} and {@code grade} read every domain of the
   * policy; names in lists, factors and records read their own. Unknown names are refused.
   */
  Set<Domain> readDomains(Node node, Expression expression, String where, Set<String> readableLists)
      throws Skip {
    Set<Domain> domains = new TreeSet<>();
    Expression.Reads reads = expression.reads();
    if (reads.variables().contains("score") || reads.variables().contains("grade")) {
      rules.values().forEach(r -> domains.add(r.domain()));
    }
    if (reads.variables().contains("factors") && !(scale instanceof Scale.Factors)) {
      fail(node, where + ": factors can be read only in a factor policy");
    }
    for (String collection : ExpressionCompiler.NAMED_COLLECTIONS) {
      Set<String> names = new TreeSet<>(reads.names().getOrDefault(collection, Set.of()));
      if (reads.whole().contains(collection)) {
        names.addAll(allNames(collection, readableLists));
      }
      for (String name : names) {
        domains.addAll(domainsOf(node, collection, name, where, readableLists));
      }
    }
    return domains;
  }

  Set<String> allNames(String collection, Set<String> readableLists) {
    switch (collection) {
      case "lists":
        return readableLists;
      case "factors":
        return factors.keySet();
      default:
        Set<String> types = new TreeSet<>();
        rules.keySet().forEach(t -> types.add(t.value()));
        return types;
    }
  }

  Set<Domain> domainsOf(
      Node node, String collection, String name, String where, Set<String> readableLists)
      throws Skip {
    switch (collection) {
      case "lists":
        if (!readableLists.contains(name)) {
          throw fail(
              node,
              where
                  + ": list '"
                  + name
                  + "' is not declared"
                  + (lists.containsKey(name) ? " before this condition" : "")
                  + " (lists: "
                  + String.join(", ", new TreeSet<>(readableLists))
                  + ")");
        }
        return lists.get(name).domains();
      case "factors":
        if (!factors.containsKey(name)) {
          throw fail(node, where + ": factor '" + name + "' is not declared");
        }
        return factors.get(name).domains();
      default:
        RecordType type;
        try {
          type = RecordType.of(name);
        } catch (IllegalArgumentException e) {
          throw fail(node, where + ": " + e.getMessage());
        }
        Rule rule = rules.get(type);
        if (rule == null) {
          throw fail(node, where + ": record type '" + name + "' has no rule in this policy");
        }
        return Set.of(rule.domain());
    }
  }

  boolean isEndorsement(RecordType type) {
    return type.segments().get(0).equals(ENDORSEMENT_PREFIX);
  }

  Expression condition(Node node, String where) throws Skip {
    ScalarNode scalar = scalar(node, where);
    try {
      return ExpressionCompiler.condition(scalar.getValue());
    } catch (ExpressionCompiler.CompileError e) {
      throw failInExpression(scalar, e, where);
    }
  }

  Domain domain(Node node, String where) throws Skip {
    Domain domain = parse(node, Domain::of);
    guard(node, where, "domain", domain.name());
    return domain;
  }

  String listName(Node node) throws Skip {
    String name = text(node);
    if (!name.matches("[a-z][a-z0-9-]{0,63}")) {
      fail(node, "list name '" + name + "' must be lower-case words joined by '-'");
    }
    guard(node, "list " + name, "list", name);
    return name;
  }
}
