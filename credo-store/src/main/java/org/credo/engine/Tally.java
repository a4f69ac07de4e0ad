package org.credo.engine;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.credo.policy.Policy;
import org.credo.scoring.Summary;

/** Counts of one part of a rescoring, merged into a {@link Distribution}. */
final class Tally {
  final List<org.credo.policy.Grade> grades;
  final long[] gradeCounts;
  final long[] histogram = new long[Distribution.HISTOGRAM_BINS];
  final double min;
  final double width;
  final Map<String, Long> lists = new LinkedHashMap<>();
  long subjects;
  long unscorable;
  long records;
  double sum;

  Tally(Policy policy) {
    grades = policy.grades().stream().map(b -> b.grade()).toList();
    gradeCounts = new long[grades.size()];
    min = policy.scale().min();
    width = (policy.scale().max() - min) / Distribution.HISTOGRAM_BINS;
  }

  void add(Summary s, long recordCount) {
    for (String l : s.lists()) {
      lists.merge(l, 1L, Long::sum);
    }
    subjects++;
    records += recordCount;
    if (!s.scorable()) {
      // No number, no grade: a separate count, never a bin.
      unscorable++;
      return;
    }
    for (int g = 0; g < grades.size(); g++) {
      if (grades.get(g).equals(s.grade())) {
        gradeCounts[g]++;
        break;
      }
    }
    int bin = (int) ((s.value() - min) / width);
    histogram[Math.max(0, Math.min(Distribution.HISTOGRAM_BINS - 1, bin))]++;
    sum += s.value();
  }

  void merge(Tally o) {
    for (int g = 0; g < gradeCounts.length; g++) {
      gradeCounts[g] += o.gradeCounts[g];
    }
    for (int b = 0; b < Distribution.HISTOGRAM_BINS; b++) {
      histogram[b] += o.histogram[b];
    }
    o.lists.forEach((k, v) -> lists.merge(k, v, Long::sum));
    subjects += o.subjects;
    unscorable += o.unscorable;
    records += o.records;
    sum += o.sum;
  }

  Distribution distribution(Policy policy) {
    Map<String, Long> byGrade = new LinkedHashMap<>();
    for (int g = 0; g < grades.size(); g++) {
      byGrade.put(grades.get(g).name(), gradeCounts[g]);
    }
    return new Distribution(
        policy.ref(),
        subjects,
        unscorable,
        records,
        byGrade,
        subjects == unscorable ? 0 : sum / (subjects - unscorable),
        lists,
        histogram.clone());
  }
}
