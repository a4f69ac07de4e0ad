package org.credo.scoring;

import java.time.Instant;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.RandomAccess;
import java.util.Set;
import org.credo.lists.ListEntry;
import org.credo.policy.Domain;
import org.credo.policy.Expression;
import org.credo.policy.Factor;
import org.credo.policy.GradeBand;
import org.credo.policy.ListDefinition;
import org.credo.policy.Policy;
import org.credo.policy.Rule;
import org.credo.policy.Scale;
import org.credo.policy.Signal;
import org.credo.records.Record;
import org.credo.subject.SubjectId;

/**
 * Scores a subject under a policy at an instant. Pure and deterministic: the result depends only on
 * the policy, the records and the two instants — never on the order records are given in, nor on
 * the clock.
 *
 * <p>Only records that occurred by {@code asOf} and were learned by {@code knownAt} are considered.
 * A correction replaces the record it supersedes; a retracted record counts nothing; an expired
 * record counts nothing but is shown as expired; caps are applied per rule and period in canonical
 * order (earliest first); the value is clamped to the scale.
 */
public final class Scorer {
  private static final int MAX_REASON_CODES = 4;
  private static final ContributionStatus[] STATUS = ContributionStatus.values();
  private static final byte HIDDEN = -1;
  private static final byte LINK_ONLY = -2;

  private Scorer() {}

  /** Prepares the records and scores them; for repeated scoring keep the {@link SubjectHistory}. */
  public static Score score(
      Policy policy, SubjectId subject, Collection<Record> records, Instant asOf, Instant knownAt) {
    return score(SubjectHistory.prepare(policy, subject, records), asOf, knownAt);
  }

