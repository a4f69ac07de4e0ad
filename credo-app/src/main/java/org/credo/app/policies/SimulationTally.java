package org.credo.app.policies;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.credo.decisions.Decider;
import org.credo.engine.PopulationScores;
import org.credo.lists.ListEntry;
import org.credo.policy.Policy;
import org.credo.policy.Purpose;
import org.credo.policy.Rule;
import org.credo.scoring.ReasonCode;
import org.credo.scoring.RuleTotal;
import org.credo.scoring.Score;

/**
 * The counts of one part of a simulation, folded subject by subject and merged in any order into a
 * {@link SimulationReport}.
 */
final class SimulationTally {
  private final Optional<Policy> before;
  private final Policy after;
  private final List<Purpose> purposes;
  private final org.credo.app.fairness.PopulationFairness fairness;

  long subjects;
  long records;
  final Map<String, Map<String, Long>> grades = new TreeMap<>();
  double[] shifts = new double[64];
  int moved;
  long compared;
  final Map<String, long[]> lists = new TreeMap<>();
  final Map<String, String> listKinds = new TreeMap<>();
  final Map<String, long[]> decided = new TreeMap<>();
  final Map<String, Map<String, Long>> flips = new TreeMap<>();
  final Map<String, long[]> reasons = new TreeMap<>();
  final Map<String, long[]> rules = new TreeMap<>();
  final TreeMap<String, SimulationReport.SubjectDiff> sample = new TreeMap<>();

  SimulationTally(
      Optional<Policy> before, Policy after, org.credo.app.fairness.PopulationFairness fairness) {
    this.before = before;
    this.after = after;
    this.fairness = fairness;
    Set<Purpose> all = new TreeSet<>(after.purposes().keySet());
    before.ifPresent(b -> all.addAll(b.purposes().keySet()));
    this.purposes = List.copyOf(all);
  }

  /** Folds one subject: its score under the version compared with (if any), then the candidate. */
  void add(PopulationScores.Scored s) {
    Optional<Score> was = before.isPresent() ? s.scores().get(0) : Optional.empty();
    Optional<Score> now = s.scores().get(s.scores().size() - 1);
    if (was.isEmpty() && now.isEmpty()) {
      return;
    }
    subjects++;
    records += s.records();
    grades.computeIfAbsent(grade(was), g -> new TreeMap<>()).merge(grade(now), 1L, Long::sum);

    boolean numberChanged = false;
    if (was.isPresent() && now.isPresent() && was.get().hasNumber() && now.get().hasNumber()) {
      compared++;
      double shift = now.get().value() - was.get().value();
      if (shift != 0) {
        if (moved == shifts.length) {
          shifts = Arrays.copyOf(shifts, moved * 2);
        }
        shifts[moved++] = shift;
        numberChanged = true;
      }
    }

    Set<String> listsBefore = listNames(was);
    Set<String> listsAfter = listNames(now);
    for (String l : listsBefore) {
      long[] c = lists.computeIfAbsent(l, k -> new long[4]);
      c[0]++;
      if (!listsAfter.contains(l)) {
        c[3]++;
      }
    }
    for (String l : listsAfter) {
      long[] c = lists.computeIfAbsent(l, k -> new long[4]);
      c[1]++;
      if (!listsBefore.contains(l)) {
        c[2]++;
      }
    }
    was.ifPresent(sc -> sc.lists().forEach(e -> listKinds.put(e.list(), kind(e))));
    now.ifPresent(sc -> sc.lists().forEach(e -> listKinds.put(e.list(), kind(e))));

    // Each purpose decided once, for the flips here and for the fairness counts.
    Map<Purpose, String> answersBefore = new java.util.HashMap<>();
    Map<Purpose, String> answersAfter = new java.util.HashMap<>();
    for (Purpose p : purposes) {
      answersBefore.put(p, outcome(before, was, p));
      answersAfter.put(p, outcome(Optional.of(after), now, p));
    }
    int last = s.scores().size() - 1;
    fairness.add(s, (i, p) -> (i == last ? answersAfter : answersBefore).get(p));
    for (Purpose p : purposes) {
      String o = answersBefore.get(p);
      String n = answersAfter.get(p);
      if (o.equals(SimulationReport.NONE) && n.equals(SimulationReport.NONE)) {
        continue;
      }
      long[] d = decided.computeIfAbsent(p.name(), k -> new long[2]);
      d[0]++;
      if (!o.equals(n)) {
        d[1]++;
        flips.computeIfAbsent(p.name(), k -> new TreeMap<>()).merge(o + "→" + n, 1L, Long::sum);
      }
    }

    was.filter(Score::hasNumber)
        .ifPresent(sc -> sc.reasonCodes().forEach(r -> count(reasons, r, 0)));
    now.filter(Score::hasNumber)
        .ifPresent(sc -> sc.reasonCodes().forEach(r -> count(reasons, r, 1)));
    was.ifPresent(
        sc ->
            sc.ruleTotals()
                .forEach((t, v) -> rules.computeIfAbsent(t, k -> new long[2])[0] += v.records()));
    now.ifPresent(
        sc ->
            sc.ruleTotals()
                .forEach((t, v) -> rules.computeIfAbsent(t, k -> new long[2])[1] += v.records()));

    boolean changed =
        numberChanged || !grade(was).equals(grade(now)) || !listsBefore.equals(listsAfter);
    if (changed
        && (sample.size() < SimulationReport.SAMPLE
            || s.pseudonym().compareTo(sample.lastKey()) < 0)) {
      sample.put(s.pseudonym(), diff(s.pseudonym(), was, now));
      if (sample.size() > SimulationReport.SAMPLE) {
        sample.pollLastEntry();
      }
    }
  }

