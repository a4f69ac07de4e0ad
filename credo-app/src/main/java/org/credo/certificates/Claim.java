package org.credo.certificates;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.credo.lists.ListEntry;
import org.credo.lists.ListKind;
import org.credo.policy.Grade;
import org.credo.policy.GradeBand;
import org.credo.policy.Policy;
import org.credo.scoring.Score;

/**
 * A statement a subject may have certified. The language is deliberately tiny, so a certificate
 * says exactly one checkable thing per claim and never the score itself:
 *
 * <ul>
 *   <li>{@code grade >= A}, {@code grade == AA} — under one policy, by its grade bands;
 *   <li>{@code score >= 650} — under one policy;
 *   <li>{@code not on any black list} — under every active policy;
 *   <li>{@code not on list NAME}, {@code on list NAME} — under every active policy.
 * </ul>
 *
 * List claims read entries in effect (after their notice period).
 */
public sealed interface Claim {
  /** The claim's normal text, as the certificate states it. */
  String text();

  /** True when the claim reads one policy's score or grade. */
  boolean needsPolicy();

  /**
   * Whether the claim holds.
   *
   * @param policy the policy of {@code score}, or null when {@link #needsPolicy} is false
   * @param score the subject's score under {@code policy}, or null
   * @param all the subject's scores under every active policy
   */
  boolean holds(Policy policy, Score score, List<Score> all);

  /** Checks the claim against a policy before evaluating it (e.g. that the grade exists). */
  default void checkAgainst(Policy policy) {}

  record GradeAtLeast(Grade grade) implements Claim {
    @Override
    public String text() {
      return "grade >= " + grade.name();
    }

    @Override
    public boolean needsPolicy() {
      return true;
    }

    @Override
    public void checkAgainst(Policy policy) {
      bandMin(policy, grade);
    }

    @Override
    public boolean holds(Policy policy, Score score, List<Score> all) {
      return bandMin(policy, score.grade()) >= bandMin(policy, grade);
    }
  }

  record GradeIs(Grade grade) implements Claim {
    @Override
    public String text() {
      return "grade == " + grade.name();
    }

    @Override
    public boolean needsPolicy() {
      return true;
    }

    @Override
    public void checkAgainst(Policy policy) {
      bandMin(policy, grade);
    }

    @Override
    public boolean holds(Policy policy, Score score, List<Score> all) {
      return score.grade().equals(grade);
    }
  }

  record ScoreAtLeast(double threshold) implements Claim {
    @Override
    public String text() {
      return "score >= " + number(threshold);
    }

    @Override
    public boolean needsPolicy() {
      return true;
    }

    @Override
    public boolean holds(Policy policy, Score score, List<Score> all) {
      return score.value() >= threshold;
    }
  }

  record NotOnAnyBlackList() implements Claim {
    @Override
    public String text() {
      return "not on any black list";
    }

    @Override
    public boolean needsPolicy() {
      return false;
    }

    @Override
    public boolean holds(Policy policy, Score score, List<Score> all) {
      return all.stream()
          .noneMatch(
              s ->
                  s.lists().stream()
                      .anyMatch(e -> e.kind() == ListKind.BLACK && e.inEffectAt(s.asOf())));
    }
  }

  record OnList(String list, boolean on) implements Claim {
    @Override
    public String text() {
      return (on ? "on list " : "not on list ") + list;
    }

    @Override
    public boolean needsPolicy() {
      return false;
    }

    @Override
    public boolean holds(Policy policy, Score score, List<Score> all) {
      boolean listed =
          all.stream()
              .anyMatch(
                  s ->
                      s.lists().stream()
                          .filter(e -> e.inEffectAt(s.asOf()))
                          .map(ListEntry::list)
                          .anyMatch(list::equals));
      return listed == on;
    }
  }

  Pattern GRADE = Pattern.compile("grade\\s*(>=|==|=)\\s*([A-Za-z0-9+_-]{1,32})");
  Pattern SCORE = Pattern.compile("score\\s*>=\\s*(-?[0-9]{1,7}(\\.[0-9]{1,2})?)");
  Pattern LIST = Pattern.compile("(not\\s+)?on\\s+list\\s+([a-z0-9][a-z0-9_.-]{0,63})");
  Pattern NO_BLACK = Pattern.compile("not\\s+on\\s+any\\s+black\\s*list");

  /**
   * Parses one claim.
   *
   * @throws IllegalArgumentException with the forms that are understood
   */
  static Claim parse(String text) {
    String t = text == null ? "" : text.strip();
    if (t.length() > 100) {
      throw new IllegalArgumentException("a claim has at most 100 characters");
    }
    Matcher m;
    if ((m = GRADE.matcher(t)).matches()) {
      Grade g = Grade.of(m.group(2));
      return m.group(1).equals(">=") ? new GradeAtLeast(g) : new GradeIs(g);
    }
    if ((m = SCORE.matcher(t)).matches()) {
      return new ScoreAtLeast(Double.parseDouble(m.group(1)));
    }
    if (NO_BLACK.matcher(t.toLowerCase(Locale.ROOT)).matches()) {
      return new NotOnAnyBlackList();
    }
    if ((m = LIST.matcher(t)).matches()) {
      return new OnList(m.group(2), m.group(1) == null);
    }
    throw new IllegalArgumentException(
        "claim '"
            + t
            + "' is not understood: use 'grade >= G', 'grade == G', 'score >= N',"
            + " 'not on any black list', 'not on list NAME' or 'on list NAME'");
  }

  private static double bandMin(Policy policy, Grade grade) {
    for (GradeBand b : policy.grades()) {
      if (b.grade().equals(grade)) {
        return b.min();
      }
    }
    throw new IllegalArgumentException(
        "grade "
            + grade
            + " is not a grade of policy "
            + policy.ref()
            + " (it has "
            + policy.grades().stream().map(b -> b.grade().name()).toList()
            + ")");
  }

  private static String number(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }
}
