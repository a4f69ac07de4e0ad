package org.credo.app.policies;

import java.util.List;
import java.util.Map;

/**
 * What a candidate policy would change if it were active, over every subject held: the what-if
 * report of {@code credo policy simulate}, {@code POST /v1/policies/simulate} and the console's
 * Simulate panel. Subjects appear only by pseudonym (hex).
 *
 * @param policy the candidate, {@code id@version}
 * @param against the version it is compared with, {@code id@version}; null when no version of that
 *     policy is active (then every subject's "before" is {@link #NONE})
 * @param asOf the instant both are scored at (as known then)
 * @param subjects subjects scored by the candidate or the version compared with
 * @param records their records
 * @param gradeOrder every grade either version gives, the candidate's first, best to worst, then
 *     {@link #UNSCORABLE} and {@link #NONE}: the order of the matrix's rows and columns
 * @param grades the grade transition matrix: before → after → subjects, rows and columns in the
 *     candidate's grade order (then the other version's grades); {@link #UNSCORABLE} is its own row
 *     and column (no number: minimum scoring criteria not met, or score-free), {@link #NONE} where
 *     a policy does not score the subject at all
 * @param shift how the scores of subjects scored both before and after moved
 * @param lists per list, subjects who enter it and who leave it (entries in effect or in notice)
 * @param decisions per purpose, how the policy's answer changes (consent aside)
 * @param reasonCodes per reason code, subjects whose score carries it before and after
 * @param rules per record type either version scores, records counted before and after and what
 *     changed in the rule
 * @param fairness per dimension (age band, sex, region), purpose and group large enough to judge,
 *     the selection rate and adverse-impact ratio before and after (SPEC §4.9; docs/fairness.md)
 * @param sample up to {@link #SAMPLE} subjects whose score, grade or lists changed, the first by
 *     pseudonym, itemized by rule
 */
public record SimulationReport(
    String policy,
    String against,
    String asOf,
    long subjects,
    long records,
    List<String> gradeOrder,
    Map<String, Map<String, Long>> grades,
    Shift shift,
    List<ListChange> lists,
    List<PurposeChange> decisions,
    List<ReasonCount> reasonCodes,
    List<RuleCoverage> rules,
    List<FairnessChange> fairness,
    List<SubjectDiff> sample) {

  /** The grade of a subject the policy scores but gives no number. */
  public static final String UNSCORABLE = "unscorable";

  /** The "grade" of a subject a policy does not score at all (or no version to compare with). */
  public static final String NONE = "none";

  /** How many subjects the sample shows at most. */
  public static final int SAMPLE = 10;

  /**
   * Score shifts of the subjects with a number both before and after.
   *
   * @param compared subjects with a number both before and after
   * @param moved of those, whose score changed
   * @param percentiles of the shift (after − before) over the moved subjects: p1, p5, p25, p50,
   *     p75, p95, p99 (nearest rank); empty when none moved
   * @param histogram the shift over the moved subjects in equal-width bins
   */
  public record Shift(
      long compared,
      long moved,
      long up,
      long down,
      double mean,
      Map<String, Double> percentiles,
      List<Bin> histogram) {}

  /** Subjects whose shift is in {@code [from, to)}. */
  public record Bin(double from, double to, long subjects) {}

  /** Subjects entering and leaving one list. */
  public record ListChange(
      String list, String kind, long before, long after, long added, long removed) {}

  /**
   * One purpose's answers before and after.
   *
   * @param flips {@code before→after} (allow, deny, refer, or none where a version does not declare
   *     the purpose) → subjects, only where the answer changed
   */
  public record PurposeChange(
      String purpose, long decided, long flipped, Map<String, Long> flips) {}

  /** Subjects whose score carries a reason code, before and after. */
  public record ReasonCount(String code, long before, long after) {}

  /**
   * One record type's rule in either version.
   *
   * @param before records counted under it before ({@code -1}: the version has no such rule)
   * @param after records counted under it after ({@code -1}: the candidate has no such rule)
   * @param changed what differs between the two rules: points, cap, expiry, list, severity, domain;
   *     "added" or "removed"; empty when the same
   */
  public record RuleCoverage(String type, long before, long after, List<String> changed) {
    /** Whether the candidate has the rule but no record counts under it. */
    public boolean neverFires() {
      return after == 0;
    }
  }

  /**
   * How one group's selection under one purpose changes. Rates and ratios are null where the
   * version does not declare the purpose or no group can be compared.
   *
   * @param fourFifthsBefore the ratio was under 0.8 before
   * @param fourFifthsAfter it is under 0.8 after: a change that newly flags a group is one to look
   *     at before activating
   */
  public record FairnessChange(
      String dimension,
      String purpose,
      String group,
      long subjects,
      Double rateBefore,
      Double rateAfter,
      Double ratioBefore,
      Double ratioAfter,
      boolean fourFifthsBefore,
      boolean fourFifthsAfter) {}

  /** One subject's score before and after, rule by rule where the points differ. */
  public record SubjectDiff(String subject, Side before, Side after, List<RuleDiff> rules) {}

  /** A subject's score under one version: its value (null without a number), grade and lists. */
  public record Side(Double value, String grade, List<String> lists) {}

  /** A rule's points for one subject before and after. */
  public record RuleDiff(String type, double before, double after) {}
}
