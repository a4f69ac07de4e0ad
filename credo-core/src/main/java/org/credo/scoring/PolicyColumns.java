package org.credo.scoring;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.credo.policy.AttributeType;
import org.credo.policy.CapPeriod;
import org.credo.policy.Expression;
import org.credo.policy.Factor;
import org.credo.policy.ListDefinition;
import org.credo.policy.PointsFormula;
import org.credo.policy.Policy;
import org.credo.policy.Rule;
import org.credo.policy.Signal;
import org.credo.records.Record;
import org.credo.records.RecordType;

/**
 * What one policy makes of each record in a {@link RecordColumns}, aligned position by position:
 * its points (evaluated once, so no expression runs while scoring; NaN when the record cannot be
 * scored), how many days after it occurred it expires, and, for factors that sum an attribute, the
 * amount. Everything else a policy needs — the rule of a type, caps, lists, factor weights — is a
 * table per rule or per type, built once. Not thread-safe.
 */
public final class PolicyColumns {
  static final long DAY_MICROS = 86_400_000_000L;

  /**
   * Expiry of a record that never expires under the policy (unknown type, or beyond the calendar).
   */
  static final short NEVER = -1;

  final Policy policy;
  final RecordTypes types;
  final List<Rule> rules;
  final boolean unknownZero;
  final boolean conditionLists;

  // per rule
  final long[] ruleFixedMicros;
  final boolean[] ruleCapped;
  final double[] ruleCapPoints;
  final int[] ruleCapCount;
  final CapPeriod[] ruleCapPer;
  final ListDefinition[] ruleList;

  /** The policy's minimum scoring requirements (empty: none) and, per requirement, its rules. */
  final org.credo.policy.ScoringCriteria.Requirement[] requirements;

  final boolean[][] requirementRules;

  // per factor
  final List<Set<String>> factorDomains;
  final boolean[] factorSums;

  /** A factor's window start (µs) for the last instant asked; immutable, replaced whole. */
  record Window(long asOf, long from) {}

  /**
   * Per factor, the window start last worked out: shared by copies and threads (a stale or racing
   * entry is only recomputed), so rescoring a population does the calendar arithmetic once.
   */
  final Window[] windows;

  // per type ordinal: refreshed when new types are numbered
  int[] ruleOfType = new int[0];
  double[][] factorWeight;

  // per record
  double[] points;
  short[] expiryDays;
  double[][] amounts;

  public PolicyColumns(Policy policy, RecordTypes types, int capacity) {
    this.policy = policy;
    this.types = types;
    this.rules = policy.rules();
    unknownZero = policy.scoresUnknownTypesZero();
    conditionLists = policy.lists().values().stream().anyMatch(l -> l.when().isPresent());
    int r = rules.size();
    ruleFixedMicros = new long[r];
    ruleCapped = new boolean[r];
    ruleCapPoints = new double[r];
    ruleCapCount = new int[r];
    ruleCapPer = new CapPeriod[r];
    ruleList = new ListDefinition[r];
    for (int i = 0; i < r; i++) {
      Rule rule = rules.get(i);
      Duration d = rule.expires().duration();
      ruleFixedMicros[i] = d == null ? 0 : d.getSeconds() * 1_000_000 + d.getNano() / 1_000;
      ruleCapped[i] = rule.cap().isPresent();
      ruleCapPoints[i] = Double.NaN;
      ruleCapCount[i] = Integer.MAX_VALUE;
      if (rule.cap().isPresent()) {
        var cap = rule.cap().get();
        if (cap.points().isPresent()) {
          ruleCapPoints[i] = cap.points().getAsDouble();
        }
        ruleCapCount[i] = cap.count().orElse(Integer.MAX_VALUE);
        ruleCapPer[i] = cap.per();
      }
      ruleList[i] = rule.list().map(name -> policy.lists().get(name)).orElse(null);
    }
    requirements =
        policy
            .scorable()
            .map(c -> c.requires().toArray(org.credo.policy.ScoringCriteria.Requirement[]::new))
            .orElse(new org.credo.policy.ScoringCriteria.Requirement[0]);
    requirementRules = new boolean[requirements.length][r];
    for (int k = 0; k < requirements.length; k++) {
      for (int i = 0; i < r; i++) {
        requirementRules[k][i] = requirements[k].types().contains(rules.get(i).type());
      }
    }
    List<Factor> factors = policy.factors();
    factorDomains =
        factors.stream()
            .map(f -> Set.copyOf(f.domains().stream().map(d -> d.name()).toList()))
            .toList();
    factorSums = new boolean[factors.size()];
    windows = new Window[factors.size()];
    factorWeight = new double[factors.size()][0];
    amounts = new double[factors.size()][];
    for (int f = 0; f < factors.size(); f++) {
      factorSums[f] = factors.get(f).signal() instanceof Signal.Sum;
      if (factorSums[f]) {
        amounts[f] = new double[capacity];
      }
    }
    points = new double[capacity];
    expiryDays = new short[capacity];
    refreshTypes();
  }

