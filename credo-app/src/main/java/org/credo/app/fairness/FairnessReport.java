package org.credo.app.fairness;

import java.util.List;
import java.util.Map;

/**
 * How a policy's scores and decisions fall on groups of subjects (SPEC §4.9): per policy, per
 * dimension (age band, sex, region), per group, and per purpose. Groups are made from the
 * attributes derived at intake and kept apart ({@code org.credo.fairness}); subjects whose
 * identifier says nothing are the group {@code unknown}, counted but never compared.
 *
 * @param subjects subjects scored by at least one policy reported
 * @param withAttributes of those, how many have attributes on file
 */
public record FairnessReport(
    String asOf, long subjects, long withAttributes, int minGroup, List<PolicyView> policies) {

  /** Groups smaller than this are "too small to judge": never a rate ratio or a test. */
  public static final int MIN_GROUP = 30;

  /** One policy. */
  public record PolicyView(String policy, List<DimensionView> dimensions) {}

  /**
   * One dimension of one policy.
   *
   * @param rules the rules whose points lost per subject differ most between the groups that can be
   *     judged (at most five), largest gap first
   */
  public record DimensionView(
      String dimension, List<Group> groups, List<PurposeView> purposes, List<RuleGap> rules) {}

  /**
   * One group's scores.
   *
   * @param meanScore over the group's subjects with a number; null when none, too small, or the
   *     group is {@code unknown} (never compared)
   * @param tooSmall fewer than {@link #MIN_GROUP} subjects
   * @param gradeShares share of the scored in each grade (0–1), in the policy's grade order
   */
  public record Group(
      String group,
      long subjects,
      long scored,
      Double meanScore,
      Map<String, Double> gradeShares,
      boolean tooSmall) {}

  /**
   * One purpose's selection rates ({@code allow} answers over answers given, consent aside).
   *
   * @param mostFavoured the group with the highest rate among those large enough to judge; null
   *     when none is
   */
  public record PurposeView(String purpose, String mostFavoured, List<Rate> groups) {}

  /**
   * One group's selection rate under a purpose.
   *
   * @param rate null when too small to judge
   * @param impactRatio the rate over the most favoured group's; null when too small or not defined
   * @param fourFifths true when the ratio is below 0.8 (the four-fifths rule of thumb)
   * @param pValue a two-sided two-proportion z-test against the most favoured group; null when not
   *     defined
   * @param judgement in words: {@code too small to judge}, {@code most favoured}, {@code below four
   *     fifths (significant)}, …
   */
  public record Rate(
      String group,
      long decided,
      long selected,
      Double rate,
      Double impactRatio,
      boolean fourFifths,
      Double pValue,
      String judgement) {}

  /**
   * A rule's points lost per subject, by group (negative points only; groups large enough to
   * judge).
   */
  public record RuleGap(String rule, Map<String, Double> pointsLostPerSubject, double gap) {}
}