  SimulationTally merge(SimulationTally o) {
    fairness.merge(o.fairness);
    subjects += o.subjects;
    records += o.records;
    o.grades.forEach(
        (b, row) ->
            row.forEach(
                (a, n) -> grades.computeIfAbsent(b, k -> new TreeMap<>()).merge(a, n, Long::sum)));
    if (moved + o.moved > shifts.length) {
      shifts = Arrays.copyOf(shifts, Math.max(shifts.length * 2, moved + o.moved));
    }
    System.arraycopy(o.shifts, 0, shifts, moved, o.moved);
    moved += o.moved;
    compared += o.compared;
    o.lists.forEach((l, c) -> add(lists.computeIfAbsent(l, k -> new long[4]), c));
    listKinds.putAll(o.listKinds);
    o.decided.forEach((p, c) -> add(decided.computeIfAbsent(p, k -> new long[2]), c));
    o.flips.forEach(
        (p, m) ->
            m.forEach(
                (f, n) -> flips.computeIfAbsent(p, k -> new TreeMap<>()).merge(f, n, Long::sum)));
    o.reasons.forEach((r, c) -> add(reasons.computeIfAbsent(r, k -> new long[2]), c));
    o.rules.forEach((r, c) -> add(rules.computeIfAbsent(r, k -> new long[2]), c));
    sample.putAll(o.sample);
    while (sample.size() > SimulationReport.SAMPLE) {
      sample.pollLastEntry();
    }
    return this;
  }

  SimulationReport report(String asOf) {
    double[] sorted = Arrays.copyOf(shifts, moved);
    Arrays.sort(sorted);
    long up = 0;
    double sum = 0;
    for (double d : sorted) {
      sum += d;
      if (d > 0) {
        up++;
      }
    }
    Map<String, Double> percentiles = new LinkedHashMap<>();
    if (moved > 0) {
      for (int p : new int[] {1, 5, 25, 50, 75, 95, 99}) {
        int rank = (int) Math.ceil(p / 100.0 * moved);
        percentiles.put("p" + p, sorted[Math.max(0, rank - 1)]);
      }
    }
    var shift =
        new SimulationReport.Shift(
            compared,
            moved,
            up,
            moved - up,
            moved == 0 ? 0 : sum / moved,
            percentiles,
            histogram(sorted));

    List<SimulationReport.ListChange> listChanges = new ArrayList<>();
    lists.forEach(
        (l, c) ->
            listChanges.add(
                new SimulationReport.ListChange(
                    l, listKinds.getOrDefault(l, "?"), c[0], c[1], c[2], c[3])));
    List<SimulationReport.PurposeChange> purposeChanges = new ArrayList<>();
    decided.forEach(
        (p, c) ->
            purposeChanges.add(
                new SimulationReport.PurposeChange(
                    p, c[0], c[1], flips.getOrDefault(p, Map.of()))));
    List<SimulationReport.ReasonCount> reasonCounts = new ArrayList<>();
    reasons.forEach((r, c) -> reasonCounts.add(new SimulationReport.ReasonCount(r, c[0], c[1])));
    return new SimulationReport(
        name(after),
        before.map(SimulationTally::name).orElse(null),
        asOf,
        subjects,
        records,
        gradeOrder(),
        ordered(),
        shift,
        listChanges,
        purposeChanges,
        reasonCounts,
        coverage(),
        fairnessChanges(fairness.report(asOf)),
        List.copyOf(sample.values()));
  }