  /** Scores a prepared history at {@code asOf}, as known at {@code knownAt}. */
  public static Score score(SubjectHistory h, Instant asOf, Instant knownAt) {
    final long a = micros(asOf);
    final long k = micros(knownAt);
    final int n = h.size;
    final byte[] status = new byte[n];
    // Points after caps differ from the prepared points only for capped records: keep those few.
    int[] cappedAt = null;
    double[] cappedPoints = null;
    int cappedCount = 0;
    final byte counted = (byte) ContributionStatus.COUNTED.ordinal();
    final byte capped = (byte) ContributionStatus.CAPPED.ordinal();
    final byte expired = (byte) ContributionStatus.EXPIRED.ordinal();
    int visible = 0;
    int unknown = 0;
    int unscorable = 0;
    for (int i = 0; i < n; i++) {
      if (h.occurred[i] > a || h.learned[i] > k) {
        status[i] = HIDDEN;
        continue;
      }
      byte prep = h.prep[i];
      if (prep == SubjectHistory.PREP_LINK_ONLY) {
        status[i] = LINK_ONLY;
        continue;
      }
      visible++;
      if (h.retraction[i]) {
        status[i] = (byte) ContributionStatus.RETRACTION.ordinal();
      } else if (prep == SubjectHistory.PREP_UNKNOWN) {
        status[i] = (byte) ContributionStatus.UNKNOWN_TYPE.ordinal();
        unknown++;
      } else if (prep == SubjectHistory.PREP_UNSCORABLE) {
        status[i] = (byte) ContributionStatus.UNSCORABLE.ordinal();
        unscorable++;
      } else {
        status[i] = counted;
      }
    }
    for (int i : h.linkSources) {
      int t = h.target[i];
      if (status[i] != HIDDEN && status[t] >= 0) {
        status[t] =
            (byte)
                (h.retraction[i] ? ContributionStatus.RETRACTED : ContributionStatus.SUPERSEDED)
                    .ordinal();
      }
    }
    final Policy policy = h.policy;
    final List<Rule> rules = policy.rules();
    final int ruleCount = rules.size();
    final double[] ruleSum = new double[ruleCount];
    long[] capBucket = null;
    double[] capUsed = null;
    int[] capCount = null;
    double total = 0;
    List<ListEntry> entries = null;
    for (int i = 0; i < n; i++) {
      if (status[i] != counted) {
        continue;
      }
      if (h.expiresAt[i] <= a) {
        status[i] = expired;
        continue;
      }
      final int r = h.rule[i];
      double p = h.points[i];
      if (h.ruleCapped[r]) {
        if (capBucket == null) {
          capBucket = new long[ruleCount];
          java.util.Arrays.fill(capBucket, Long.MIN_VALUE);
          capUsed = new double[ruleCount];
          capCount = new int[ruleCount];
        }
        if (capBucket[r] != h.capBucket[i]) {
          capBucket[r] = h.capBucket[i];
          capUsed[r] = 0;
          capCount[r] = 0;
        }
        if (capCount[r] >= h.ruleCapCount[r]) {
          p = 0;
          status[i] = capped;
        } else {
          capCount[r]++;
          double limit = h.ruleCapPoints[r];
          if (limit == limit) { // not NaN: the cap has points
            double room = limit - capUsed[r];
            if (Math.abs(p) > room) {
              p = Math.copySign(Math.max(0, room), p);
              status[i] = capped;
            }
            capUsed[r] += Math.abs(p);
          }
        }
      }
      if (status[i] == capped) {
        if (cappedAt == null) {
          cappedAt = new int[8];
          cappedPoints = new double[8];
        } else if (cappedCount == cappedAt.length) {
          cappedAt = java.util.Arrays.copyOf(cappedAt, cappedCount * 2);
          cappedPoints = java.util.Arrays.copyOf(cappedPoints, cappedCount * 2);
        }
        cappedAt[cappedCount] = i;
        cappedPoints[cappedCount++] = p;
      }
      ruleSum[r] += p;
      total += p;
      if (h.ruleListed[r] && h.listUntil[i] > a) {
        if (entries == null) {
          entries = new ArrayList<>(2);
        }
        entries.add(h.listEntry[i]);
      }
    }

    Scale scale = policy.scale();
    double value;
    List<FactorResult> factorResults = List.of();
    List<ReasonCode> reasons;
    if (scale instanceof Scale.Points points) {
      value = scale.clamp(points.base() + total);
      reasons = ruleReasons(rules, ruleSum, null);
    } else {
      factorResults = factors(h, status, a);
      double sum = 0;
      for (FactorResult f : factorResults) {
        sum += f.points();
      }
      value = scale.clamp(scale.min() + sum);
      reasons = factorReasons(factorResults, null);
    }
    Grade grade = grade(policy, value);
    List<String> notes = List.of();
    if (unknown > 0 || unscorable > 0) {
      notes = new ArrayList<>();
      if (unknown > 0) {
        notes.add(
            unknown
                + (unknown == 1 ? " record is" : " records are")
                + " of a type this policy does not know: kept, scored zero");
      }
      for (int i = 0; i < n; i++) {
        if (status[i] == ContributionStatus.UNSCORABLE.ordinal()) {
          notes.add("record " + h.records[i].key() + " could not be scored and counts zero");
        }
      }
    }
    if (entries == null) {
      entries = List.of();
    }
    if (h.conditionLists) {
      if (notes.isEmpty()) {
        notes = new ArrayList<>();
      }
      entries = conditionLists(h, status, value, grade, entries, factorResults, asOf, notes);
    }
    return new Score(
        h.subject,
        policy.ref(),
        asOf,
        knownAt,
        value,
        scale.min(),
        scale.max(),
        grade,
        entries,
        new Contributions(h, status, cappedAt, cappedPoints, cappedCount, visible),
        factorResults,
        reasons,
        notes);
  }

  /** The grade of the first band (highest minimum first) whose minimum the value reaches. */
  static Grade grade(Policy policy, double value) {
    List<GradeBand> bands = policy.grades();
    for (GradeBand band : bands) {
      if (value >= band.min()) {
        return band.grade();
      }
    }
    return bands.get(bands.size() - 1).grade();
  }

  /** Rules that lowered the score most, optionally only those in {@code domains}. */
  static List<ReasonCode> ruleReasons(List<Rule> rules, double[] ruleSum, Set<Domain> domains) {
    List<ReasonCode> out = new ArrayList<>(MAX_REASON_CODES);
    boolean[] taken = new boolean[ruleSum.length];
    for (int slot = 0; slot < MAX_REASON_CODES; slot++) {
      int worst = -1;
      for (int r = 0; r < ruleSum.length; r++) {
        if (taken[r] || ruleSum[r] >= 0) {
          continue;
        }
        if (domains != null && !domains.contains(rules.get(r).domain())) {
          continue;
        }
        if (worst < 0
            || ruleSum[r] < ruleSum[worst]
            || ruleSum[r] == ruleSum[worst]
                && rules.get(r).type().compareTo(rules.get(worst).type()) < 0) {
          worst = r;
        }
      }
      if (worst < 0) {
        break;
      }
      taken[worst] = true;
      Rule rule = rules.get(worst);
      out.add(new ReasonCode(rule.type().value(), rule.label(), ruleSum[worst]));
    }
    return out;
  }

