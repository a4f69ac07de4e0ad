package org.credo.policy;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.credo.firewall.Firewall;
import org.credo.subject.SubjectKind;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads a policy from YAML text, checks it against the safeguards of SPEC §4 and compiles its
 * expressions. Every problem is reported as {@code file:line:column: reason}; a policy with any
 * problem does not load. Reading the file is the caller's job, so the core stays free of I/O.
 *
 * <p>The language is documented in {@code docs/policy-language.md}. This class reads the top level
 * (id, version, subjects, scale, grades) and hands each section to its reader over one shared
 * {@link PolicyDraft}: {@link ListReader}, {@link RuleReader}, {@link FactorReader}, {@link
 * PurposeReader}; {@link PolicyYaml} holds the checked reads of YAML nodes they all use.
 */
public final class PolicyLoader {
  private static final Set<String> TOP =
      Set.of(
          "policy",
          "version",
          "title",
          "subjects",
          "scale",
          "rules",
          "grades",
          "lists",
          "factors",
          "purposes",
          "dispute_deadline",
          "unknown_types",
          "scorable");

  private PolicyLoader() {}

  /**
   * Loads a policy.
   *
   * @param file the name to report problems against, usually the file's path
   * @param yaml the policy text
   * @throws PolicyException listing every problem found
   */
  public static Policy load(String file, String yaml) throws PolicyException {
    return load(file, yaml, Firewall.strict());
  }

  /**
   * Loads a policy whose names pass {@code firewall} — the shipped lexicon less the exemptions of
   * the catalogue it is checked against ({@code Catalogue.firewall()}).
   *
   * @throws PolicyException listing every problem found
   */
  public static Policy load(String file, String yaml, Firewall firewall) throws PolicyException {
    requireNonNull(file, "file is null");
    requireNonNull(yaml, "yaml is null");
    requireNonNull(firewall, "firewall is null");
    return new Reader(file, firewall).read(yaml);
  }

  private static final class Reader extends PolicyYaml {
    Reader(String file, Firewall firewall) {
      super(file, firewall);
    }

    Policy read(String yaml) throws PolicyException {
      Node root = compose(yaml, "the policy is empty");
      if (root == null) {
        throw new PolicyException(problems);
      }
      Policy policy = null;
      try {
        policy = policy(root);
      } catch (Skip skip) {
        // recorded
      }
      if (!problems.isEmpty() || policy == null) {
        problems.sort(
            (a, b) -> a.line() != b.line() ? a.line() - b.line() : a.column() - b.column());
        throw new PolicyException(problems);
      }
      return policy;
    }