  private List<String> gradeOrder() {
    List<String> order = new ArrayList<>();
    after.grades().forEach(b -> order.add(b.grade().name()));
    before.ifPresent(
        b ->
            b.grades().stream()
                .map(g -> g.grade().name())
                .filter(g -> !order.contains(g))
                .forEach(order::add));
    order.add(SimulationReport.UNSCORABLE);
    order.add(SimulationReport.NONE);
    return order;
  }

  /** The grade matrix with rows and columns in {@link #gradeOrder}. */
  private Map<String, Map<String, Long>> ordered() {
    List<String> order = gradeOrder();
    Map<String, Map<String, Long>> out = new LinkedHashMap<>();
    for (String b : order) {
      Map<String, Long> row = grades.get(b);
      if (row == null) {
        continue;
      }
      Map<String, Long> cells = new LinkedHashMap<>();
      for (String a : order) {
        Long n = row.get(a);
        if (n != null) {
          cells.put(a, n);
        }
      }
      out.put(b, cells);
    }
    return out;
  }

  /** Every record type a version has a rule for (or counted records under), and what changed. */
  private List<SimulationReport.RuleCoverage> coverage() {
    Map<String, Rule> old = new TreeMap<>();
    before.ifPresent(b -> b.rules().forEach(r -> old.put(r.type().value(), r)));
    Map<String, Rule> neu = new TreeMap<>();
    after.rules().forEach(r -> neu.put(r.type().value(), r));
    Set<String> types = new TreeSet<>(old.keySet());
    types.addAll(neu.keySet());
    types.addAll(rules.keySet());
    List<SimulationReport.RuleCoverage> out = new ArrayList<>();
    for (String t : types) {
      long[] c = rules.getOrDefault(t, new long[2]);
      Rule o = old.get(t);
      Rule n = neu.get(t);
      List<String> changed = new ArrayList<>();
      if (o == null && n != null && before.isPresent()) {
        changed.add("added");
      } else if (o != null && n == null) {
        changed.add("removed");
      } else if (o != null) {
        if (!points(o).equals(points(n))) {
          changed.add("points");
        }
        if (!cap(o).equals(cap(n))) {
          changed.add("cap");
        }
        if (!o.expires().equals(n.expires())) {
          changed.add("expiry");
        }
        if (!o.list().equals(n.list())) {
          changed.add("list");
        }
        if (!o.severity().equals(n.severity())) {
          changed.add("severity");
        }
        if (!o.domain().equals(n.domain())) {
          changed.add("domain");
        }
      }
      long was = o == null && c[0] == 0 ? -1 : c[0];
      long now = n == null && c[1] == 0 ? -1 : c[1];
      out.add(new SimulationReport.RuleCoverage(t, before.isPresent() ? was : -1, now, changed));
    }
    return out;
  }

  /** The candidate's purposes, group by group, with the same groups' figures before. */
  private List<SimulationReport.FairnessChange> fairnessChanges(
      org.credo.app.fairness.FairnessReport report) {
    var views = report.policies();
    var now = views.get(views.size() - 1);
    var was =
        before.isPresent()
            ? java.util.Optional.of(views.get(0))
            : java.util.Optional.<org.credo.app.fairness.FairnessReport.PolicyView>empty();
    List<SimulationReport.FairnessChange> out = new ArrayList<>();
    for (int d = 0; d < now.dimensions().size(); d++) {
      var dim = now.dimensions().get(d);
      int index = d;
      var old = was.map(v -> v.dimensions().get(index));
      for (var purpose : dim.purposes()) {
        var oldPurpose =
            old.flatMap(
                o ->
                    o.purposes().stream()
                        .filter(p -> p.purpose().equals(purpose.purpose()))
                        .findFirst());
        for (var rate : purpose.groups()) {
          if (rate.rate() == null) {
            continue;
          }
          var oldRate =
              oldPurpose.flatMap(
                  p -> p.groups().stream().filter(g -> g.group().equals(rate.group())).findFirst());
          out.add(
              new SimulationReport.FairnessChange(
                  dim.dimension(),
                  purpose.purpose(),
                  rate.group(),
                  rate.decided(),
                  oldRate.map(r -> r.rate()).orElse(null),
                  rate.rate(),
                  oldRate.map(r -> r.impactRatio()).orElse(null),
                  rate.impactRatio(),
                  oldRate.map(r -> r.fourFifths()).orElse(false),
                  rate.fourFifths()));
        }
      }
    }
    return out;
  }

