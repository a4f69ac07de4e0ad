package org.credo.scoring;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.credo.policy.AttributeType;
import org.credo.policy.Expression;
import org.credo.policy.Factor;
import org.credo.policy.ListDefinition;
import org.credo.policy.PointsFormula;
import org.credo.policy.Policy;
import org.credo.policy.Rule;
import org.credo.policy.Signal;
import org.credo.policy.TimeSpan;
import org.credo.records.Record;
import org.credo.subject.SubjectId;

/**
 * One subject's records prepared for one policy version: sorted into a canonical order, each
 * resolved to its rule, its points expression evaluated once, its expiry, cap bucket and list dates
 * computed, and corrections linked to what they correct. Scoring at any instant is then a single
 * pass over flat arrays.
 *
 * <p>Prepare a history when records are accepted or a policy is activated, and keep it; {@link
 * Scorer#score(SubjectHistory, Instant, Instant)} is the hot path. Immutable once built.
 */
public final class SubjectHistory {
  /** Records in canonical order: occurred, then source, then id. */
  private static final Comparator<Record> CANONICAL =
      Comparator.comparing(Record::occurred)
          .thenComparing(Record::source)
          .thenComparing(Record::id)
          .thenComparing(Record::learned);

  static final byte PREP_OK = 0;
  static final byte PREP_UNKNOWN = 1;
  static final byte PREP_UNSCORABLE = 2;

  /** A correction of a type the policy does not know: it only withdraws what it names. */
  static final byte PREP_LINK_ONLY = 3;

  final Policy policy;
  final SubjectId subject;
  final Record[] records;
  final int size;
  final int[] rule;
  final byte[] prep;
  final double[] points;
  final long[] occurred;
  final long[] learned;
  final long[] expiresAt;
  final long[] capBucket;
  final int[] target;
  final boolean[] retraction;
  final long[] listEffective;
  final long[] listUntil;

  /** For records that put their subject on a list: the entry, built once. */
  final org.credo.lists.ListEntry[] listEntry;

  /** Per factor, the positions of the records it reads, their weights and amounts. */
  final int[][] factorRecords;

  final double[][] factorWeights;
  final double[][] factorAmounts;

  /** Per factor, its domain names, shared by every score. */
  final List<Set<String>> factorDomains;

  final List<String> problems;

  /** Positions of the records that supersede or retract another record. */
  int[] linkSources;

  /** Per rule: cap points (NaN: none), cap count (MAX_VALUE: none), whether it feeds a list. */
  final double[] ruleCapPoints;

  final int[] ruleCapCount;
  final boolean[] ruleCapped;
  final boolean[] ruleListed;
  final boolean conditionLists;

  private SubjectHistory(Policy policy, SubjectId subject, Record[] records) {
    this.policy = policy;
    this.subject = subject;
    this.records = records;
    this.size = records.length;
    rule = new int[size];
    prep = new byte[size];
    points = new double[size];
    occurred = new long[size];
    learned = new long[size];
    expiresAt = new long[size];
    capBucket = new long[size];
    target = new int[size];
    retraction = new boolean[size];
    listEffective = new long[size];
    listUntil = new long[size];
    listEntry = new org.credo.lists.ListEntry[size];
    int factorCount = policy.factors().size();
    factorRecords = new int[factorCount][];
    factorWeights = new double[factorCount][];
    factorAmounts = new double[factorCount][];
    factorDomains =
        policy.factors().stream()
            .map(f -> Set.copyOf(f.domains().stream().map(d -> d.name()).toList()))
            .toList();
    problems = new ArrayList<>();
    List<Rule> rules = policy.rules();
    ruleCapPoints = new double[rules.size()];
    ruleCapCount = new int[rules.size()];
    ruleCapped = new boolean[rules.size()];
    ruleListed = new boolean[rules.size()];
    for (int r = 0; r < rules.size(); r++) {
      Rule rule = rules.get(r);
      ruleCapped[r] = rule.cap().isPresent();
      ruleCapPoints[r] =
          rule.cap()
              .flatMap(
                  c ->
                      c.points().isPresent()
                          ? Optional.of(c.points().getAsDouble())
                          : Optional.empty())
              .orElse(Double.NaN);
      ruleCapCount[r] =
          rule.cap().map(c -> c.count().orElse(Integer.MAX_VALUE)).orElse(Integer.MAX_VALUE);
      ruleListed[r] = rule.list().isPresent();
    }
    conditionLists = policy.lists().values().stream().anyMatch(l -> l.when().isPresent());
  }

  /**
   * Prepares a subject's records for a policy.
   *
   * @throws IllegalArgumentException if a record is about another subject, two records share a
   *     (source, id), or the policy does not score this kind of subject
   */
  public static SubjectHistory prepare(
      Policy policy, SubjectId subject, Collection<Record> records) {
    requireNonNull(policy, "policy is null");
    requireNonNull(subject, "subject is null");
    if (!policy.subjects().contains(subject.kind())) {
      throw new IllegalArgumentException(
          "policy " + policy.ref() + " does not score " + subject.kind().prefix() + " subjects");
    }
    // Several policies may be active side by side over the same records: a type this policy
    // does not know is not its business, unless it asks to show such records as zero. A
    // correction or retraction of an unknown type is still kept, to withdraw what it names.
    Record[] sorted =
        records.stream()
            .filter(
                r ->
                    policy.scoresUnknownTypesZero()
                        || policy.ruleIndex(r.type()) >= 0
                        || r.supersedes().isPresent()
                        || r.retracts().isPresent())
            .toArray(Record[]::new);
    Arrays.sort(sorted, CANONICAL);
    SubjectHistory h = new SubjectHistory(policy, subject, sorted);
    h.fill();
    return h;
  }