    private Policy policy(Node root) throws Skip {
      Map<String, Node> top =
          mapping(
              root,
              "the policy",
              TOP,
              Set.of("policy", "version", "subjects", "scale", "rules", "grades"));
      String id = text(top.get("policy"));
      if (!id.matches("[a-z][a-z0-9-]{0,63}")) {
        problem(top.get("policy"), "policy id '" + id + "' must be lower-case words joined by '-'");
      }
      int version = integer(top.get("version"), 1, Integer.MAX_VALUE, "version");
      String title = top.containsKey("title") ? text(top.get("title")) : id;
      Set<SubjectKind> subjects = subjects(top.get("subjects"));
      Scale scale = scale(top.get("scale"));
      PolicyDraft draft = new PolicyDraft(this, scale);
      ListReader listReader = new ListReader(draft);
      RuleReader ruleReader = new RuleReader(draft, listReader);
      FactorReader factorReader = new FactorReader(draft);
      PurposeReader purposeReader = new PurposeReader(draft);
      boolean scoreUnknownZero = false;
      if (top.containsKey("unknown_types")) {
        String mode = text(top.get("unknown_types"));
        if (mode.equals("score_zero")) {
          scoreUnknownZero = true;
        } else if (!mode.equals("reject")) {
          problem(top.get("unknown_types"), "unknown_types must be reject or score_zero");
        }
      }
      TimeSpan disputeDeadline =
          top.containsKey("dispute_deadline")
              ? positiveSpan(top.get("dispute_deadline"), "dispute_deadline")
              : TimeSpan.parse("P30D");
      if (top.containsKey("lists")) {
        for (Node node : sequence(top.get("lists"), "lists")) {
          tryDo(() -> listReader.declaredList(node));
        }
      }
      for (Node node : sequence(top.get("rules"), "rules")) {
        tryDo(() -> ruleReader.rule(node));
      }
      if (draft.rules.isEmpty() && problems.isEmpty()) {
        problem(top.get("rules"), "a policy needs at least one rule");
      }
      listReader.finishRecordLists();
      if (scale instanceof Scale.Factors) {
        if (!top.containsKey("factors")) {
          problem(root, "a factor scale needs factors");
        } else {
          List<Node> nodes = sequence(top.get("factors"), "factors");
          for (Node node : nodes) {
            tryDo(() -> factorReader.factor(node));
          }
          double sum = draft.factors.values().stream().mapToDouble(Factor::weight).sum();
          if (!draft.factors.isEmpty()
              && Math.abs(sum - 1.0) > 1e-6
              && draft.factors.size() == nodes.size()) {
            problem(top.get("factors"), "factor weights add up to " + number(sum) + ", not 1");
          }
        }
      } else if (top.containsKey("factors")) {
        problem(top.get("factors"), "factors need scale kind factors; this scale is points");
      }
      listReader.conditionLists();
      List<GradeBand> grades = grades(top.get("grades"), scale);
      List<PurposeDefinition> purposes = new ArrayList<>();
      if (top.containsKey("purposes")) {
        Map<String, Node> byName = mapping(top.get("purposes"), "purposes", null, Set.of());
        for (Map.Entry<String, Node> entry : byName.entrySet()) {
          tryDo(() -> purposes.add(purposeReader.purpose(entry.getKey(), entry.getValue())));
        }
      }
      Optional<ScoringCriteria> scorable = Optional.empty();
      if (top.containsKey("scorable")) {
        try {
          scorable = Optional.of(scorable(top.get("scorable"), draft));
        } catch (Skip skip) {
          // recorded
        }
      }
      if (!problems.isEmpty()) {
        return null;
      }
      return new Policy(
          new PolicyRef(id, version),
          title,
          subjects,
          scale,
          new ArrayList<>(draft.rules.values()),
          grades,
          new ArrayList<>(draft.lists.values()),
          new ArrayList<>(draft.factors.values()),
          purposes,
          disputeDeadline,
          scoreUnknownZero,
          scorable);
    }

