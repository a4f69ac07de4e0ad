package org.credo.catalogue;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.credo.firewall.Exemption;
import org.credo.firewall.Firewall;
import org.credo.policy.AttributeType;
import org.credo.policy.Factor;
import org.credo.policy.Policy;
import org.credo.policy.PolicyProblem;
import org.credo.policy.Rule;
import org.credo.records.RecordType;
import org.credo.subject.SubjectId;

/**
 * The closed list of record types Credo may hold (SPEC §1): nothing is stored or scored unless an
 * entry with a legal basis says it may be. Intake refuses a type outside it and an attribute
 * outside the type's schema; a policy may reference only its types and their declared attributes,
 * for no longer than their retention.
 */
public record Catalogue(
    String name,
    int version,
    SortedMap<RecordType, CatalogueEntry> entries,
    List<Exemption> exemptions) {
  public Catalogue {
    requireNonNull(name, "name is null");
    entries = Collections.unmodifiableSortedMap(new TreeMap<>(entries));
    exemptions = List.copyOf(exemptions);
  }

  /** A catalogue without exemptions. */
  public Catalogue(String name, int version, SortedMap<RecordType, CatalogueEntry> entries) {
    this(name, version, entries, List.of());
  }

  /**
   * The firewall names are checked against under this catalogue: the shipped lexicon less this
   * catalogue's reviewed exemptions.
   */
  public Firewall firewall() {
    return exemptions.isEmpty() ? Firewall.strict() : Firewall.withExemptions(exemptions);
  }

  /** {@code name v version}, as activations and refusals name it. */
  public String label() {
    return name + " v" + version;
  }

  public Optional<CatalogueEntry> entry(RecordType type) {
    return Optional.ofNullable(entries.get(type));
  }

  /**
   * Why a record of {@code type} with {@code attributes} may not be held, in the record's terms;
   * empty when the catalogue allows it.
   */
  public Optional<String> refusal(RecordType type, Map<String, Object> attributes) {
    CatalogueEntry entry = entries.get(type);
    if (entry == null) {
      return Optional.of(
          "record type '"
              + type.value()
              + "' is not in the catalogue ("
              + label()
              + "): Credo holds only catalogued types");
    }
    // In name order, so that the first problem named is the same whatever the map's order.
    Map<String, Object> ordered = attributes.size() < 2 ? attributes : new TreeMap<>(attributes);
    for (Map.Entry<String, Object> a : ordered.entrySet()) {
      if (a.getValue() instanceof String s && SubjectId.looksLikeIdentifier(s)) {
        return Optional.of(
            "attribute '"
                + a.getKey()
                + "' holds what has the shape of a subject's identifier: a record concerns its own"
                + " subject only, and never names a second person");
      }
      Optional<AttributeSchema> schema = entry.attribute(a.getKey());
      if (schema.isEmpty()) {
        return Optional.of(
            "attribute '"
                + a.getKey()
                + "' is not in the catalogue's schema of "
                + type.value()
                + (entry.attributes().isEmpty()
                    ? " (it declares none)"
                    : " (declared: "
                        + String.join(", ", new TreeSet<>(entry.attributesByName().keySet()))
                        + ")"));
      }
      Optional<String> problem = schema.get().problem(a.getValue());
      if (problem.isPresent()) {
        return problem;
      }
    }
    return Optional.empty();
  }

  /**
   * What in a policy this catalogue does not allow, each at the place in the policy's text where
   * the type is named (the first mention after its rule's start when the text is given).
   *
   * @param file the policy's file name, for the problems
   * @param yaml the policy's text, to find lines and columns (empty: line 1)
   */
  public List<PolicyProblem> problems(Policy policy, String file, String yaml) {
    List<PolicyProblem> out = new ArrayList<>();
    firewallProblems(policy, file, yaml, out);
    for (Rule rule : policy.rules()) {
      String t = rule.type().value();
      CatalogueEntry entry = entries.get(rule.type());
      if (entry == null) {
        out.add(
            at(
                file,
                yaml,
                t,
                "rule for '" + t + "': the type is not in the catalogue (" + label() + ")"));
        continue;
      }
      for (Map.Entry<String, AttributeType> a : new TreeMap<>(rule.attributes()).entrySet()) {
        Optional<AttributeSchema> schema = entry.attribute(a.getKey());
        if (schema.isEmpty()) {
          out.add(
              at(
                  file,
                  yaml,
                  t,
                  "rule for '"
                      + t
                      + "' reads attribute '"
                      + a.getKey()
                      + "', which the catalogue does not declare for the type"));
        } else if (schema.get().type() != a.getValue()) {
          out.add(
              at(
                  file,
                  yaml,
                  t,
                  "rule for '"
                      + t
                      + "' reads attribute '"
                      + a.getKey()
                      + "' as "
                      + a.getValue().word()
                      + "; the catalogue declares it "
                      + schema.get().type().word()));
        }
      }
      if (!rule.expires().atMost(entry.retention())) {
        out.add(
            at(
                file,
                yaml,
                t,
                "rule for '"
                    + t
                    + "' expires after "
                    + rule.expires()
                    + ", longer than the catalogue's retention of "
                    + entry.retention()
                    + " ("
                    + entry.basis()
                    + ")"));
      }
    }
    for (Factor f : policy.factors()) {
      for (RecordType type : new TreeSet<>(f.signal().types().keySet())) {
        if (!entries.containsKey(type)) {
          out.add(
              at(
                  file,
                  yaml,
                  type.value(),
                  "factor '"
                      + f.name()
                      + "' counts '"
                      + type.value()
                      + "', which is not in the catalogue ("
                      + label()
                      + ")"));
        }
      }
    }
    return out;
  }

  /**
   * The types a source may be registered for must each name catalogued types: a full type, or a
   * prefix ({@code bank.} or {@code bank}) that at least one catalogued type starts with.
   *
   * @return a refusal naming the first prefix that matches nothing, or empty
   */
  public Optional<String> refusalOfSourceTypes(List<String> typePrefixes) {
    return refusalOfSourceTypes(typePrefixes, Optional.empty());
  }

  /**
   * As {@link #refusalOfSourceTypes(List)}; a source of {@code kind} must moreover be allowed to
   * submit at least one catalogued type under each prefix.
   */
  public Optional<String> refusalOfSourceTypes(List<String> typePrefixes, Optional<String> kind) {
    for (String p : typePrefixes) {
      String prefix = p.endsWith(".") || p.contains(".") ? p : p + ".";
      List<CatalogueEntry> under =
          entries.values().stream()
              .filter(e -> e.type().value().equals(p) || e.type().value().startsWith(prefix))
              .toList();
      if (under.isEmpty()) {
        return Optional.of("'" + p + "' names no record type in the catalogue (" + label() + ")");
      }
      if (kind.isPresent() && under.stream().noneMatch(e -> e.sources().contains(kind.get()))) {
        return Optional.of(
            "a "
                + kind.get()
                + " may submit no type under '"
                + p
                + "' (the catalogue lets "
                + String.join(", ", under.get(0).sources())
                + " submit "
                + under.get(0).type().value()
                + ")");
      }
    }
    return Optional.empty();
  }

  /**
   * Every name of the policy checked against this catalogue's firewall: a policy loaded under
   * another catalogue's exemptions is refused here when this one does not grant them.
   */
  private void firewallProblems(Policy policy, String file, String yaml, List<PolicyProblem> out) {
    Firewall f = firewall();
    java.util.Map<String, String> names = new java.util.LinkedHashMap<>();
    for (Rule rule : policy.rules()) {
      names.putIfAbsent(rule.type().value(), "record type");
      names.putIfAbsent(rule.domain().name(), "domain");
      for (String a : rule.attributes().keySet()) {
        names.putIfAbsent(a, "attribute");
      }
    }
    for (Factor factor : policy.factors()) {
      names.putIfAbsent(factor.name(), "factor");
    }
    for (String list : policy.lists().keySet()) {
      names.putIfAbsent(list, "list");
    }
    for (var purpose : policy.purposes().keySet()) {
      names.putIfAbsent(purpose.name(), "purpose");
    }
    for (java.util.Map.Entry<String, String> n : names.entrySet()) {
      f.name(n.getKey())
          .ifPresent(
              m ->
                  out.add(
                      at(
                          file,
                          yaml,
                          n.getKey(),
                          n.getValue()
                              + " '"
                              + n.getKey()
                              + "' is "
                              + (m.aboutOtherPeople()
                                  ? "about other people ('" + m.term() + "')"
                                  : "in a protected category (" + m.describe() + ")")
                              + " and "
                              + label()
                              + " grants no exemption for it")));
    }
  }

  /** A problem at the first mention of {@code needle} in {@code yaml} (line 1 when absent). */
  static PolicyProblem at(String file, String yaml, String needle, String message) {
    int line = 1;
    int column = 1;
    if (yaml != null) {
      String[] lines = yaml.split("\n", -1);
      for (int i = 0; i < lines.length; i++) {
        int c = lines[i].indexOf(needle);
        if (c >= 0 && !lines[i].stripLeading().startsWith("#")) {
          line = i + 1;
          column = c + 1;
          break;
        }
      }
    }
    return new PolicyProblem(file, line, column, message);
  }
}