  private void fill() {
    Map<String, Integer> byKey = new HashMap<>(size * 2);
    for (int i = 0; i < size; i++) {
      Record r = records[i];
      if (!r.subject().equals(subject)) {
        throw new IllegalArgumentException(
            "record " + r.key() + " is about " + r.subject() + ", not " + subject);
      }
      if (byKey.put(r.key(), i) != null) {
        throw new IllegalArgumentException("record " + r.key() + " appears twice");
      }
    }
    List<Rule> rules = policy.rules();
    for (int i = 0; i < size; i++) {
      Record r = records[i];
      occurred[i] = Scorer.micros(r.occurred());
      learned[i] = Scorer.micros(r.learned());
      String link = r.supersedes().or(r::retracts).orElse(null);
      Integer t = link == null ? null : byKey.get(r.source().value() + "/" + link);
      target[i] = t == null ? -1 : t;
      retraction[i] = r.retracts().isPresent();
      int ri = policy.ruleIndex(r.type());
      rule[i] = ri;
      if (ri < 0) {
        prep[i] = policy.scoresUnknownTypesZero() ? PREP_UNKNOWN : PREP_LINK_ONLY;
        expiresAt[i] = Long.MAX_VALUE;
        continue;
      }
      Rule rl = rules.get(ri);
      Instant expires = rl.expires().addTo(r.occurred());
      expiresAt[i] = Scorer.micros(expires);
      if (rl.cap().isPresent()) {
        capBucket[i] = rl.cap().get().per().bucket(r.occurred());
      }
      if (retraction[i]) {
        continue;
      }
      points[i] = points(rl, r, i);
      if (rl.list().isPresent()) {
        ListDefinition list = policy.lists().get(rl.list().get());
        listEffective[i] = Scorer.micros(list.notice().addTo(r.occurred()));
        Instant until = expires;
        Optional<TimeSpan> window =
            list.maxDuration()
                .or(
                    () ->
                        list.endsWithSeverity()
                            ? Optional.of(rl.severity().publicationWindow())
                            : Optional.empty());
        if (window.isPresent() && window.get().addTo(r.occurred()).isBefore(until)) {
          until = window.get().addTo(r.occurred());
        }
        listUntil[i] = Scorer.micros(until);
        listEntry[i] =
            new org.credo.lists.ListEntry(
                list.name(),
                list.kind(),
                list.basis(
                    "record "
                        + r.key()
                        + " under rule "
                        + rl.type()
                        + r.evidence().map(e -> " (" + e + ")").orElse("")),
                Optional.of(r.key()),
                r.occurred(),
                list.notice().addTo(r.occurred()),
                Optional.of(until));
      }
    }
    int links = 0;
    for (int i = 0; i < size; i++) {
      if (target[i] >= 0) {
        links++;
      }
    }
    linkSources = new int[links];
    for (int i = 0, j = 0; i < size; i++) {
      if (target[i] >= 0) {
        linkSources[j++] = i;
      }
    }
    prepareFactors();
  }

  private double points(Rule rl, Record r, int i) {
    if (rl.points() instanceof PointsFormula.Constant c) {
      return c.points();
    }
    Expression e = ((PointsFormula.Computed) rl.points()).expression();
    for (Map.Entry<String, AttributeType> a : rl.attributes().entrySet()) {
      Object value = r.attributes().get(a.getKey());
      if (value == null || !a.getValue().accepts(value)) {
        return unscorable(i, "needs attribute " + a.getKey() + " (" + a.getValue().word() + ")");
      }
    }
    try {
      double p = e.evalNumber(Map.of("attributes", r.attributes()));
      if (!Double.isFinite(p)) {
        return unscorable(i, "its points expression gave " + p);
      }
      return rl.addOnly() ? Math.max(0, p) : p;
    } catch (Expression.ExpressionException ex) {
      return unscorable(i, ex.getMessage());
    }
  }

  private double unscorable(int i, String why) {
    prep[i] = PREP_UNSCORABLE;
    problems.add("record " + records[i].key() + " scored zero: " + why);
    return 0;
  }

  private void prepareFactors() {
    List<Factor> factors = policy.factors();
    for (int f = 0; f < factors.size(); f++) {
      Signal signal = factors.get(f).signal();
      Map<org.credo.records.RecordType, Double> weights = signal.types();
      Set<org.credo.records.RecordType> bad =
          signal instanceof Signal.Ratio ratio ? ratio.bad().keySet() : new HashSet<>();
      int[] idx = new int[size];
      double[] w = new double[size];
      double[] amount = new double[size];
      int n = 0;
      for (int i = 0; i < size; i++) {
        Double weight = weights.get(records[i].type());
        if (weight == null || retraction[i]) {
          continue;
        }
        idx[n] = i;
        w[n] = bad.contains(records[i].type()) ? -weight : weight;
        if (signal instanceof Signal.Sum sum) {
          Object v = records[i].attributes().get(sum.attribute());
          amount[n] = v instanceof Double d ? d : 0;
        }
        n++;
      }
      factorRecords[f] = Arrays.copyOf(idx, n);
      factorWeights[f] = Arrays.copyOf(w, n);
      factorAmounts[f] = Arrays.copyOf(amount, n);
    }
  }

  public Policy policy() {
    return policy;
  }

  public SubjectId subject() {
    return subject;
  }

  /** The records in canonical order. */
  public List<Record> records() {
    return List.of(records);
  }

  /** Records that could not be scored, with the reason (they count zero). */
  public List<String> problems() {
    return List.copyOf(problems);
  }
}