  /** A rule's points as written: a constant, or its expression's text. */
  private static String points(Rule r) {
    if (r.points() instanceof org.credo.policy.PointsFormula.Constant c) {
      return Double.toString(c.points());
    }
    return ((org.credo.policy.PointsFormula.Computed) r.points()).expression().source();
  }

  private static String cap(Rule r) {
    return r.cap().map(c -> c.points() + "/" + c.count() + "/" + c.per().span()).orElse("");
  }

  private static List<SimulationReport.Bin> histogram(double[] sorted) {
    if (sorted.length == 0) {
      return List.of();
    }
    int bins = 20;
    double lo = Math.floor(sorted[0]);
    double hi = Math.ceil(sorted[sorted.length - 1]);
    if (hi <= lo) {
      hi = lo + 1;
    }
    double width = (hi - lo) / bins;
    long[] counts = new long[bins];
    for (double d : sorted) {
      counts[Math.min(bins - 1, (int) ((d - lo) / width))]++;
    }
    List<SimulationReport.Bin> out = new ArrayList<>(bins);
    for (int b = 0; b < bins; b++) {
      out.add(new SimulationReport.Bin(lo + b * width, lo + (b + 1) * width, counts[b]));
    }
    return out;
  }

  private static SimulationReport.SubjectDiff diff(
      String who, Optional<Score> was, Optional<Score> now) {
    Map<String, RuleTotal> o = was.map(Score::ruleTotals).orElse(Map.of());
    Map<String, RuleTotal> n = now.map(Score::ruleTotals).orElse(Map.of());
    Set<String> types = new TreeSet<>(o.keySet());
    types.addAll(n.keySet());
    List<SimulationReport.RuleDiff> rules = new ArrayList<>();
    for (String t : types) {
      double a = o.containsKey(t) ? o.get(t).points() : 0;
      double b = n.containsKey(t) ? n.get(t).points() : 0;
      if (a != b) {
        rules.add(new SimulationReport.RuleDiff(t, a, b));
      }
    }
    return new SimulationReport.SubjectDiff(who, side(was), side(now), rules);
  }

  private static SimulationReport.Side side(Optional<Score> s) {
    return new SimulationReport.Side(
        s.filter(Score::hasNumber).map(Score::value).orElse(null),
        grade(s),
        List.copyOf(listNames(s)));
  }

  private static String grade(Optional<Score> s) {
    if (s.isEmpty()) {
      return SimulationReport.NONE;
    }
    return s.get().hasNumber() ? s.get().grade().name() : SimulationReport.UNSCORABLE;
  }

  private static Set<String> listNames(Optional<Score> s) {
    Set<String> out = new TreeSet<>();
    s.ifPresent(sc -> sc.lists().forEach(e -> out.add(e.list())));
    return out;
  }

  /** {@code id@version}, as {@code --against} takes it. */
  static String name(Policy p) {
    return p.ref().id() + "@" + p.ref().version();
  }

  private static String kind(ListEntry e) {
    return e.kind().name().toLowerCase(java.util.Locale.ROOT);
  }

  private static String outcome(Optional<Policy> policy, Optional<Score> score, Purpose p) {
    if (policy.isEmpty() || score.isEmpty() || !policy.get().purposes().containsKey(p)) {
      return SimulationReport.NONE;
    }
    return Decider.decide(policy.get(), score.get(), p).outcome();
  }

  private static void count(Map<String, long[]> m, ReasonCode r, int side) {
    m.computeIfAbsent(r.code(), k -> new long[2])[side]++;
  }

  private static void add(long[] into, long[] from) {
    for (int i = 0; i < into.length; i++) {
      into[i] += from[i];
    }
  }
}