  /** Factors that left the most points on the table. */
  static List<ReasonCode> factorReasons(List<FactorResult> factors, Set<String> allowed) {
    return factors.stream()
        .filter(f -> f.shortfall() > 1e-9)
        .filter(f -> allowed == null || allowed.contains(f.name()))
        .sorted(
            (x, y) ->
                x.shortfall() != y.shortfall()
                    ? Double.compare(y.shortfall(), x.shortfall())
                    : x.name().compareTo(y.name()))
        .limit(MAX_REASON_CODES)
        .map(f -> new ReasonCode(f.name(), f.label(), -f.shortfall()))
        .toList();
  }

  private static List<FactorResult> factors(SubjectHistory h, byte[] status, long asOf) {
    List<Factor> factors = h.policy.factors();
    Scale scale = h.policy.scale();
    double range = scale.max() - scale.min();
    Instant asOfInstant = instant(asOf);
    List<FactorResult> out = new ArrayList<>(factors.size());
    for (int f = 0; f < factors.size(); f++) {
      Factor factor = factors.get(f);
      Signal signal = factor.signal();
      long from =
          signal.window().map(w -> micros(w.subtractFrom(asOfInstant))).orElse(Long.MIN_VALUE);
      int[] idx = h.factorRecords[f];
      double[] weights = h.factorWeights[f];
      double[] amounts = h.factorAmounts[f];
      double good = 0;
      double bad = 0;
      double sum = 0;
      long latest = Long.MIN_VALUE;
      long earliest = Long.MAX_VALUE;
      int read = 0;
      for (int j = 0; j < idx.length; j++) {
        int i = idx[j];
        if (status[i] < 0 || !STATUS[status[i]].counts() || h.occurred[i] < from) {
          continue;
        }
        read++;
        double w = weights[j];
        if (w >= 0) {
          good += w;
        } else {
          bad -= w;
        }
        sum += Math.abs(w) * amounts[j];
        latest = Math.max(latest, h.occurred[i]);
        earliest = Math.min(earliest, h.occurred[i]);
      }
      double s;
      if (signal instanceof Signal.Count c) {
        s = Math.min(1, good / c.target());
        s = c.fewerIsBetter() ? 1 - s : s;
      } else if (signal instanceof Signal.Sum su) {
        s = Math.min(1, Math.max(0, sum / su.target()));
        s = su.fewerIsBetter() ? 1 - s : s;
      } else if (signal instanceof Signal.Ratio ra) {
        s = good + bad == 0 ? ra.prior() : good / (good + bad);
      } else if (signal instanceof Signal.Recency re) {
        if (read == 0) {
          s = re.fewerIsBetter() ? 1 : 0;
        } else {
          double ageSeconds = (asOf - latest) / 1e6;
          double fresh = Math.pow(2, -ageSeconds / re.halfLife().approximateSeconds());
          s = re.fewerIsBetter() ? 1 - fresh : fresh;
        }
      } else {
        Signal.Span sp = (Signal.Span) signal;
        s = read == 0 ? 0 : Math.min(1, (asOf - earliest) / 1e6 / sp.target().approximateSeconds());
      }
      double points = s * factor.weight() * range;
      double shortfall = (1 - s) * factor.weight() * range;
      out.add(
          new FactorResult(
              factor.name(),
              factor.label(),
              h.factorDomains.get(f),
              factor.weight(),
              s,
              points,
              shortfall,
              read));
    }
    return out;
  }

