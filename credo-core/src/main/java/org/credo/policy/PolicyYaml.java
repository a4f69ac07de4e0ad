package org.credo.policy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.credo.firewall.Firewall;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * What every part of the policy reader shares: the file's name and lines, the problems found so far
 * (each as {@code file:line:column: reason}), and the checked reads of YAML nodes — mappings with
 * their allowed and required keys, scalars, numbers, spans. A read that fails records its problem
 * and throws {@link Skip}, which the caller catches to go on to the next item, so one pass reports
 * every problem.
 */
public class PolicyYaml {
  final String file;
  final List<PolicyProblem> problems;
  String[] lines;
  Firewall firewall;

  public PolicyYaml(String file) {
    this(file, Firewall.strict());
  }

  /** A reader whose names pass {@code firewall}: the lexicon less a catalogue's exemptions. */
  public PolicyYaml(String file, Firewall firewall) {
    this.file = file;
    this.problems = new ArrayList<>();
    this.lines = new String[0];
    this.firewall = firewall;
  }

  /** A reader of another part of the same file: the same problems, the same lines. */
  PolicyYaml(PolicyYaml same) {
    this.file = same.file;
    this.problems = same.problems;
    this.lines = same.lines;
    this.firewall = same.firewall;
  }

  /** Thrown after a problem is recorded, to skip the rest of the item being read. */
  public static final class Skip extends Exception {
    static final long serialVersionUID = 1L;

    Skip() {
      super(null, null, false, false);
    }
  }

  /**
   * Why the firewall refuses {@code name}, a {@code what} of {@code where}, naming the category,
   * the matched term and, for other people, why; empty when it passes.
   */
  Optional<String> refusal(String where, String what, String name) {
    return firewall
        .name(name)
        .map(
            m ->
                m.aboutOtherPeople()
                    ? where
                        + ": "
                        + what
                        + " '"
                        + name
                        + "' is about other people ('"
                        + m.term()
                        + "'): guilt by association is refused"
                        + (what.equals("record type")
                            ? "; use endorsement.* records a subject chose to receive"
                            : "")
                    : where
                        + ": "
                        + what
                        + " '"
                        + name
                        + "' is in a protected category ("
                        + m.describe()
                        + "): Credo never scores it");
  }

  /** Records the firewall's refusal of {@code name} and skips the item, when it refuses. */
  void guard(Node node, String where, String what, String name) throws Skip {
    Optional<String> refused = refusal(where, what, name);
    if (refused.isPresent()) {
      fail(node, refused.get());
    }
  }

  static String number(double value) {
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    return java.math.BigDecimal.valueOf(value)
        .round(new java.math.MathContext(10))
        .stripTrailingZeros()
        .toPlainString();
  }

  public void checkTenYears(Node node, TimeSpan span, String where) {
    if (!span.atMost(TimeSpan.TEN_YEARS)) {
      problem(node, where + " is " + span + ": nothing may count for more than ten years");
    }
  }

  static TimeSpan zero() {
    return TimeSpan.parse("P0D");
  }

  /** The problems found so far, in file order. */
  public List<PolicyProblem> problems() {
    List<PolicyProblem> sorted = new ArrayList<>(problems);
    sorted.sort((a, b) -> a.line() != b.line() ? a.line() - b.line() : a.column() - b.column());
    return sorted;
  }

  /**
   * Parses a YAML text into its node tree (duplicate keys refused, aliases limited); a text that is
   * not YAML, or empty, is recorded as a problem and gives null.
   */
  public Node compose(String yaml, String emptyMessage) {
    lines = yaml.split("\n", -1);
    try {
      org.yaml.snakeyaml.LoaderOptions options = new org.yaml.snakeyaml.LoaderOptions();
      options.setAllowDuplicateKeys(false);
      options.setMaxAliasesForCollections(10);
      Node root = new org.yaml.snakeyaml.Yaml(options).compose(new java.io.StringReader(yaml));
      if (root == null) {
        problems.add(new PolicyProblem(file, 1, 1, emptyMessage));
      }
      return root;
    } catch (org.yaml.snakeyaml.error.MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
      problems.add(
          new PolicyProblem(
              file,
              mark == null ? 1 : mark.getLine() + 1,
              mark == null ? 1 : mark.getColumn() + 1,
              "malformed YAML: " + problem.strip()));
    } catch (org.yaml.snakeyaml.error.YAMLException e) {
      problems.add(new PolicyProblem(file, 1, 1, "malformed YAML: " + e.getMessage()));
    }
    return null;
  }

  // ---- YAML helpers ---------------------------------------------------------------------

  public interface Action {
    void run() throws Skip;
  }

  public void tryDo(Action action) {
    try {
      action.run();
    } catch (Skip skip) {
      // recorded; go on to find more problems
    }
  }

  public void problem(Node node, String message) {
    Mark mark = node == null ? null : node.getStartMark();
    problems.add(
        new PolicyProblem(
            file,
            mark == null ? 1 : mark.getLine() + 1,
            mark == null ? 1 : mark.getColumn() + 1,
            message));
  }

  public Skip fail(Node node, String message) throws Skip {
    problem(node, message);
    throw new Skip();
  }

  Skip failInExpression(ScalarNode scalar, ExpressionCompiler.CompileError e, String where)
      throws Skip {
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
  public Map<String, Node> mapping(
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

  void require(Map<String, Node> m, Node node, String what, String... keys) throws Skip {
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

  public List<Node> sequence(Node node, String what) throws Skip {
    if (!(node instanceof SequenceNode seq)) {
      throw fail(node, what + " must be a list");
    }
    return seq.getValue();
  }

  public ScalarNode scalar(Node node, String what) throws Skip {
    if (!(node instanceof ScalarNode scalar)) {
      throw fail(node, what + " must be a single value");
    }
    return scalar;
  }

  public String text(Node node) throws Skip {
    String value = scalar(node, "this").getValue();
    if (value.isBlank()) {
      fail(node, "value is empty");
    }
    return value;
  }

  public double number(Node node) throws Skip {
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

  double positive(Node node, String where) throws Skip {
    double d = number(node);
    if (d <= 0) {
      fail(node, where + ": must be above zero");
    }
    return d;
  }

  int integer(Node node, int min, int max, String what) throws Skip {
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

  public boolean bool(Node node) throws Skip {
    String value = text(node);
    if (value.equals("true")) {
      return true;
    }
    if (value.equals("false")) {
      return false;
    }
    throw fail(node, "'" + value + "' must be true or false");
  }

  public TimeSpan span(Node node, String what) throws Skip {
    try {
      return TimeSpan.parse(text(node));
    } catch (IllegalArgumentException e) {
      throw fail(node, what + ": " + e.getMessage());
    }
  }

  <T> T parse(Node node, String where, java.util.function.Function<String, T> parser) throws Skip {
    String value = text(node);
    try {
      return parser.apply(value);
    } catch (IllegalArgumentException e) {
      throw fail(node, where + ": " + e.getMessage());
    }
  }

  public TimeSpan positiveSpan(Node node, String what) throws Skip {
    TimeSpan span = span(node, what);
    if (span.isZero()) {
      fail(node, what + " must be longer than zero");
    }
    return span;
  }

  <T> T parse(Node node, java.util.function.Function<String, T> parser) throws Skip {
    String value = text(node);
    try {
      return parser.apply(value);
    } catch (IllegalArgumentException e) {
      throw fail(node, e.getMessage());
    }
  }
}
