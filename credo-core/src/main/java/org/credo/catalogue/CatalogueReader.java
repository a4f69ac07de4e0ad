package org.credo.catalogue;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.credo.firewall.Exemption;
import org.credo.firewall.Firewall;
import org.credo.firewall.LexiconMatch;
import org.credo.policy.AttributeType;
import org.credo.policy.Domain;
import org.credo.policy.PolicyYaml;
import org.credo.policy.Severity;
import org.credo.policy.TimeSpan;
import org.credo.records.RecordType;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads a catalogue file. Every problem is reported at once, each as {@code file:line:column:
 * reason}, and a catalogue with any problem is refused whole.
 */
public final class CatalogueReader {
  private static final Pattern WORD = Pattern.compile("[a-z][a-z0-9_]*");
  private static final TimeSpan TEN_YEARS = TimeSpan.parse("P10Y");
  private static final double MAX_NUMBER = 1e14;

  /** Attribute names that point at a person or an organisation rather than describe a record. */
  private static final Pattern IDENTIFIER_NAME =
      Pattern.compile(
          "(?:.*_)?(?:id|ids|uid|uuid|identifier|pseudonym|uscc|phone|mobile|email|name|subject|"
              + "person|counterparty|endorser|guarantor|spouse)");

  private CatalogueReader() {}

  /**
   * The catalogue in {@code yaml}.
   *
   * @param file the file's name, for the problems
   * @throws CatalogueException with every problem found
   */
  public static Catalogue read(String file, String yaml) throws CatalogueException {
    requireNonNull(file, "file is null");
    requireNonNull(yaml, "yaml is null");
    PolicyYaml y = new PolicyYaml(file);
    Node root = y.compose(yaml, "the catalogue is empty");
    Catalogue out = null;
    if (root != null) {
      try {
        out = catalogue(y, root);
      } catch (PolicyYaml.Skip skip) {
        // recorded
      }
    }
    if (out == null || !y.problems().isEmpty()) {
      throw new CatalogueException(y.problems());
    }
    return out;
  }

  private static Catalogue catalogue(PolicyYaml y, Node root) throws PolicyYaml.Skip {
    Map<String, Node> top =
        y.mapping(
            root,
            "the catalogue",
            Set.of("catalogue", "version", "entries", "exemptions"),
            Set.of("catalogue", "version", "entries"));
    String name = y.text(top.get("catalogue"));
    if (!Pattern.matches("[a-z0-9][a-z0-9_-]{0,63}", name)) {
      y.problem(top.get("catalogue"), "a catalogue's name is lower-case letters, digits, - and _");
    }
    double v = y.number(top.get("version"));
    if (v < 1 || v != Math.rint(v) || v > 1_000_000) {
      throw y.fail(top.get("version"), "version must be a whole number from 1");
    }
    TreeMap<RecordType, CatalogueEntry> entries = new TreeMap<>();
    Map<RecordType, Node> entryNodes = new java.util.HashMap<>();
    List<Node> items = y.sequence(top.get("entries"), "entries");
    if (items.isEmpty()) {
      y.problem(top.get("entries"), "a catalogue lists at least one record type");
    }
    for (Node item : items) {
      y.tryDo(
          () -> {
            CatalogueEntry e = entry(y, item);
            entryNodes.put(e.type(), item);
            if (entries.put(e.type(), e) != null) {
              y.problem(item, "record type '" + e.type().value() + "' is listed twice");
            }
          });
    }
    List<Exemption> exemptions = new ArrayList<>();
    Map<String, Node> exemptionNodes = new TreeMap<>();
    if (top.containsKey("exemptions")) {
      for (Node item : y.sequence(top.get("exemptions"), "exemptions")) {
        y.tryDo(
            () -> {
              Exemption e = exemption(y, item);
              if (exemptionNodes.put(e.name(), item) != null) {
                y.problem(item, "the exemption of '" + e.name() + "' is listed twice");
              }
              exemptions.add(e);
            });
      }
    }
    Firewall firewall = Firewall.withExemptions(exemptions);
    for (Exemption e : exemptions) {
      // An exemption must be needed: it names terms the lexicon finds in its name or, for an
      // entry, in its description, attributes or values.
      CatalogueEntry entry = null;
      try {
        entry = entries.get(new RecordType(e.name()));
      } catch (IllegalArgumentException notAType) {
        // a policy name (domain, list, factor, purpose)
      }
      Set<String> found = new java.util.HashSet<>();
      for (LexiconMatch m : firewall.lexicon().inName(e.name())) {
        found.add(m.term());
      }
      if (entry != null) {
        for (String text : entryTexts(entry)) {
          for (LexiconMatch m : firewall.lexicon().inName(text)) {
            found.add(m.term());
          }
        }
        for (LexiconMatch m : firewall.lexicon().inProse(entry.description())) {
          found.add(m.term());
        }
      }
      for (String term : e.allows()) {
        if (!found.contains(term)) {
          y.problem(
              exemptionNodes.get(e.name()),
              "the exemption of '"
                  + e.name()
                  + "' allows '"
                  + term
                  + "', which the lexicon does not find there: an exemption covers only what it"
                  + " must");
        }
      }
    }
    for (Map.Entry<RecordType, CatalogueEntry> e : entries.entrySet()) {
      checkNames(y, entryNodes.get(e.getKey()), e.getValue(), firewall);
    }
    return new Catalogue(name, (int) v, entries, exemptions);
  }