  private static List<ListEntry> conditionLists(
      SubjectHistory h,
      byte[] status,
      double value,
      Grade grade,
      List<ListEntry> entries,
      List<FactorResult> factors,
      Instant asOf,
      List<String> notes) {
    List<ListEntry> out = entries;
    for (ListDefinition list : h.policy.lists().values()) {
      if (list.when().isEmpty()) {
        continue;
      }
      Expression when = list.when().get();
      List<String> current = new ArrayList<>(out.size());
      for (ListEntry e : out) {
        if (e.inEffectAt(asOf) && !current.contains(e.list())) {
          current.add(e.list());
        }
      }
      boolean member;
      try {
        member = Conditions.test(when, value, grade, current, factors, () -> counts(h, status));
      } catch (Expression.ExpressionException e) {
        notes.add("list " + list.name() + " could not be decided: " + e.getMessage());
        member = false;
      }
      if (member) {
        if (out == entries) {
          out = new ArrayList<>(entries);
        }
        // Membership follows the score at each instant: no notice period, no history.
        out.add(
            new ListEntry(
                list.name(),
                list.kind(),
                list.basis("condition " + when.source()),
                Optional.empty(),
                asOf,
                asOf,
                Optional.empty()));
      }
    }
    return out;
  }

  /** Counts of counting records by type, every rule's type present. */
  static Map<String, Long> counts(SubjectHistory h, byte[] status) {
    Map<String, Long> out = new HashMap<>();
    for (Rule rule : h.policy.rules()) {
      out.put(rule.type().value(), 0L);
    }
    for (int i = 0; i < h.size; i++) {
      if (status[i] >= 0 && STATUS[status[i]].counts()) {
        out.computeIfPresent(h.records[i].type().value(), (t, c) -> c + 1);
      }
    }
    return out;
  }

  static long micros(Instant instant) {
    long seconds = instant.getEpochSecond();
    if (seconds > 9_000_000_000_000L) {
      return Long.MAX_VALUE;
    }
    if (seconds < -9_000_000_000_000L) {
      return Long.MIN_VALUE;
    }
    return seconds * 1_000_000 + instant.getNano() / 1_000;
  }

  static Instant instant(long micros) {
    if (micros == Long.MAX_VALUE) {
      return Instant.MAX;
    }
    return Instant.ofEpochSecond(
        Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000) * 1_000L);
  }

  /** The contributions of the visible records, built on demand from the score's arrays. */
  private static final class Contributions extends AbstractList<Contribution>
      implements RandomAccess {
    private final SubjectHistory h;
    private final byte[] status;
    private final int[] cappedAt;
    private final double[] cappedPoints;
    private final int cappedCount;

    private final int visible;
    private int[] positions;

    Contributions(
        SubjectHistory h,
        byte[] status,
        int[] cappedAt,
        double[] cappedPoints,
        int cappedCount,
        int visible) {
      this.h = h;
      this.status = status;
      this.cappedAt = cappedAt;
      this.cappedPoints = cappedPoints;
      this.cappedCount = cappedCount;
      this.visible = visible;
    }

    /** Built on first use: many scores are read only for their value. */
    private int[] positions() {
      int[] p = positions;
      if (p == null) {
        p = new int[visible];
        int j = 0;
        for (int i = 0; i < status.length; i++) {
          if (status[i] >= 0) {
            p[j++] = i;
          }
        }
        positions = p;
      }
      return p;
    }

    @Override
    public Contribution get(int index) {
      int i = positions()[index];
      Record record = h.records[i];
      int r = h.rule[i];
      Rule rule = r < 0 ? null : h.policy.rules().get(r);
      ContributionStatus s = STATUS[status[i]];
      boolean scored = s == ContributionStatus.COUNTED || s == ContributionStatus.CAPPED;
      return new Contribution(
          record,
          rule == null ? Optional.empty() : Optional.of(rule.domain().name()),
          rule == null ? record.type().value() : rule.label(),
          s,
          scored ? points(i, s) : 0,
          rule == null || h.retraction[i] ? 0 : h.points[i],
          rule == null ? Optional.empty() : Optional.of(instant(h.expiresAt[i])));
    }

    private double points(int i, ContributionStatus s) {
      if (s == ContributionStatus.CAPPED) {
        int j = java.util.Arrays.binarySearch(cappedAt, 0, cappedCount, i);
        return cappedPoints[j];
      }
      return h.points[i];
    }

    @Override
    public int size() {
      return visible;
    }
  }
}