    /**
     * {@code scorable: {rule: "…", requires: [{types: [...], at_least, within, older_than}]}}: the
     * types are the policy's rule types, a prefix ({@code account.*}) or {@code "*"} for all.
     */
    private ScoringCriteria scorable(Node node, PolicyDraft draft) throws Skip {
      Map<String, Node> m =
          mapping(node, "scorable", Set.of("rule", "requires"), Set.of("rule", "requires"));
      String statement = text(m.get("rule")).strip();
      if (statement.isEmpty()) {
        problem(m.get("rule"), "scorable: state the rule in plain words, as subjects will read it");
      }
      List<ScoringCriteria.Requirement> requires = new ArrayList<>();
      List<Node> items = sequence(m.get("requires"), "scorable: requires");
      if (items.isEmpty()) {
        problem(m.get("requires"), "scorable: requires at least one requirement");
      }
      for (Node item : items) {
        tryDo(
            () -> {
              Map<String, Node> r =
                  mapping(
                      item,
                      "a scoring requirement",
                      Set.of("types", "at_least", "within", "older_than"),
                      Set.of("types"));
              Set<org.credo.records.RecordType> types = new java.util.TreeSet<>();
              List<String> written = new ArrayList<>();
              for (Node t : sequence(r.get("types"), "scorable: types")) {
                String pattern = text(t);
                written.add(pattern);
                int before = types.size();
                for (org.credo.records.RecordType rt : draft.rules.keySet()) {
                  if (pattern.equals("*")
                      || pattern.equals(rt.value())
                      || pattern.endsWith(".*")
                          && rt.value().startsWith(pattern.substring(0, pattern.length() - 1))) {
                    types.add(rt);
                  }
                }
                if (types.size() == before && !pattern.equals("*")) {
                  problem(
                      t,
                      "scorable: '"
                          + pattern
                          + "' names none of this policy's rule types (a type, a prefix such as"
                          + " account.*, or \"*\")");
                }
              }
              int atLeast = 1;
              if (r.containsKey("at_least")) {
                double n = number(r.get("at_least"));
                if (n < 1 || n != Math.rint(n) || n > 1_000_000) {
                  throw fail(r.get("at_least"), "scorable: at_least is a whole number from 1");
                }
                atLeast = (int) n;
              }
              Optional<TimeSpan> within =
                  r.containsKey("within")
                      ? Optional.of(positiveSpan(r.get("within"), "scorable: within"))
                      : Optional.empty();
              Optional<TimeSpan> olderThan =
                  r.containsKey("older_than")
                      ? Optional.of(positiveSpan(r.get("older_than"), "scorable: older_than"))
                      : Optional.empty();
              requires.add(
                  new ScoringCriteria.Requirement(
                      types, String.join(", ", written), atLeast, within, olderThan));
            });
      }
      return new ScoringCriteria(statement, requires);
    }

    private Set<SubjectKind> subjects(Node node) throws Skip {
      Set<SubjectKind> kinds = new LinkedHashSet<>();
      for (Node item : sequence(node, "subjects")) {
        try {
          kinds.add(SubjectKind.parse(text(item)));
        } catch (IllegalArgumentException e) {
          problem(item, e.getMessage());
        }
      }
      if (kinds.isEmpty()) {
        fail(node, "subjects must name person, org or both");
      }
      return kinds;
    }

    private Scale scale(Node node) throws Skip {
      Map<String, Node> m =
          mapping(node, "scale", Set.of("kind", "base", "min", "max"), Set.of("kind"));
      String kind = text(m.get("kind"));
      try {
        switch (kind) {
          case "points":
            require(m, node, "scale", "base", "min", "max");
            return new Scale.Points(
                number(m.get("base")), number(m.get("min")), number(m.get("max")));
          case "factors":
            require(m, node, "scale", "min", "max");
            if (m.containsKey("base")) {
              fail(m.get("base"), "a factor scale has no base");
            }
            return new Scale.Factors(number(m.get("min")), number(m.get("max")));
          default:
            throw fail(m.get("kind"), "scale kind '" + kind + "' is not points or factors");
        }
      } catch (IllegalArgumentException e) {
        throw fail(node, "scale: " + e.getMessage());
      }
    }

    private List<GradeBand> grades(Node node, Scale scale) throws Skip {
      List<GradeBand> bands = new ArrayList<>();
      Set<String> names = new HashSet<>();
      for (Node item : sequence(node, "grades")) {
        try {
          Map<String, Node> m =
              mapping(item, "a grade", Set.of("grade", "min"), Set.of("grade", "min"));
          String name = text(m.get("grade"));
          if (!names.add(name)) {
            fail(m.get("grade"), "grade '" + name + "' is declared twice");
          }
          bands.add(new GradeBand(Grade.of(name), number(m.get("min"))));
        } catch (Skip skip) {
          // recorded
        } catch (IllegalArgumentException e) {
          problem(item, e.getMessage());
        }
      }
      if (bands.isEmpty()) {
        throw fail(node, "grades must list at least one band");
      }
      double lowest = bands.stream().mapToDouble(GradeBand::min).min().orElseThrow();
      if (scale != null && lowest > scale.min()) {
        problem(
            node,
            "no grade covers scores from "
                + number(scale.min())
                + " to "
                + number(lowest)
                + ": the lowest band's min must be at most the scale's min");
      }
      return bands;
    }
  }
}