  /** The names of an entry the firewall checks besides its type: domain, attributes, values. */
  private static List<String> entryTexts(CatalogueEntry entry) {
    List<String> out = new ArrayList<>();
    out.add(entry.domain().name());
    for (AttributeSchema a : entry.attributes()) {
      out.add(a.name());
      out.addAll(a.values());
    }
    return out;
  }

  /** The firewall over one entry: its type, domain, attributes, values and description. */
  private static void checkNames(PolicyYaml y, Node node, CatalogueEntry entry, Firewall firewall) {
    String type = entry.type().value();
    String where = "entry '" + type + "'";
    firewall.name(type).ifPresent(m -> y.problem(node, where + ": the type " + refused(m)));
    firewall
        .nameIn(type, entry.domain().name())
        .ifPresent(
            m -> y.problem(node, where + ": domain '" + entry.domain().name() + "' " + refused(m)));
    for (AttributeSchema a : entry.attributes()) {
      firewall
          .nameIn(type, a.name())
          .ifPresent(m -> y.problem(node, where + ": attribute '" + a.name() + "' " + refused(m)));
      for (String value : a.values()) {
        firewall
            .nameIn(type, value)
            .ifPresent(
                m ->
                    y.problem(
                        node,
                        where + ": value '" + value + "' of '" + a.name() + "' " + refused(m)));
      }
    }
    firewall
        .prose(type, entry.description())
        .ifPresent(m -> y.problem(node, where + ": the description " + refused(m)));
  }

  private static String refused(LexiconMatch m) {
    return m.aboutOtherPeople()
        ? "is about other people ('"
            + m.term()
            + "'): guilt by association is refused; a reviewed exemption may allow a lawful name"
        : "is in a protected category ("
            + m.describe()
            + "): Credo never holds it; a reviewed exemption may allow a lawful name";
  }

  private static Exemption exemption(PolicyYaml y, Node node) throws PolicyYaml.Skip {
    Map<String, Node> m =
        y.mapping(
            node,
            "an exemption",
            Set.of("name", "allows", "reason"),
            Set.of("name", "allows", "reason"));
    String name = y.text(m.get("name"));
    List<String> allows = new ArrayList<>();
    for (Node a : y.sequence(m.get("allows"), "allows")) {
      allows.add(y.text(a));
    }
    String reason = nonBlank(y, m.get("reason"), "the exemption of '" + name + "': reason");
    if (reason.length() < 20) {
      y.problem(
          m.get("reason"),
          "the exemption of '" + name + "': the reason says why the name is lawful, in a sentence");
    }
    try {
      return new Exemption(name, new java.util.TreeSet<>(allows), reason);
    } catch (IllegalArgumentException e) {
      throw y.fail(node, "the exemption of '" + name + "': " + e.getMessage());
    }
  }

  private static CatalogueEntry entry(PolicyYaml y, Node node) throws PolicyYaml.Skip {
    Map<String, Node> m =
        y.mapping(
            node,
            "a catalogue entry",
            Set.of(
                "type",
                "domain",
                "description",
                "basis",
                "direction",
                "severity",
                "retention",
                "kept_by_law",
                "sources",
                "attributes"),
            Set.of("type", "domain", "description", "basis", "direction", "retention", "sources"));
    String typeText = y.text(m.get("type"));
    RecordType type;
    try {
      type = new RecordType(typeText);
    } catch (IllegalArgumentException e) {
      throw y.fail(m.get("type"), e.getMessage());
    }
    String where = "entry '" + typeText + "'";
    String domainText = y.text(m.get("domain"));
    Domain domain;
    try {
      domain = new Domain(domainText);
    } catch (IllegalArgumentException e) {
      throw y.fail(m.get("domain"), where + ": " + e.getMessage());
    }
    String description = nonBlank(y, m.get("description"), where + ": description");
    String basis = nonBlank(y, m.get("basis"), where + ": basis (the law or contract allowing it)");
    Direction direction;
    try {
      direction = Direction.parse(y.text(m.get("direction")));
    } catch (IllegalArgumentException e) {
      throw y.fail(m.get("direction"), where + ": " + e.getMessage());
    }
    Optional<Severity> severity = Optional.empty();
    if (m.containsKey("severity")) {
      String s = y.text(m.get("severity"));
      severity =
          java.util.Arrays.stream(Severity.values()).filter(x -> x.word().equals(s)).findFirst();
      if (severity.isEmpty()) {
        y.problem(
            m.get("severity"), where + ": severity '" + s + "' is not minor, general or serious");
      } else if (direction != Direction.NEGATIVE) {
        y.problem(m.get("severity"), where + ": only a negative type has a severity");
      }
    } else if (direction == Direction.NEGATIVE) {
      y.problem(node, where + ": a negative type needs a severity (minor, general or serious)");
    }
    TimeSpan retention = y.positiveSpan(m.get("retention"), where + ": retention");
    if (!retention.atMost(TEN_YEARS)) {
      y.problem(
          m.get("retention"),
          where + ": retention " + retention + " is above P10Y, the most Credo keeps anything");
    }
    boolean keptByLaw = m.containsKey("kept_by_law") && y.bool(m.get("kept_by_law"));
    List<String> sources = new ArrayList<>();
    for (Node s : y.sequence(m.get("sources"), where + ": sources")) {
      String kind = y.text(s);
      if (!WORD.matcher(kind).matches()) {
        y.problem(s, where + ": a source kind is a lower-case word, not '" + kind + "'");
      }
      sources.add(kind);
    }
    if (sources.isEmpty()) {
      y.problem(m.get("sources"), where + ": name at least one kind of source that may submit it");
    }
    List<AttributeSchema> attributes = new ArrayList<>();
    if (m.containsKey("attributes")) {
      for (Node a : y.sequence(m.get("attributes"), where + ": attributes")) {
        y.tryDo(
            () -> {
              AttributeSchema schema = attribute(y, a, where);
              if (attributes.stream().anyMatch(x -> x.name().equals(schema.name()))) {
                y.problem(a, where + ": attribute '" + schema.name() + "' is declared twice");
              }
              attributes.add(schema);
            });
      }
    }
    return new CatalogueEntry(
        type,
        domain,
        description,
        basis,
        direction,
        severity,
        retention,
        keptByLaw,
        sources,
        attributes);
  }

