package org.credo.policy;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads the {@code purposes} section and checks purpose binding: a purpose's conditions may read
 * only what lies within its domains.
 */
final class PurposeReader extends PolicyDraft {
  private static final Set<String> PURPOSE =
      Set.of(
          "domains",
          "allow_if",
          "deny_if",
          "refer_if",
          "consent",
          "discloses",
          "valid_for",
          "label");

  PurposeReader(PolicyDraft draft) {
    super(draft);
  }

  PurposeDefinition purpose(String name, Node node) throws Skip {
    Purpose purpose;
    try {
      purpose = Purpose.of(name);
    } catch (IllegalArgumentException e) {
      throw fail(node, e.getMessage());
    }
    String where = "purpose " + name;
    guard(node, where, "purpose", name);
    Map<String, Node> m = mapping(node, "a purpose", PURPOSE, Set.of("domains"));
    Set<Domain> domains = new TreeSet<>();
    Set<Domain> used = new TreeSet<>();
    rules.values().forEach(r -> used.add(r.domain()));
    for (Node d : sequence(m.get("domains"), "domains")) {
      Domain domain = domain(d, where);
      if (!used.contains(domain)) {
        problem(d, where + ": domain " + domain + " is not used by any rule (" + used + ")");
      }
      domains.add(domain);
    }
    if (domains.isEmpty()) {
      fail(m.get("domains"), where + ": name the domains this purpose may consider");
    }
    Optional<Expression> allow = purposeCondition(m, "allow_if", where, domains);
    Optional<Expression> deny = purposeCondition(m, "deny_if", where, domains);
    Optional<Expression> refer = purposeCondition(m, "refer_if", where, domains);
    if (allow.isEmpty() && deny.isEmpty() && refer.isEmpty()) {
      fail(node, where + ": needs allow_if, deny_if or refer_if");
    }
    boolean consent = false;
    if (m.containsKey("consent")) {
      String c = text(m.get("consent"));
      if (c.equals("required")) {
        consent = true;
      } else if (!c.equals("not_required")) {
        fail(m.get("consent"), where + ": consent must be required or not_required");
      }
    }
    Set<Disclosure> discloses = new LinkedHashSet<>();
    if (m.containsKey("discloses")) {
      for (Node d : sequence(m.get("discloses"), "discloses")) {
        Disclosure disclosure = parse(d, where, Disclosure::parse);
        if (disclosure == Disclosure.FACTORS && !(scale instanceof Scale.Factors)) {
          fail(d, where + ": a points policy has no factors to disclose");
        }
        discloses.add(disclosure);
      }
    }
    TimeSpan validFor =
        m.containsKey("valid_for")
            ? positiveSpan(m.get("valid_for"), where + " valid_for")
            : TimeSpan.parse("P30D");
    String label = m.containsKey("label") ? text(m.get("label")) : name;
    return new PurposeDefinition(
        purpose, domains, allow, deny, refer, consent, discloses, validFor, label);
  }

  /**
   * Compiles a purpose condition and checks purpose binding: every list, factor and record type it
   * reads must lie within the purpose's domains. {@code score} and {@code grade} are computed from
   * those domains only when the decision is made, so they need no check.
   */
  Optional<Expression> purposeCondition(
      Map<String, Node> m, String key, String where, Set<Domain> domains) throws Skip {
    if (!m.containsKey(key)) {
      return Optional.empty();
    }
    Node node = m.get(key);
    Expression e = condition(node, where + " " + key);
    Expression.Reads reads = e.reads();
    if (reads.variables().contains("factors") && !(scale instanceof Scale.Factors)) {
      fail(node, where + ": factors can be read only in a factor policy");
    }
    for (String collection : ExpressionCompiler.NAMED_COLLECTIONS) {
      Set<String> names = new TreeSet<>(reads.names().getOrDefault(collection, Set.of()));
      boolean whole = reads.whole().contains(collection);
      if (whole) {
        names.addAll(allNames(collection, lists.keySet()));
      }
      for (String name : names) {
        Set<Domain> read = domainsOf(node, collection, name, where, lists.keySet());
        if (!domains.containsAll(read)) {
          Set<Domain> outside = new TreeSet<>(read);
          outside.removeAll(domains);
          fail(
              node,
              where
                  + ": "
                  + key
                  + " reads "
                  + (whole ? "all " + collection + ", including " : "")
                  + singular(collection)
                  + " '"
                  + name
                  + "' of domains "
                  + read
                  + ", but "
                  + outside
                  + " lie outside the purpose's domains "
                  + domains
                  + " (purpose binding)");
        }
      }
    }
    return Optional.of(e);
  }

  static String singular(String collection) {
    return switch (collection) {
      case "lists" -> "list";
      case "factors" -> "factor";
      default -> "record type";
    };
  }
}
