package org.credo.policy;

import static java.util.Objects.requireNonNull;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import org.credo.lists.ListKind;
import org.credo.records.RecordType;
import org.credo.subject.SubjectKind;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads a policy from YAML text, checks it against the safeguards of SPEC §4 and compiles its
 * expressions. Every problem is reported as {@code file:line:column: reason}; a policy with any
 * problem does not load. Reading the file is the caller's job, so the core stays free of I/O.
 *
 * <p>The language is documented in {@code docs/policy-language.md}.
 *
 * <p>Why this class is long (~1 340 lines): it reads every section of the policy language with line
 * and column positions for its errors. Known debt: one reader per section (rules, lists, factors,
 * purposes) would each fit a screen; the safeguards are already apart ({@code Safeguards}).
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
          "unknown_types");
  private static final Set<String> RULE =
      Set.of(
          "type", "domain", "points", "expires", "severity", "cap", "list", "attributes", "label");
  private static final Set<String> LIST =
      Set.of("name", "kind", "notice", "max", "public", "when", "basis");
  private static final Set<String> INLINE_LIST = Set.of("name", "kind", "notice", "until");
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
  private static final Set<String> FACTOR = Set.of("name", "weight", "domains", "signal", "label");
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
  private static final String ENDORSEMENT_PREFIX = "endorsement";

  private PolicyLoader() {}

  /**
   * Loads a policy.
   *
   * @param file the name to report problems against, usually the file's path
   * @param yaml the policy text
   * @throws PolicyException listing every problem found
   */
  public static Policy load(String file, String yaml) throws PolicyException {
    requireNonNull(file, "file is null");
    requireNonNull(yaml, "yaml is null");
    return new Reader(file).read(yaml);
  }

  /** Thrown after a problem is recorded, to skip the rest of the item being read. */
  private static final class Skip extends Exception {
    private static final long serialVersionUID = 1L;

    Skip() {
      super(null, null, false, false);
    }
  }

  private static final class Reader {
    private final String file;
    private final List<PolicyProblem> problems = new ArrayList<>();
    private Scale scale;
    private final Map<RecordType, Rule> rules = new LinkedHashMap<>();
    private final Map<RecordType, Node> ruleNodes = new HashMap<>();
    private final Map<String, ListDefinition> lists = new LinkedHashMap<>();
    private final Map<String, Node> listNodes = new HashMap<>();
    private final Map<String, Factor> factors = new LinkedHashMap<>();
    private String[] lines = new String[0];

    Reader(String file) {
      this.file = file;
    }

    Policy read(String yaml) throws PolicyException {
      lines = yaml.split("\n", -1);
      Node root;
      try {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(10);
        root = new Yaml(options).compose(new StringReader(yaml));
      } catch (MarkedYAMLException e) {
        Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
        String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
        problems.add(
            new PolicyProblem(
                file,
                mark == null ? 1 : mark.getLine() + 1,
                mark == null ? 1 : mark.getColumn() + 1,
                "malformed YAML: " + problem.strip()));
        throw new PolicyException(problems);
      } catch (YAMLException e) {
        problems.add(new PolicyProblem(file, 1, 1, "malformed YAML: " + e.getMessage()));
        throw new PolicyException(problems);
      }
      if (root == null) {
        problems.add(new PolicyProblem(file, 1, 1, "the policy is empty"));
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
      scale = scale(top.get("scale"));
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
          tryDo(() -> declaredList(node));
        }
      }
      for (Node node : sequence(top.get("rules"), "rules")) {
        tryDo(() -> rule(node));
      }
      if (rules.isEmpty() && problems.isEmpty()) {
        problem(top.get("rules"), "a policy needs at least one rule");
      }
      finishRecordLists();
      if (scale instanceof Scale.Factors) {
        if (!top.containsKey("factors")) {
          problem(root, "a factor scale needs factors");
        } else {
          List<Node> nodes = sequence(top.get("factors"), "factors");
          for (Node node : nodes) {
            tryDo(() -> factor(node));
          }
          double sum = factors.values().stream().mapToDouble(Factor::weight).sum();
          if (!factors.isEmpty() && Math.abs(sum - 1.0) > 1e-6 && factors.size() == nodes.size()) {
            problem(top.get("factors"), "factor weights add up to " + number(sum) + ", not 1");
          }
        }
      } else if (top.containsKey("factors")) {
        problem(top.get("factors"), "factors need scale kind factors; this scale is points");
      }
      conditionLists();
      List<GradeBand> grades = grades(top.get("grades"));
      List<PurposeDefinition> purposes = new ArrayList<>();
      if (top.containsKey("purposes")) {
        Map<String, Node> byName = mapping(top.get("purposes"), "purposes", null, Set.of());
        for (Map.Entry<String, Node> entry : byName.entrySet()) {
          tryDo(() -> purposes.add(purpose(entry.getKey(), entry.getValue())));
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
          new ArrayList<>(rules.values()),
          grades,
          new ArrayList<>(lists.values()),
          new ArrayList<>(factors.values()),
          purposes,
          disputeDeadline,
          scoreUnknownZero);
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

    private void declaredList(Node node) throws Skip {
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

    private void rule(Node node) throws Skip {
      Map<String, Node> m = mapping(node, "a rule", RULE, Set.of("type", "domain", "expires"));
      RecordType type = parse(m.get("type"), RecordType::of);
      String where = "rule " + type;
      if (rules.containsKey(type)) {
        fail(m.get("type"), where + " is declared twice");
      }
      Optional<String> protectedType = Safeguards.protectedCategory(type.value());
      if (protectedType.isPresent()) {
        fail(m.get("type"), refusal(where, "record type", type.value(), protectedType.get()));
      }
      boolean endorsement = type.segments().get(0).equals(ENDORSEMENT_PREFIX);
      Optional<String> association = Safeguards.associationWord(type.value());
      if (association.isPresent()) {
        fail(
            m.get("type"),
            where
                + ": record type names other people ('"
                + association.get()
                + "'): scoring a subject by others' records is guilt by association and is"
                + " refused; use endorsement.* records a subject chose to receive");
      }
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
          Optional<String> category = Safeguards.protectedCategory(attr);
          if (category.isPresent()) {
            problem(a.getValue(), refusal(where, "attribute", attr, category.get()));
            continue;
          }
          Optional<String> other = Safeguards.associationWord(attr);
          if (other.isPresent()) {
            problem(
                a.getValue(),
                where
                    + ": attribute '"
                    + attr
                    + "' reads other people's data or scores; guilt by association is refused");
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
              m.get("points"),
              where + ": a factor policy scores through its factors; remove points");
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
        list = Optional.of(ruleList(m.get("list"), where));
      }
      String label = m.containsKey("label") ? text(m.get("label")) : type.value();
      rules.put(
          type,
          new Rule(
              type, domain, points, expires, severity, cap, list, attributes, endorsement, label));
      ruleNodes.put(type, node);
    }

    private PointsFormula points(
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

    private Cap cap(Node node, String where) throws Skip {
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

    /** A rule's {@code list}: the name of a declared list, or an inline definition. */
    private String ruleList(Node node, String where) throws Skip {
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

    private boolean isConditionList(String name) {
      Node node = listNodes.get(name);
      return node instanceof MappingNode mapping
          && mapping.getValue().stream()
              .anyMatch(t -> t.getKeyNode() instanceof ScalarNode k && k.getValue().equals("when"));
    }

    /** Record-based lists take the domains of the rules that fill them. */
    private void finishRecordLists() {
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
              listNodes.get(name),
              "list '" + name + "' has no when condition and no rule fills it");
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
    private void conditionLists() {
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

    /**
     * The domains an expression reads: {@code score} and {@code grade} read every domain of the
     * policy; names in lists, factors and records read their own. Unknown names are refused.
     */
    private Set<Domain> readDomains(
        Node node, Expression expression, String where, Set<String> readableLists) throws Skip {
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

    private Set<String> allNames(String collection, Set<String> readableLists) {
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

    private Set<Domain> domainsOf(
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

    private void factor(Node node) throws Skip {
      Map<String, Node> m =
          mapping(node, "a factor", FACTOR, Set.of("name", "weight", "domains", "signal"));
      String name = text(m.get("name"));
      if (!name.matches("[a-z][a-z0-9_]{0,63}")) {
        fail(m.get("name"), "factor '" + name + "' must be a lower-case word");
      }
      String where = "factor " + name;
      Optional<String> category = Safeguards.protectedCategory(name);
      if (category.isPresent()) {
        fail(m.get("name"), refusal(where, "factor", name, category.get()));
      }
      refuseAssociation(m.get("name"), where, "factor", name);
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
      factors.put(name, new Factor(name, weight, domains, signal, label));
    }

    private Signal signal(Node node, String where, Set<Domain> domains) throws Skip {
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

    private boolean isEndorsement(RecordType type) {
      return type.segments().get(0).equals(ENDORSEMENT_PREFIX);
    }

    /**
     * A list of types, or a map of type → weight; each must have a rule in the factor's domains.
     */
    private Map<RecordType, Double> types(Node node, String where, Set<Domain> domains)
        throws Skip {
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

    private List<GradeBand> grades(Node node) throws Skip {
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

    private PurposeDefinition purpose(String name, Node node) throws Skip {
      Purpose purpose;
      try {
        purpose = Purpose.of(name);
      } catch (IllegalArgumentException e) {
        throw fail(node, e.getMessage());
      }
      String where = "purpose " + name;
      Optional<String> category = Safeguards.protectedCategory(name);
      if (category.isPresent()) {
        fail(node, refusal(where, "purpose", name, category.get()));
      }
      refuseAssociation(node, where, "purpose", name);
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
     * Compiles a purpose condition and checks purpose binding: every list, factor and record type
     * it reads must lie within the purpose's domains. {@code score} and {@code grade} are computed
     * from those domains only when the decision is made, so they need no check.
     */
    private Optional<Expression> purposeCondition(
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

    private static String singular(String collection) {
      return switch (collection) {
        case "lists" -> "list";
        case "factors" -> "factor";
        default -> "record type";
      };
    }

    private Expression condition(Node node, String where) throws Skip {
      ScalarNode scalar = scalar(node, where);
      try {
        return ExpressionCompiler.condition(scalar.getValue());
      } catch (ExpressionCompiler.CompileError e) {
        throw failInExpression(scalar, e, where);
      }
    }

    private Domain domain(Node node, String where) throws Skip {
      Domain domain = parse(node, Domain::of);
      Optional<String> category = Safeguards.protectedCategory(domain.name());
      if (category.isPresent()) {
        fail(node, refusal(where, "domain", domain.name(), category.get()));
      }
      Optional<String> association = Safeguards.associationWord(domain.name());
      if (association.isPresent()) {
        fail(
            node,
            where
                + ": domain '"
                + domain
                + "' is about other people ('"
                + association.get()
                + "'): guilt by association is refused");
      }
      return domain;
    }

    private String listName(Node node) throws Skip {
      String name = text(node);
      if (!name.matches("[a-z][a-z0-9-]{0,63}")) {
        fail(node, "list name '" + name + "' must be lower-case words joined by '-'");
      }
      Optional<String> category = Safeguards.protectedCategory(name);
      if (category.isPresent()) {
        fail(node, refusal("list " + name, "list", name, category.get()));
      }
      refuseAssociation(node, "list " + name, "list", name);
      return name;
    }

    private static String refusal(String where, String what, String name, String category) {
      return where
          + ": "
          + what
          + " '"
          + name
          + "' is in a protected category ("
          + category
          + "): Credo never scores it";
    }

    private void refuseAssociation(Node node, String where, String what, String name) throws Skip {
      Optional<String> word = Safeguards.associationWord(name);
      if (word.isPresent()) {
        fail(
            node,
            where
                + ": "
                + what
                + " '"
                + name
                + "' is about other people ('"
                + word.get()
                + "'): guilt by association is refused");
      }
    }

    private static String number(double value) {
      if (value == Math.rint(value) && Math.abs(value) < 1e15) {
        return Long.toString((long) value);
      }
      return java.math.BigDecimal.valueOf(value)
          .round(new java.math.MathContext(10))
          .stripTrailingZeros()
          .toPlainString();
    }

    private void checkTenYears(Node node, TimeSpan span, String where) {
      if (!span.atMost(TimeSpan.TEN_YEARS)) {
        problem(node, where + " is " + span + ": nothing may count for more than ten years");
      }
    }

    private static TimeSpan zero() {
      return TimeSpan.parse("P0D");
    }

    // ---- YAML helpers ---------------------------------------------------------------------

    private interface Action {
      void run() throws Skip;
    }

    private void tryDo(Action action) {
      try {
        action.run();
      } catch (Skip skip) {
        // recorded; go on to find more problems
      }
    }

    private void problem(Node node, String message) {
      Mark mark = node == null ? null : node.getStartMark();
      problems.add(
          new PolicyProblem(
              file,
              mark == null ? 1 : mark.getLine() + 1,
              mark == null ? 1 : mark.getColumn() + 1,
              message));
    }

    private Skip fail(Node node, String message) throws Skip {
      problem(node, message);
      throw new Skip();
    }

    private Skip failInExpression(
        ScalarNode scalar, ExpressionCompiler.CompileError e, String where) throws Skip {
      Mark mark = scalar.getStartMark();
      DumperOptions.ScalarStyle style = scalar.getScalarStyle();
      boolean quoted =
          style == DumperOptions.ScalarStyle.DOUBLE_QUOTED
              || style == DumperOptions.ScalarStyle.SINGLE_QUOTED;
      int line;
      int column;
      if (style == DumperOptions.ScalarStyle.LITERAL) {
        // A | block: the text starts on the next line, each line indented alike.
        int first = mark.getLine() + 1;
        int index = first + e.line;
        line = index + 1;
        String text = first < lines.length ? lines[first] : "";
        column = text.length() - text.stripLeading().length() + e.column + 1;
      } else if (e.line == 0) {
        line = mark.getLine() + 1;
        column = mark.getColumn() + 1 + (quoted ? 1 : 0) + e.column;
      } else {
        // A folded or flowed scalar: lines were joined, so point at where the expression starts.
        line = mark.getLine() + 1;
        column = mark.getColumn() + 1;
      }
      problems.add(new PolicyProblem(file, line, column, where + ": " + e.getMessage()));
      throw new Skip();
    }

    /**
     * The keys of a mapping node; reports unknown, duplicate and missing keys.
     *
     * @param allowed the allowed keys, or null for any
     */
    private Map<String, Node> mapping(
        Node node, String what, Set<String> allowed, Set<String> required) throws Skip {
      if (!(node instanceof MappingNode mapping)) {
        throw fail(node, what + " must be a mapping of key: value");
      }
      Map<String, Node> out = new LinkedHashMap<>();
      boolean bad = false;
      for (NodeTuple tuple : mapping.getValue()) {
        if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
          problem(tuple.getKeyNode(), "keys must be plain words");
          bad = true;
          continue;
        }
        String k = key.getValue();
        if (allowed != null && !allowed.contains(k)) {
          problem(
              key,
              "unknown key '"
                  + k
                  + "' in "
                  + what
                  + " (allowed: "
                  + String.join(", ", new TreeSet<>(allowed))
                  + ")");
          bad = true;
          continue;
        }
        if (out.put(k, tuple.getValueNode()) != null) {
          problem(key, "key '" + k + "' appears twice in " + what);
          bad = true;
        }
      }
      for (String r : new TreeSet<>(required)) {
        if (!out.containsKey(r)) {
          problem(node, what + " is missing required key '" + r + "'");
          bad = true;
        }
      }
      if (bad) {
        throw new Skip();
      }
      return out;
    }

    private void require(Map<String, Node> m, Node node, String what, String... keys) throws Skip {
      boolean missing = false;
      for (String k : keys) {
        if (!m.containsKey(k)) {
          problem(node, what + " is missing required key '" + k + "'");
          missing = true;
        }
      }
      if (missing) {
        throw new Skip();
      }
    }

    private List<Node> sequence(Node node, String what) throws Skip {
      if (!(node instanceof SequenceNode seq)) {
        throw fail(node, what + " must be a list");
      }
      return seq.getValue();
    }

    private ScalarNode scalar(Node node, String what) throws Skip {
      if (!(node instanceof ScalarNode scalar)) {
        throw fail(node, what + " must be a single value");
      }
      return scalar;
    }

    private String text(Node node) throws Skip {
      String value = scalar(node, "this").getValue();
      if (value.isBlank()) {
        fail(node, "value is empty");
      }
      return value;
    }

    private double number(Node node) throws Skip {
      String value = text(node);
      try {
        double d = Double.parseDouble(value);
        if (!Double.isFinite(d)) {
          fail(node, "'" + value + "' must be a finite number");
        }
        return d;
      } catch (NumberFormatException e) {
        throw fail(node, "'" + value + "' is not a number");
      }
    }

    private double positive(Node node, String where) throws Skip {
      double d = number(node);
      if (d <= 0) {
        fail(node, where + ": must be above zero");
      }
      return d;
    }

    private int integer(Node node, int min, int max, String what) throws Skip {
      String value = text(node);
      try {
        int i = Integer.parseInt(value);
        if (i < min || i > max) {
          fail(node, what + " must be between " + min + " and " + max);
        }
        return i;
      } catch (NumberFormatException e) {
        throw fail(node, what + " '" + value + "' is not a whole number");
      }
    }

    private boolean bool(Node node) throws Skip {
      String value = text(node);
      if (value.equals("true")) {
        return true;
      }
      if (value.equals("false")) {
        return false;
      }
      throw fail(node, "'" + value + "' must be true or false");
    }

    private TimeSpan span(Node node, String what) throws Skip {
      try {
        return TimeSpan.parse(text(node));
      } catch (IllegalArgumentException e) {
        throw fail(node, what + ": " + e.getMessage());
      }
    }

    private <T> T parse(Node node, String where, java.util.function.Function<String, T> parser)
        throws Skip {
      String value = text(node);
      try {
        return parser.apply(value);
      } catch (IllegalArgumentException e) {
        throw fail(node, where + ": " + e.getMessage());
      }
    }

    private TimeSpan positiveSpan(Node node, String what) throws Skip {
      TimeSpan span = span(node, what);
      if (span.isZero()) {
        fail(node, what + " must be longer than zero");
      }
      return span;
    }

    private <T> T parse(Node node, java.util.function.Function<String, T> parser) throws Skip {
      String value = text(node);
      try {
        return parser.apply(value);
      } catch (IllegalArgumentException e) {
        throw fail(node, e.getMessage());
      }
    }
  }
}