  private static AttributeSchema attribute(PolicyYaml y, Node node, String where)
      throws PolicyYaml.Skip {
    Map<String, Node> m =
        y.mapping(
            node,
            "an attribute",
            Set.of("name", "type", "unit", "min", "max", "values"),
            Set.of("name", "type"));
    String name = y.text(m.get("name"));
    if (!WORD.matcher(name).matches()) {
      throw y.fail(
          m.get("name"), where + ": an attribute's name is a lower-case word, not '" + name + "'");
    }
    AttributeType type;
    try {
      type = AttributeType.parse(y.text(m.get("type")));
    } catch (IllegalArgumentException e) {
      throw y.fail(m.get("type"), where + ": attribute '" + name + "': " + e.getMessage());
    }
    Optional<String> unit =
        m.containsKey("unit") ? Optional.of(y.text(m.get("unit"))) : Optional.empty();
    OptionalDouble min =
        m.containsKey("min") ? OptionalDouble.of(y.number(m.get("min"))) : OptionalDouble.empty();
    OptionalDouble max =
        m.containsKey("max") ? OptionalDouble.of(y.number(m.get("max"))) : OptionalDouble.empty();
    if ((min.isPresent() || max.isPresent()) && type != AttributeType.NUMBER) {
      y.problem(node, where + ": attribute '" + name + "': only a number has a range");
    }
    if (min.isPresent() && max.isPresent() && min.getAsDouble() > max.getAsDouble()) {
      y.problem(m.get("min"), where + ": attribute '" + name + "': min is above max");
    }
    List<String> values = new ArrayList<>();
    if (m.containsKey("values")) {
      if (type != AttributeType.STRING) {
        y.problem(m.get("values"), where + ": attribute '" + name + "': only a string has values");
      }
      for (Node v : y.sequence(m.get("values"), "values")) {
        String value = y.text(v);
        if (!WORD.matcher(value).matches()) {
          y.problem(
              v,
              where
                  + ": attribute '"
                  + name
                  + "': a value is a lower-case word, not '"
                  + value
                  + "' (no identifier, name or free text)");
        }
        values.add(value);
      }
    }
    // No attribute can hold another subject's identifier: text only from a closed list of words,
    // numbers only in a range too narrow for an identity number.
    if (type == AttributeType.STRING && values.isEmpty()) {
      y.problem(
          node,
          where
              + ": attribute '"
              + name
              + "': a string attribute lists its values, so that it can never carry an identifier"
              + " or a name");
    }
    if (type == AttributeType.NUMBER
        && (max.isEmpty()
            || min.isEmpty()
            || max.getAsDouble() >= MAX_NUMBER
            || min.getAsDouble() <= -MAX_NUMBER)) {
      y.problem(
          node,
          where
              + ": attribute '"
              + name
              + "': a number attribute declares min and max within ±10^14, so that it can never"
              + " carry an identity number");
    }
    if (IDENTIFIER_NAME.matcher(name).matches()) {
      y.problem(
          m.get("name"),
          where
              + ": attribute '"
              + name
              + "' names an identifier: a record concerns its own subject only, and no attribute"
              + " may point to another");
    }
    return new AttributeSchema(name, type, unit, min, max, values);
  }

  private static String nonBlank(PolicyYaml y, Node node, String what) throws PolicyYaml.Skip {
    String text = y.scalar(node, what).getValue();
    if (text == null || text.isBlank()) {
      throw y.fail(node, what + " is empty");
    }
    return text.strip();
  }
}
