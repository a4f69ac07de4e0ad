package org.credo.scoring;

import java.time.Instant;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
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
import org.credo.policy.Grade;
import org.credo.policy.GradeBand;
import org.credo.policy.ListDefinition;
import org.credo.policy.Policy;
import org.credo.policy.Rule;
import org.credo.policy.Scale;
import org.credo.policy.Signal;
import org.credo.policy.TimeSpan;
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
 *
 * <p>Why this class is long (~730 lines): scoring is one pass over flat arrays — visibility, links,
 * expiry, caps, points, lists, reason codes — and the pass's state (bucket sums, per-rule totals,
 * sparse capped points) is shared by those steps; split into classes, the 1.5 µs a subject would
 * pay for the indirection on the rescoring path. Its pieces are private methods with one job each.
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

  /** Scores a prepared history at {@code asOf}, as known at {@code knownAt}, itemized. */
  public static Score score(SubjectHistory h, Instant asOf, Instant knownAt) {
    Pass p = new Pass(h, asOf, knownAt, true, null);
    List<String> notes = List.of();
    if (p.unknown > 0 || p.unscorable > 0) {
      notes = new ArrayList<>();
      if (p.unknown > 0) {
        notes.add(
            p.unknown
                + (p.unknown == 1 ? " record is" : " records are")
                + " of a type this policy does not know: kept, scored zero");
      }
      for (int j = 0; j < h.size; j++) {
        if (p.status[j] == UNSCORABLE) {
          notes.add("record " + h.record(j).key() + " could not be scored and counts zero");
        }
      }
    }
    List<ListEntry> entries = new ArrayList<>(p.hitCount + p.conditionHits.size());
    for (int k = 0; k < p.hitCount; k++) {
      entries.add(p.entry(p.hits[k]));
    }
    for (ListDefinition list : p.conditionHits) {
      // Membership follows the score at each instant: no notice period, no history.
      entries.add(
          new ListEntry(
              list.name(),
              list.kind(),
              list.basis("condition " + list.when().get().source()),
              Optional.empty(),
              asOf,
              asOf,
              Optional.empty()));
    }
    if (!p.conditionNotes.isEmpty()) {
      notes = new ArrayList<>(notes);
      notes.addAll(p.conditionNotes);
    }
    for (FactorResult f : p.factorResults) {
      if (!f.participating()) {
        notes = new ArrayList<>(notes);
        notes.add(
            f.label()
                + ": taking part is the subject's choice and nothing of it is on file, so it counts"
                + " neither way; its weight ("
                + Math.round(f.weight() * 100)
                + " %) is spread over the factors that apply");
      }
    }
    Scale scale = h.policy.scale();
    Score score =
        new Score(
            h.subject,
            h.policy.ref(),
            asOf,
            knownAt,
            p.value,
            scale.min(),
            scale.max(),
            p.grade,
            entries,
            new Contributions(h, p.status, p.cappedAt, p.cappedPoints, p.cappedCount, p.visible),
            p.factorResults,
            p.reasons,
            notes,
            p.ruleTotals(),
            Optional.empty());
    return p.unmet == null
        ? score
        : score.withoutNumber(NoScore.insufficientData(h.policy, p.unmet));
  }

  /**
   * The value, grade and lists in effect, without the itemization — what a population-wide
   * rescoring needs. Reads no record: a history over an index is scored from its columns alone.
   */
  public static Summary summary(SubjectHistory h, Instant asOf, Instant knownAt) {
    Pass p = new Pass(h, asOf, knownAt, false, WORK.get());
    if (p.hitCount == 0 && p.conditionHits.isEmpty()) {
      return new Summary(p.value, p.grade, List.of(), p.unmet == null);
    }
    List<String> lists = p.listsInEffect();
    for (ListDefinition list : p.conditionHits) {
      if (!lists.contains(list.name())) {
        lists.add(list.name());
      }
    }
    return new Summary(p.value, p.grade, lists, p.unmet == null);
  }

  private static final byte COUNTED = (byte) ContributionStatus.COUNTED.ordinal();
  private static final byte CAPPED = (byte) ContributionStatus.CAPPED.ordinal();
  private static final byte EXPIRED = (byte) ContributionStatus.EXPIRED.ordinal();
  private static final byte RETRACTED = (byte) ContributionStatus.RETRACTED.ordinal();
  private static final byte SUPERSEDED = (byte) ContributionStatus.SUPERSEDED.ordinal();
  private static final byte RETRACTION = (byte) ContributionStatus.RETRACTION.ordinal();
  private static final byte UNKNOWN_TYPE = (byte) ContributionStatus.UNKNOWN_TYPE.ordinal();
  private static final byte UNSCORABLE = (byte) ContributionStatus.UNSCORABLE.ordinal();

  /**
   * Arrays a summary reuses from one subject to the next on the same thread: rescoring a population
   * then allocates almost nothing per subject. (An itemized score keeps its status array, so it
   * never uses these.)
   */
  private static final class Work {
    byte[] status = new byte[64];
    double[] ruleSum = new double[64];
    long[] capBucket = new long[64];
    double[] capUsed = new double[64];
    int[] capCount = new int[64];

    byte[] status(int n) {
      if (status.length < n) {
        status = new byte[n];
      }
      return status;
    }

    double[] ruleSum(int rules) {
      if (ruleSum.length < rules) {
        ruleSum = new double[rules];
      }
      Arrays.fill(ruleSum, 0, rules, 0);
      return ruleSum;
    }

    long[] capBucket(int rules) {
      if (capBucket.length < rules) {
        capBucket = new long[rules];
        capUsed = new double[rules];
        capCount = new int[rules];
      }
      return capBucket;
    }
  }

  private static final ThreadLocal<Work> WORK = ThreadLocal.withInitial(Work::new);

  /** One pass over a history's columns: what each record became, the value, grade and lists. */
  private static final class Pass {
    final SubjectHistory h;
    final long a;
    final byte[] status;
    // Points after caps differ from the prepared points only for capped records: keep those few.
    int[] cappedAt;
    double[] cappedPoints;
    int cappedCount;
    int visible;
    int unknown;
    int unscorable;

    /** Positions of counting records that put the subject on a list, in canonical order. */
    int[] hits;

    int hitCount;
    double value;
    Grade grade;
    List<FactorResult> factorResults = List.of();
    List<ReasonCode> reasons;
    List<ListDefinition> conditionHits = List.of();
    List<String> conditionNotes = List.of();
    double[] ruleSum;
    int[] ruleCount;

    /** The first of the policy's minimum scoring requirements the subject fails; null if none. */
    org.credo.policy.ScoringCriteria.Requirement unmet;

    /**
     * @param itemized also work out the reason codes (a summary has none)
     */
    Pass(SubjectHistory h, Instant asOf, Instant knownAt, boolean itemized, Work work) {
      this.h = h;
      this.a = micros(asOf);
      final long a = this.a;
      final int n = h.size;
      final int from = h.from;
      final RecordColumns rc = h.rc;
      final PolicyColumns pc = h.pc;
      final long[] occurred = rc.occurred;
      final int[] learned = rc.learned;
      final short[] type = rc.type;
      final byte[] flags = rc.flags;
      final int[] ruleOfType = pc.ruleOfType;
      final double[] points = pc.points;
      final int known = rc.knownRank(micros(knownAt));
      status = work == null ? new byte[n] : work.status(n);
      boolean links = false;
      for (int j = 0; j < n; j++) {
        int i = from + j;
        if (occurred[i] > a || learned[i] > known) {
          status[j] = HIDDEN;
          continue;
        }
        int r = ruleOfType[type[i]];
        byte f = flags[i];
        links |= f != 0;
        if (r < 0) {
          if (pc.unknownZero) {
            visible++;
            if ((f & RecordColumns.RETRACTION) != 0) {
              status[j] = RETRACTION;
            } else {
              status[j] = UNKNOWN_TYPE;
              unknown++;
            }
          } else {
            // Not this policy's business, unless it withdraws a record.
            status[j] = (f & RecordColumns.LINK) != 0 ? LINK_ONLY : HIDDEN;
          }
          continue;
        }
        visible++;
        if ((f & RecordColumns.RETRACTION) != 0) {
          status[j] = RETRACTION;
        } else if (points[i] != points[i]) { // NaN: could not be scored
          status[j] = UNSCORABLE;
          unscorable++;
        } else {
          status[j] = COUNTED;
        }
      }
      if (links) {
        final int[] target = rc.target;
        for (int j = 0; j < n; j++) {
          int t = target[from + j];
          if (t >= 0 && status[j] != HIDDEN && status[t] >= 0) {
            status[t] = (flags[from + j] & RecordColumns.RETRACTION) != 0 ? RETRACTED : SUPERSEDED;
          }
        }
      }
      final Policy policy = h.policy;
      final int ruleCount = pc.rules.size();
      final double[] ruleSum = work == null ? new double[ruleCount] : work.ruleSum(ruleCount);
      final int[] counting = work == null ? new int[ruleCount] : null;
      this.ruleSum = ruleSum;
      this.ruleCount = counting;
      long[] capBucket = null;
      double[] capUsed = null;
      int[] capCount = null;
      double total = 0;
      for (int j = 0; j < n; j++) {
        if (status[j] != COUNTED) {
          continue;
        }
        final int i = from + j;
        final int r = ruleOfType[type[i]];
        if (pc.expiresAt(rc, i, r) <= a) {
          status[j] = EXPIRED;
          continue;
        }
        double p = points[i];
        if (pc.ruleCapped[r]) {
          if (capBucket == null) {
            if (work == null) {
              capBucket = new long[ruleCount];
              capUsed = new double[ruleCount];
              capCount = new int[ruleCount];
            } else {
              capBucket = work.capBucket(ruleCount);
              capUsed = work.capUsed;
              capCount = work.capCount;
            }
            Arrays.fill(capBucket, 0, ruleCount, Long.MIN_VALUE);
          }
          long bucket = pc.ruleCapPer[r].bucket(occurred[i]);
          if (capBucket[r] != bucket) {
            capBucket[r] = bucket;
            capUsed[r] = 0;
            capCount[r] = 0;
          }
          if (capCount[r] >= pc.ruleCapCount[r]) {
            p = 0;
            status[j] = CAPPED;
          } else {
            capCount[r]++;
            double limit = pc.ruleCapPoints[r];
            if (limit == limit) { // not NaN: the cap has points
              double room = limit - capUsed[r];
              if (Math.abs(p) > room) {
                p = Math.copySign(Math.max(0, room), p);
                status[j] = CAPPED;
              }
              capUsed[r] += Math.abs(p);
            }
          }
          if (status[j] == CAPPED) {
            if (cappedAt == null) {
              cappedAt = new int[8];
              cappedPoints = new double[8];
            } else if (cappedCount == cappedAt.length) {
              cappedAt = Arrays.copyOf(cappedAt, cappedCount * 2);
              cappedPoints = Arrays.copyOf(cappedPoints, cappedCount * 2);
            }
            cappedAt[cappedCount] = j;
            cappedPoints[cappedCount++] = p;
          }
        }
        ruleSum[r] += p;
        if (counting != null) {
          counting[r]++;
        }
        total += p;
        if (pc.ruleList[r] != null && listUntil(j, r) > a) {
          if (hits == null) {
            hits = new int[2];
          } else if (hitCount == hits.length) {
            hits = Arrays.copyOf(hits, hitCount * 2);
          }
          hits[hitCount++] = j;
        }
      }
      Scale scale = policy.scale();
      if (scale instanceof Scale.Points pts) {
        value = scale.clamp(pts.base() + total);
        reasons = itemized ? ruleReasons(pc.rules, ruleSum, null) : List.of();
      } else {
        factorResults = factors(h, status, a);
        double sum = 0;
        for (FactorResult f : factorResults) {
          sum += f.points();
        }
        value = scale.clamp(scale.min() + sum);
        reasons = itemized ? factorReasons(factorResults, null) : List.of();
      }
      grade = grade(policy, value);
      if (pc.requirements.length > 0) {
        unmet = unmet(asOf);
      }
      if (pc.conditionLists) {
        conditionLists(asOf);
      }
    }

    /**
     * The first minimum scoring requirement that the live records (counted or capped: not expired,
     * retracted or superseded) do not meet, or null.
     */
    org.credo.policy.ScoringCriteria.Requirement unmet(Instant asOf) {
      final PolicyColumns pc = h.pc;
      final RecordColumns rc = h.rc;
      for (int k = 0; k < pc.requirements.length; k++) {
        var req = pc.requirements[k];
        boolean[] in = pc.requirementRules[k];
        long lo = req.within().map(s -> micros(s.subtractFrom(asOf))).orElse(Long.MIN_VALUE);
        long hi = req.olderThan().map(s -> micros(s.subtractFrom(asOf))).orElse(Long.MAX_VALUE);
        int count = 0;
        for (int j = 0; j < h.size && count < req.atLeast(); j++) {
          if (status[j] != COUNTED && status[j] != CAPPED) {
            continue;
          }
          int i = h.from + j;
          int r = pc.ruleOfType[rc.type[i]];
          long t = rc.occurred[i];
          if (r >= 0 && in[r] && t > lo && t <= hi) {
            count++;
          }
        }
        if (count < req.atLeast()) {
          return req;
        }
      }
      return null;
    }

    /** By record type, the points and number of counting records of each rule that has any. */
    Map<String, RuleTotal> ruleTotals() {
      Map<String, RuleTotal> out = new HashMap<>();
      for (int r = 0; r < ruleCount.length; r++) {
        if (ruleCount[r] > 0) {
          out.put(h.pc.rules.get(r).type().value(), new RuleTotal(ruleSum[r], ruleCount[r]));
        }
      }
      return out;
    }

    /** When the list entry of the record at {@code j} (rule {@code r}) ends, in µs. */
    long listUntil(int j, int r) {
      int i = h.from + j;
      ListDefinition list = h.pc.ruleList[r];
      long until = h.pc.expiresAt(h.rc, i, r);
      Optional<TimeSpan> window =
          list.maxDuration()
              .or(
                  () ->
                      list.endsWithSeverity()
                          ? Optional.of(h.pc.rules.get(r).severity().publicationWindow())
                          : Optional.empty());
      if (window.isPresent()) {
        until = Math.min(until, micros(window.get().addTo(instant(h.rc.occurred[i]))));
      }
      return until;
    }

    /**
     * When a list entry's notice period starts: when the record occurred or, if Credo learned it
     * later, when Credo learned it — the subject can be told no earlier, so a backdated record
     * still gives its full notice before the entry takes effect.
     */
    private long noticeFrom(int i) {
      return Math.max(h.rc.occurred[i], h.rc.learnedMicros(i));
    }

    /** The list entry of the record at {@code j}. */
    ListEntry entry(int j) {
      int i = h.from + j;
      int r = h.pc.ruleOfType[h.rc.type[i]];
      Rule rule = h.pc.rules.get(r);
      ListDefinition list = h.pc.ruleList[r];
      String[] keyAndEvidence = h.keyAndEvidence(j);
      String key = keyAndEvidence[0];
      String evidence = keyAndEvidence[1];
      Instant noticeFrom = instant(noticeFrom(i));
      return new ListEntry(
          list.name(),
          list.kind(),
          list.basis(
              "record "
                  + key
                  + " under rule "
                  + rule.type()
                  + (evidence == null ? "" : " (" + evidence + ")")),
          Optional.of(key),
          noticeFrom,
          list.notice().addTo(noticeFrom),
          Optional.of(instant(listUntil(j, r))));
    }

    /** Names of the record-based lists in effect at {@code asOf} (notice period over). */
    List<String> listsInEffect() {
      if (hitCount == 0) {
        return new ArrayList<>(0);
      }
      List<String> out = new ArrayList<>(hitCount);
      for (int k = 0; k < hitCount; k++) {
        int j = hits[k];
        int i = h.from + j;
        ListDefinition list = h.pc.ruleList[h.pc.ruleOfType[h.rc.type[i]]];
        long effective = micros(list.notice().addTo(instant(noticeFrom(i))));
        if (effective <= a && !out.contains(list.name())) {
          out.add(list.name());
        }
      }
      return out;
    }

    private void conditionLists(Instant asOf) {
      List<String> current = listsInEffect();
      for (ListDefinition list : h.policy.lists().values()) {
        if (list.when().isEmpty()) {
          continue;
        }
        Expression when = list.when().get();
        boolean member;
        try {
          member =
              Conditions.test(when, value, grade, current, factorResults, () -> counts(h, status));
        } catch (Expression.ExpressionException e) {
          if (conditionNotes.isEmpty()) {
            conditionNotes = new ArrayList<>();
          }
          conditionNotes.add("list " + list.name() + " could not be decided: " + e.getMessage());
          member = false;
        }
        if (member) {
          if (conditionHits.isEmpty()) {
            conditionHits = new ArrayList<>();
          }
          conditionHits.add(list);
        }
      }
    }
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

  /**
   * The start of factor {@code f}'s window before {@code asOf} (µs), remembered in the policy's
   * columns for the last instant asked: rescoring a population asks the same instant for every
   * subject, and a calendar period's arithmetic costs more than the rest of a small subject's
   * factor.
   */
  private static long windowStart(PolicyColumns pc, int f, Signal signal, long asOf) {
    PolicyColumns.Window w = pc.windows[f];
    if (w == null || w.asOf() != asOf) {
      w = new PolicyColumns.Window(asOf, micros(signal.window().get().subtractFrom(instant(asOf))));
      pc.windows[f] = w;
    }
    return w.from();
  }

  private static List<FactorResult> factors(SubjectHistory h, byte[] status, long asOf) {
    List<Factor> factors = h.policy.factors();
    Scale scale = h.policy.scale();
    double range = scale.max() - scale.min();
    long[] occurred = h.rc.occurred;
    short[] type = h.rc.type;
    int n = factors.size();
    double[] signals = new double[n];
    int[] reads = new int[n];
    boolean[] participating = new boolean[n];
    double applying = 0; // the weights of the factors that apply
    for (int f = 0; f < n; f++) {
      Factor factor = factors.get(f);
      Signal signal = factor.signal();
      long from = signal.window().isEmpty() ? Long.MIN_VALUE : windowStart(h.pc, f, signal, asOf);
      double[] weights = h.pc.factorWeight[f];
      double[] amounts = h.pc.amounts[f];
      double good = 0;
      double bad = 0;
      double sum = 0;
      long latest = Long.MIN_VALUE;
      long earliest = Long.MAX_VALUE;
      int read = 0;
      int ever = 0; // counting records of its types, in the window or before (opt-in factors)
      for (int j = 0; j < h.size; j++) {
        int i = h.from + j;
        byte s = status[j];
        if (s < 0 || !STATUS[s].counts()) {
          continue;
        }
        double w = weights[type[i]];
        if (w != w) { // NaN: the factor does not read this type
          continue;
        }
        ever++;
        if (occurred[i] < from) {
          continue;
        }
        read++;
        if (w >= 0) {
          good += w;
        } else {
          bad -= w;
        }
        if (amounts != null) {
          sum += Math.abs(w) * amounts[i];
        }
        latest = Math.max(latest, occurred[i]);
        earliest = Math.min(earliest, occurred[i]);
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
      participating[f] = !factor.optIn() || ever > 0;
      signals[f] = participating[f] ? s : 0;
      reads[f] = read;
      applying += participating[f] ? factor.weight() : 0;
    }
    // The weights of the factors that apply add up to 1 again: an opt-in factor the subject does
    // not take part in gives its weight to the others in proportion, so that not taking part is
    // neither a penalty nor a gain against those who do and score the same on the rest.
    List<FactorResult> out = new ArrayList<>(n);
    for (int f = 0; f < n; f++) {
      Factor factor = factors.get(f);
      double applied =
          !participating[f] || applying <= 0
              ? 0
              : applying == 1.0 ? factor.weight() : factor.weight() / applying;
      out.add(
          new FactorResult(
              factor.name(),
              factor.label(),
              h.pc.factorDomains.get(f),
              factor.weight(),
              signals[f],
              signals[f] * applied * range,
              participating[f] ? (1 - signals[f]) * applied * range : 0,
              reads[f],
              applied,
              participating[f]));
    }
    return out;
  }

  /** Counts of counting records by type, every rule's type present. */
  static Map<String, Long> counts(SubjectHistory h, byte[] status) {
    Map<String, Long> out = new HashMap<>();
    for (Rule rule : h.policy.rules()) {
      out.put(rule.type().value(), 0L);
    }
    for (int j = 0; j < h.size; j++) {
      if (status[j] >= 0 && STATUS[status[j]].counts()) {
        int r = h.pc.ruleOfType[h.rc.type[h.from + j]];
        out.computeIfPresent(h.pc.rules.get(r).type().value(), (t, c) -> c + 1);
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
      int j = positions()[index];
      int i = h.from + j;
      Record record = h.record(j);
      int r = h.pc.ruleOfType[h.rc.type[i]];
      Rule rule = r < 0 ? null : h.pc.rules.get(r);
      ContributionStatus s = STATUS[status[j]];
      boolean scored = s == ContributionStatus.COUNTED || s == ContributionStatus.CAPPED;
      double prepared = h.pc.points[i];
      boolean retraction = (h.rc.flags[i] & RecordColumns.RETRACTION) != 0;
      return new Contribution(
          record,
          rule == null ? Optional.empty() : Optional.of(rule.domain().name()),
          rule == null ? record.type().value() : rule.label(),
          s,
          scored ? points(j, s) : 0,
          rule == null || retraction || prepared != prepared ? 0 : prepared,
          rule == null ? Optional.empty() : Optional.of(instant(h.pc.expiresAt(h.rc, i, r))));
    }

    private double points(int j, ContributionStatus s) {
      if (s == ContributionStatus.CAPPED) {
        int k = java.util.Arrays.binarySearch(cappedAt, 0, cappedCount, j);
        return cappedPoints[k];
      }
      return h.pc.points[h.from + j];
    }

    @Override
    public int size() {
      return visible;
    }
  }
}