  /** A private copy of positions {@code [from, from + size)}, sharing the per-rule tables. */
  public PolicyColumns copyOf(int from, int size) {
    return new PolicyColumns(this, from, size);
  }

  private PolicyColumns(PolicyColumns o, int from, int size) {
    policy = o.policy;
    types = o.types;
    rules = o.rules;
    unknownZero = o.unknownZero;
    conditionLists = o.conditionLists;
    ruleFixedMicros = o.ruleFixedMicros;
    ruleCapped = o.ruleCapped;
    ruleCapPoints = o.ruleCapPoints;
    ruleCapCount = o.ruleCapCount;
    ruleCapPer = o.ruleCapPer;
    ruleList = o.ruleList;
    requirements = o.requirements;
    requirementRules = o.requirementRules;
    factorDomains = o.factorDomains;
    factorSums = o.factorSums;
    windows = o.windows;
    // The per-type tables are never changed in place (refreshTypes replaces them): share them.
    ruleOfType = o.ruleOfType;
    factorWeight = o.factorWeight.clone();
    points = Arrays.copyOfRange(o.points, from, from + size);
    expiryDays = Arrays.copyOfRange(o.expiryDays, from, from + size);
    amounts = new double[o.amounts.length][];
    for (int f = 0; f < amounts.length; f++) {
      if (o.amounts[f] != null) {
        amounts[f] = Arrays.copyOfRange(o.amounts[f], from, from + size);
      }
    }
  }

  public Policy policy() {
    return policy;
  }

  /** Extends the per-type tables to every type numbered so far. */
  public void refreshTypes() {
    int n = types.size();
    int known = ruleOfType.length;
    if (n == known) {
      return;
    }
    ruleOfType = Arrays.copyOf(ruleOfType, n);
    List<Factor> factors = policy.factors();
    for (int f = 0; f < factors.size(); f++) {
      factorWeight[f] = Arrays.copyOf(factorWeight[f], n);
    }
    for (int t = known; t < n; t++) {
      RecordType type = types.type(t);
      ruleOfType[t] = policy.ruleIndex(type);
      for (int f = 0; f < factors.size(); f++) {
        Signal signal = factors.get(f).signal();
        Double weight = signal.types().get(type);
        boolean bad = signal instanceof Signal.Ratio ratio && ratio.bad().containsKey(type);
        factorWeight[f][t] = weight == null ? Double.NaN : bad ? -weight : weight;
      }
    }
  }

  /** Grows every column to hold at least {@code capacity} records. */
  public void grow(int capacity) {
    if (capacity <= points.length) {
      return;
    }
    points = Arrays.copyOf(points, capacity);
    expiryDays = Arrays.copyOf(expiryDays, capacity);
    for (int f = 0; f < amounts.length; f++) {
      if (amounts[f] != null) {
        amounts[f] = Arrays.copyOf(amounts[f], capacity);
      }
    }
  }

  /** Copies {@code length} records from {@code from} to {@code to} (ranges may overlap). */
  public void move(int from, int to, int length) {
    System.arraycopy(points, from, points, to, length);
    System.arraycopy(expiryDays, from, expiryDays, to, length);
    for (double[] a : amounts) {
      if (a != null) {
        System.arraycopy(a, from, a, to, length);
      }
    }
  }

  /**
   * Copies {@code length} positions of {@code src} (the same policy) from {@code from} to {@code
   * to}.
   */
  void copyFrom(PolicyColumns src, int from, int to, int length) {
    if (length == 1) {
      points[to] = src.points[from];
      expiryDays[to] = src.expiryDays[from];
      for (int f = 0; f < amounts.length; f++) {
        if (amounts[f] != null) {
          amounts[f][to] = src.amounts[f][from];
        }
      }
      return;
    }
    System.arraycopy(src.points, from, points, to, length);
    System.arraycopy(src.expiryDays, from, expiryDays, to, length);
    for (int f = 0; f < amounts.length; f++) {
      if (amounts[f] != null) {
        System.arraycopy(src.amounts[f], from, amounts[f], to, length);
      }
    }
  }

  /** Bytes held by the columns (their capacity). */
  public long bytes() {
    long perRecord = 8 + 2;
    for (double[] a : amounts) {
      if (a != null) {
        perRecord += 8;
      }
    }
    return perRecord * points.length;
  }

  /**
   * Works out, once, what the policy makes of {@code record} at position {@code i}: evaluates its
   * points expression, its expiry and the amounts factors read.
   */
  public void set(int i, Record record, long occurredMicros) {
    set(i, record.type(), record.attributes(), record.retracts().isPresent(), occurredMicros);
  }

