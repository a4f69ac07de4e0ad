package org.credo.app.fairness;

import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.credo.decisions.Decider;
import org.credo.engine.PopulationScores;
import org.credo.fairness.ProtectedAttributes;
import org.credo.fairness.ProtectedAttributes.Dimension;
import org.credo.policy.Policy;
import org.credo.policy.Purpose;
import org.credo.scoring.RuleTotal;
import org.credo.scoring.Score;

/**
 * Counts of one part of a fairness report, per policy, dimension and group, merged in any order.
 * Decisions are the policy's own answers ({@link Decider}), consent aside.
 */
final class FairnessTally {
  /** Counts of one group under one policy. */
  static final class Counts {
    long subjects;
    long scored;
    double scoreSum;
    final long[] grades;
    final Map<String, long[]> purposes = new TreeMap<>(); // {decided, selected}
    final Map<String, Double> lost = new TreeMap<>(); // rule -> points lost (positive)

    Counts(int grades) {
      this.grades = new long[grades];
    }

    void merge(Counts o) {
      subjects += o.subjects;
      scored += o.scored;
      scoreSum += o.scoreSum;
      for (int g = 0; g < grades.length; g++) {
        grades[g] += o.grades[g];
      }
      o.purposes.forEach(
          (p, c) -> {
            long[] mine = purposes.computeIfAbsent(p, k -> new long[2]);
            mine[0] += c[0];
            mine[1] += c[1];
          });
      o.lost.forEach((r, v) -> lost.merge(r, v, Double::sum));
    }
  }

  private final List<Policy> policies;
  private final Map<ByteBuffer, ProtectedAttributes> attributes;
  private final LocalDate at;

  /** policy index → dimension → group → counts. */
  final List<Map<Dimension, Map<String, Counts>>> counts = new ArrayList<>();

  long subjects;
  long withAttributes;

  FairnessTally(
      List<Policy> policies, Map<ByteBuffer, ProtectedAttributes> attributes, LocalDate at) {
    this.policies = policies;
    this.attributes = attributes;
    this.at = at;
    for (int i = 0; i < policies.size(); i++) {
      Map<Dimension, Map<String, Counts>> byDimension = new LinkedHashMap<>();
      for (Dimension d : Dimension.values()) {
        byDimension.put(d, new TreeMap<>());
      }
      counts.add(byDimension);
    }
  }

  void add(PopulationScores.Scored s) {
    add(
        s,
        (i, purpose) ->
            Decider.decide(policies.get(i), s.scores().get(i).get(), purpose).outcome());
  }

  /** Folds one subject whose answers the caller already has (a simulation decides them anyway). */
  void add(PopulationScores.Scored s, PopulationFairness.Answers answers) {
    if (s.scores().stream().allMatch(Optional::isEmpty)) {
      return;
    }
    subjects++;
    ProtectedAttributes a = attributes.get(ByteBuffer.wrap(s.subjectKey()));
    if (a != null) {
      withAttributes++;
    }
    for (int i = 0; i < policies.size(); i++) {
      Optional<Score> score = s.scores().get(i);
      if (score.isEmpty()) {
        continue;
      }
      Policy policy = policies.get(i);
      Score sc = score.get();
      // Each purpose's answer once, for every dimension.
      List<Purpose> purposes = List.copyOf(policy.purposes().keySet());
      boolean[] allowed = new boolean[purposes.size()];
      for (int k = 0; k < allowed.length; k++) {
        allowed[k] = answers.outcome(i, purposes.get(k)).equals("allow");
      }
      for (Dimension d : Dimension.values()) {
        String group = a == null ? ProtectedAttributes.UNKNOWN : a.group(d, at);
        Counts c =
            counts.get(i).get(d).computeIfAbsent(group, k -> new Counts(policy.grades().size()));
        c.subjects++;
        if (sc.hasNumber()) {
          c.scored++;
          c.scoreSum += sc.value();
          for (int g = 0; g < policy.grades().size(); g++) {
            if (policy.grades().get(g).grade().equals(sc.grade())) {
              c.grades[g]++;
              break;
            }
          }
        }
        for (int k = 0; k < allowed.length; k++) {
          long[] pc = c.purposes.computeIfAbsent(purposes.get(k).name(), x -> new long[2]);
          pc[0]++;
          if (allowed[k]) {
            pc[1]++;
          }
        }
        for (Map.Entry<String, RuleTotal> t : sc.ruleTotals().entrySet()) {
          if (t.getValue().points() < 0) {
            c.lost.merge(t.getKey(), -t.getValue().points(), Double::sum);
          }
        }
      }
    }
  }

  FairnessTally merge(FairnessTally o) {
    subjects += o.subjects;
    withAttributes += o.withAttributes;
    for (int i = 0; i < policies.size(); i++) {
      for (Dimension d : Dimension.values()) {
        Map<String, Counts> mine = counts.get(i).get(d);
        int grades = policies.get(i).grades().size();
        o.counts
            .get(i)
            .get(d)
            .forEach((g, c) -> mine.computeIfAbsent(g, k -> new Counts(grades)).merge(c));
      }
    }
    return this;
  }

  FairnessReport report(String asOf) {
    List<FairnessReport.PolicyView> views = new ArrayList<>();
    for (int i = 0; i < policies.size(); i++) {
      Policy policy = policies.get(i);
      List<FairnessReport.DimensionView> dims = new ArrayList<>();
      for (Dimension d : Dimension.values()) {
        dims.add(dimension(policy, d, counts.get(i).get(d)));
      }
      views.add(
          new FairnessReport.PolicyView(policy.ref().id() + "@" + policy.ref().version(), dims));
    }
    return new FairnessReport(asOf, subjects, withAttributes, FairnessReport.MIN_GROUP, views);
  }

