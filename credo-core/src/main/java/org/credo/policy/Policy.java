package org.credo.policy;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.credo.records.RecordType;
import org.credo.subject.SubjectKind;

/**
 * A loaded, checked and compiled policy: immutable, safe to share between threads. Obtain one from
 * {@link PolicyLoader}; the loader has already refused anything the safeguards forbid.
 */
public final class Policy {
  private final PolicyRef ref;
  private final String title;
  private final Set<SubjectKind> subjects;
  private final Scale scale;
  private final List<Rule> rules;
  private final Map<RecordType, Integer> ruleIndex;
  private final List<GradeBand> grades;
  private final Map<String, ListDefinition> lists;
  private final List<Factor> factors;
  private final Map<Purpose, PurposeDefinition> purposes;
  private final TimeSpan disputeDeadline;
  private final boolean scoreUnknownTypesZero;
  private final Optional<ScoringCriteria> scorable;

  Policy(
      PolicyRef ref,
      String title,
      Set<SubjectKind> subjects,
      Scale scale,
      List<Rule> rules,
      List<GradeBand> grades,
      List<ListDefinition> lists,
      List<Factor> factors,
      List<PurposeDefinition> purposes,
      TimeSpan disputeDeadline,
      boolean scoreUnknownTypesZero,
      Optional<ScoringCriteria> scorable) {
    this.ref = requireNonNull(ref, "ref is null");
    this.title = requireNonNull(title, "title is null");
    this.subjects = Set.copyOf(subjects);
    this.scale = requireNonNull(scale, "scale is null");
    this.rules = List.copyOf(rules);
    Map<RecordType, Integer> index = new HashMap<>();
    for (int i = 0; i < this.rules.size(); i++) {
      index.put(this.rules.get(i).type(), i);
    }
    this.ruleIndex = Map.copyOf(index);
    List<GradeBand> sorted = new ArrayList<>(grades);
    sorted.sort((a, b) -> Double.compare(b.min(), a.min()));
    this.grades = List.copyOf(sorted);
    Map<String, ListDefinition> byName = new LinkedHashMap<>();
    lists.forEach(l -> byName.put(l.name(), l));
    this.lists = Collections.unmodifiableMap(byName);
    this.factors = List.copyOf(factors);
    Map<Purpose, PurposeDefinition> byPurpose = new LinkedHashMap<>();
    purposes.forEach(p -> byPurpose.put(p.purpose(), p));
    this.purposes = Collections.unmodifiableMap(byPurpose);
    this.disputeDeadline = requireNonNull(disputeDeadline, "disputeDeadline is null");
    this.scoreUnknownTypesZero = scoreUnknownTypesZero;
    this.scorable = requireNonNull(scorable, "scorable is null");
  }

  /**
   * The policy's minimum scoring criteria ({@code scorable:}); empty when every subject with a
   * record the policy reads may be scored.
   */
  public Optional<ScoringCriteria> scorable() {
    return scorable;
  }

  public PolicyRef ref() {
    return ref;
  }

  public String id() {
    return ref.id();
  }

  public int version() {
    return ref.version();
  }

  public String title() {
    return title;
  }

  /** The subject kinds this policy scores. */
  public Set<SubjectKind> subjects() {
    return subjects;
  }

  public Scale scale() {
    return scale;
  }

  /** The rules in the order the policy declares them. */
  public List<Rule> rules() {
    return rules;
  }

  /** The rule for a record type, if the policy knows it. */
  public Optional<Rule> rule(RecordType type) {
    Integer i = ruleIndex.get(type);
    return i == null ? Optional.empty() : Optional.of(rules.get(i));
  }

  /** The position of a type's rule in {@link #rules()}, or -1. */
  public int ruleIndex(RecordType type) {
    Integer i = ruleIndex.get(type);
    return i == null ? -1 : i;
  }

  /** Grade bands, highest minimum first. */
  public List<GradeBand> grades() {
    return grades;
  }

  public Map<String, ListDefinition> lists() {
    return lists;
  }

  public List<Factor> factors() {
    return factors;
  }

  public Map<Purpose, PurposeDefinition> purposes() {
    return purposes;
  }

  public Optional<PurposeDefinition> purpose(Purpose purpose) {
    return Optional.ofNullable(purposes.get(purpose));
  }

  /** How long a source has to answer a dispute before the record is suppressed. */
  public TimeSpan disputeDeadline() {
    return disputeDeadline;
  }

  /** True when records of types no rule names are kept and scored zero instead of rejected. */
  public boolean scoresUnknownTypesZero() {
    return scoreUnknownTypesZero;
  }

  /** Every domain the rules use, sorted. */
  public Set<Domain> domains() {
    Set<Domain> all = new TreeSet<>();
    rules.forEach(r -> all.add(r.domain()));
    return Collections.unmodifiableSet(all);
  }

  @Override
  public String toString() {
    return ref.toString();
  }
}