  /** As {@link #set(int, Record, long)}, from the fields of a stored record. */
  public void set(
      int i,
      RecordType type,
      Map<String, Object> attributes,
      boolean retraction,
      long occurredMicros) {
    int r = policy.ruleIndex(type);
    for (int f = 0; f < amounts.length; f++) {
      if (amounts[f] != null) {
        Signal.Sum sum = (Signal.Sum) policy.factors().get(f).signal();
        Object v = attributes.get(sum.attribute());
        amounts[f][i] =
            !retraction && sum.types().containsKey(type) && v instanceof Double d ? d : 0;
      }
    }
    if (r < 0) {
      points[i] = 0;
      expiryDays[i] = NEVER;
      return;
    }
    Rule rule = rules.get(r);
    expiryDays[i] = expiryDays(rule, occurredMicros);
    points[i] = retraction ? 0 : points(r, rule, attributes);
  }

  /** True when scoring a record of this type reads its attributes (points or an amount). */
  public boolean readsAttributes(RecordType type) {
    int r = policy.ruleIndex(type);
    if (r >= 0 && rules.get(r).points() instanceof PointsFormula.Computed) {
      return true;
    }
    for (int f = 0; f < amounts.length; f++) {
      if (amounts[f] != null && policy.factors().get(f).signal().types().containsKey(type)) {
        return true;
      }
    }
    return false;
  }

  private static short expiryDays(Rule rule, long occurredMicros) {
    if (rule.expires().duration() != null) {
      return 0;
    }
    long day = Math.floorDiv(occurredMicros, DAY_MICROS);
    if (day >= 0 && day < TABLE_DAYS) {
      return EXPIRY_TABLES
          .computeIfAbsent(rule.expires().period(), PolicyColumns::expiryTable)[(int) day];
    }
    return expiryDays(rule.expires().period(), day);
  }

  /** Days from 1970-01-01 to 2199-12-31: the dates a table of expiries covers. */
  private static final int TABLE_DAYS = (int) LocalDate.of(2200, 1, 1).toEpochDay();

  /**
   * Per calendar period, the expiry in days of a record that occurred on each day the table covers:
   * calendar arithmetic once per day, not once per record.
   */
  private static final java.util.concurrent.ConcurrentHashMap<java.time.Period, short[]>
      EXPIRY_TABLES = new java.util.concurrent.ConcurrentHashMap<>();

  private static short[] expiryTable(java.time.Period period) {
    short[] table = new short[TABLE_DAYS];
    for (int day = 0; day < TABLE_DAYS; day++) {
      table[day] = expiryDays(period, day);
    }
    return table;
  }

  private static short expiryDays(java.time.Period period, long epochDay) {
    try {
      LocalDate date = LocalDate.ofEpochDay(epochDay);
      long days = date.plus(period).toEpochDay() - epochDay;
      return days < 0 || days > Short.MAX_VALUE ? NEVER : (short) days;
    } catch (DateTimeException | ArithmeticException e) {
      return NEVER;
    }
  }

  /** The record's points under its rule; NaN when it cannot be scored. */
  private double points(int r, Rule rule, Map<String, Object> attributes) {
    if (rule.points() instanceof PointsFormula.Constant c) {
      return c.points();
    }
    Object[] values = new Object[rule.attributes().size()];
    int k = 0;
    for (Map.Entry<String, AttributeType> a : rule.attributes().entrySet()) {
      Object value = attributes.get(a.getKey());
      if (value == null || !a.getValue().accepts(value)) {
        return Double.NaN;
      }
      values[k++] = value;
    }
    // An expression reads only the attributes its rule declares and has no side effects: many
    // records share their values (hours of service, deductions), so remember results.
    if (remembered == null) {
      remembered = new ArrayList<>(java.util.Collections.nCopies(rules.size(), null));
    }
    Map<List<Object>, Double> memo = remembered.get(r);
    if (memo == null) {
      memo = new HashMap<>();
      remembered.set(r, memo);
    }
    List<Object> key = Arrays.asList(values);
    Double known = memo.get(key);
    if (known != null) {
      return known;
    }
    double p = evaluate(rule, attributes);
    if (memo.size() < 10_000) {
      memo.put(key, p);
    }
    return p;
  }

  /** Per rule, points already worked out for attribute values; built on first use. */
  private List<Map<List<Object>, Double>> remembered;

  private static double evaluate(Rule rule, Map<String, Object> attributes) {
    Expression e = ((PointsFormula.Computed) rule.points()).expression();
    try {
      double p = e.evalNumber(Map.of("attributes", attributes));
      if (!Double.isFinite(p)) {
        return Double.NaN;
      }
      return rule.addOnly() ? Math.max(0, p) : p;
    } catch (Expression.ExpressionException ex) {
      return Double.NaN;
    }
  }

  /** When the record at {@code i} stops counting (µs), for a record whose rule is {@code r}. */
  long expiresAt(RecordColumns c, int i, int r) {
    short days = expiryDays[i];
    if (days == NEVER) {
      return Long.MAX_VALUE;
    }
    return c.occurred[i] + days * DAY_MICROS + ruleFixedMicros[r];
  }
}