  private static boolean judged(String group, Counts c) {
    return !group.equals(ProtectedAttributes.UNKNOWN) && c.subjects >= FairnessReport.MIN_GROUP;
  }

  private static FairnessReport.DimensionView dimension(
      Policy policy, Dimension d, Map<String, Counts> groups) {
    List<FairnessReport.Group> out = new ArrayList<>();
    groups.forEach(
        (g, c) -> {
          boolean small = c.subjects < FairnessReport.MIN_GROUP;
          boolean judged = judged(g, c);
          Map<String, Double> shares = new LinkedHashMap<>();
          if (judged && c.scored > 0) {
            for (int k = 0; k < policy.grades().size(); k++) {
              shares.put(policy.grades().get(k).grade().name(), (double) c.grades[k] / c.scored);
            }
          }
          out.add(
              new FairnessReport.Group(
                  g,
                  c.subjects,
                  c.scored,
                  !judged || c.scored == 0 ? null : c.scoreSum / c.scored,
                  shares,
                  small));
        });

    List<FairnessReport.PurposeView> purposes = new ArrayList<>();
    for (Purpose p : new java.util.TreeSet<>(policy.purposes().keySet())) {
      String best = null;
      double bestRate = -1;
      for (var e : groups.entrySet()) {
        long[] pc = e.getValue().purposes.get(p.name());
        if (pc == null || !judged(e.getKey(), e.getValue()) || pc[0] == 0) {
          continue;
        }
        double rate = (double) pc[1] / pc[0];
        if (rate > bestRate) {
          bestRate = rate;
          best = e.getKey();
        }
      }
      long[] top = best == null ? null : groups.get(best).purposes.get(p.name());
      List<FairnessReport.Rate> rates = new ArrayList<>();
      for (var e : groups.entrySet()) {
        long[] pc = e.getValue().purposes.getOrDefault(p.name(), new long[2]);
        if (!judged(e.getKey(), e.getValue()) || pc[0] == 0) {
          rates.add(
              new FairnessReport.Rate(
                  e.getKey(),
                  pc[0],
                  pc[1],
                  null,
                  null,
                  false,
                  null,
                  e.getKey().equals(ProtectedAttributes.UNKNOWN)
                      ? "not compared: attributes not known"
                      : "too small to judge (fewer than " + FairnessReport.MIN_GROUP + ")"));
          continue;
        }
        double rate = (double) pc[1] / pc[0];
        Double ratio = bestRate > 0 ? rate / bestRate : null;
        boolean flag = ratio != null && ratio < 0.8;
        Double pValue = e.getKey().equals(best) ? null : twoProportionP(pc, top);
        String judgement;
        if (e.getKey().equals(best)) {
          judgement = "most favoured";
        } else if (ratio == null) {
          judgement = "no group is selected";
        } else if (flag) {
          judgement =
              "below four fifths"
                  + (pValue != null && pValue < 0.05
                      ? " (significant, p < 0.05)"
                      : " (not significant)");
        } else {
          judgement = "within four fifths";
        }
        rates.add(
            new FairnessReport.Rate(
                e.getKey(), pc[0], pc[1], rate, ratio, flag, pValue, judgement));
      }
      purposes.add(new FairnessReport.PurposeView(p.name(), best, rates));
    }

    // Rules: points lost per subject by judged group, and the largest gaps between groups.
    Map<String, Map<String, Double>> perRule = new TreeMap<>();
    groups.forEach(
        (g, c) -> {
          if (judged(g, c)) {
            c.lost.forEach(
                (rule, lost) ->
                    perRule.computeIfAbsent(rule, k -> new TreeMap<>()).put(g, lost / c.subjects));
          }
        });
    List<FairnessReport.RuleGap> gaps = new ArrayList<>();
    perRule.forEach(
        (rule, byGroup) -> {
          Map<String, Double> full = new TreeMap<>();
          groups.forEach(
              (g, c) -> {
                if (judged(g, c)) {
                  full.put(g, byGroup.getOrDefault(g, 0.0));
                }
              });
          double max = full.values().stream().mapToDouble(x -> x).max().orElse(0);
          double min = full.values().stream().mapToDouble(x -> x).min().orElse(0);
          gaps.add(new FairnessReport.RuleGap(rule, full, max - min));
        });
    gaps.sort(
        Comparator.comparingDouble((FairnessReport.RuleGap r) -> -r.gap())
            .thenComparing(FairnessReport.RuleGap::rule));
    return new FairnessReport.DimensionView(
        d.label(), out, purposes, List.copyOf(gaps.subList(0, Math.min(5, gaps.size()))));
  }

  private static final NormalDistribution NORMAL = new NormalDistribution();

  /** Two-sided p-value of a pooled two-proportion z-test; null when it is not defined. */
  static Double twoProportionP(long[] a, long[] b) {
    if (b == null || a[0] == 0 || b[0] == 0) {
      return null;
    }
    double p1 = (double) a[1] / a[0];
    double p2 = (double) b[1] / b[0];
    double pooled = (double) (a[1] + b[1]) / (a[0] + b[0]);
    double se = Math.sqrt(pooled * (1 - pooled) * (1.0 / a[0] + 1.0 / b[0]));
    if (se == 0) {
      return p1 == p2 ? 1.0 : 0.0;
    }
    double z = Math.abs(p1 - p2) / se;
    return 2 * (1 - NORMAL.cumulativeProbability(z));
  }
}
