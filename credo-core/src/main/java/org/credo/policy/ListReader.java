package org.credo.policy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.credo.lists.ListKind;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Reads the {@code lists} section and the lists rules name inline; record-based lists take the
 * domains of the rules that fill them, and condition lists are compiled once the rules and factors
 * they may read are known.
 */
final class ListReader extends PolicyDraft {
  static final Set<String> LIST =
      Set.of("name", "kind", "notice", "max", "public", "when", "basis");
  private static final Set<String> INLINE_LIST = Set.of("name", "kind", "notice", "until");

  ListReader(PolicyDraft draft) {
    super(draft);
  }

  void declaredList(Node node) throws Skip {
    Map<String, Node> m = mapping(node, "a list", LIST, Set.of("name", "kind"));
    String name = listName(m.get("name"));
    if (lists.containsKey(name)) {
      fail(m.get("name"), "list '" + name + "' is declared twice");
    }
    String where = "list " + name;
    TimeSpan notice = m.containsKey("notice") ? span(m.get("notice"), where + " notice") : zero();
    ListKind kind = parse(m.get("kind"), where, ListKind::parse);
    Optional<TimeSpan> max = Optional.empty();
    boolean bySeverity = true;
    if (m.containsKey("max")) {
      if (text(m.get("max")).equals("basis")) {
        bySeverity = false;
      } else {
        TimeSpan s = positiveSpan(m.get("max"), where + " max");
        checkTenYears(m.get("max"), s, where + " max");
        max = Optional.of(s);
      }
    }
    if (m.containsKey("when")) {
      for (String key : List.of("notice", "max")) {
        if (m.containsKey(key)) {
          fail(
              m.get(key),
              where
                  + ": a list filled by a condition follows the score at each instant, so it has"
                  + " no "
                  + key
                  + "; give notice periods to record-based lists");
        }
      }
    }
    boolean isPublic = m.containsKey("public") && bool(m.get("public"));
    if (isPublic && kind == ListKind.BLACK) {
      problem(
          m.get("public"),
          "black list '" + name + "' cannot be public: only opt-in red lists are published");
    }
    String basis = m.containsKey("basis") ? text(m.get("basis")) : "";
    // A condition is compiled after the rules and factors it may read are known.
    lists.put(
        name,
        new ListDefinition(
            name, kind, notice, max, bySeverity, isPublic, Optional.empty(), Set.of(), basis));
    listNodes.put(name, node);
  }

  /** A rule's {@code list}: the name of a declared list, or an inline definition. */
  String ruleList(Node node, String where) throws Skip {
    if (node instanceof ScalarNode) {
      String name = listName(node);
      if (!lists.containsKey(name)) {
        fail(node, where + ": list '" + name + "' is not declared under lists");
      }
      if (isConditionList(name)) {
        fail(node, where + ": list '" + name + "' is filled by its condition, not by records");
      }
      return name;
    }
    Map<String, Node> m = mapping(node, "a list", INLINE_LIST, Set.of("name", "kind"));
    String name = listName(m.get("name"));
    ListKind kind = parse(m.get("kind"), where, ListKind::parse);
    TimeSpan notice =
        m.containsKey("notice") ? span(m.get("notice"), where + " list notice") : zero();
    Optional<TimeSpan> max = Optional.empty();
    boolean bySeverity = true;
    if (m.containsKey("until")) {
      String until = text(m.get("until"));
      if (until.equals("record-retracted") || until.equals("record-expires")) {
        bySeverity = false;
      } else {
        TimeSpan s = positiveSpan(m.get("until"), where + " list until");
        checkTenYears(m.get("until"), s, where + " list until");
        max = Optional.of(s);
      }
    }
    ListDefinition existing = lists.get(name);
    if (existing != null && isConditionList(name)) {
      fail(
          m.get("name"),
          where + ": list '" + name + "' is filled by its condition, not by records");
    }
    if (existing != null
        && (existing.kind() != kind
            || !existing.notice().equals(notice)
            || !existing.maxDuration().equals(max)
            || existing.endsWithSeverity() != bySeverity)) {
      fail(
          m.get("name"),
          where
              + ": list '"
              + name
              + "' is already defined with another kind, notice or until; declare it once"
              + " under lists and name it here");
    }
    if (existing == null) {
      lists.put(
          name,
          new ListDefinition(
              name, kind, notice, max, bySeverity, false, Optional.empty(), Set.of(), ""));
      listNodes.put(name, node);
    }
    return name;
  }

  /** Record-based lists take the domains of the rules that fill them. */
  void finishRecordLists() {
    for (String name : new ArrayList<>(lists.keySet())) {
      if (isConditionList(name)) {
        continue;
      }
      Set<Domain> domains = new TreeSet<>();
      rules.values().stream()
          .filter(r -> r.list().equals(Optional.of(name)))
          .forEach(r -> domains.add(r.domain()));
      ListDefinition l = lists.get(name);
      if (domains.isEmpty()) {
        problem(
            listNodes.get(name), "list '" + name + "' has no when condition and no rule fills it");
      }
      lists.put(
          name,
          new ListDefinition(
              name,
              l.kind(),
              l.notice(),
              l.maxDuration(),
              l.endsWithSeverity(),
              l.isPublic(),
              Optional.empty(),
              domains,
              l.legalBasis()));
    }
  }

  /** Compiles condition lists in declaration order: each may read lists declared before it. */
  void conditionLists() {
    Set<String> readable = new HashSet<>();
    lists.forEach(
        (name, l) -> {
          if (!isConditionList(name)) {
            readable.add(name);
          }
        });
    for (String name : new ArrayList<>(lists.keySet())) {
      if (!isConditionList(name)) {
        continue;
      }
      Node node = listNodes.get(name);
      tryDo(
          () -> {
            Map<String, Node> m = mapping(node, "a list", LIST, Set.of("name", "kind"));
            String where = "list " + name;
            Expression when = condition(m.get("when"), where + " when");
            Set<Domain> domains = readDomains(m.get("when"), when, where, readable);
            ListDefinition l = lists.get(name);
            lists.put(
                name,
                new ListDefinition(
                    name,
                    l.kind(),
                    l.notice(),
                    l.maxDuration(),
                    l.endsWithSeverity(),
                    l.isPublic(),
                    Optional.of(when),
                    domains,
                    l.legalBasis()));
          });
      readable.add(name);
    }
  }
}
