package org.credo.scoring;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.credo.lists.ListEntry;
import org.credo.policy.Grade;
import org.credo.policy.PolicyRef;
import org.credo.subject.SubjectId;

/**
 * The result of a policy over a subject's records at an instant: the value clamped to the scale,
 * the grade, the list entries, and every record's itemized contribution.
 *
 * @param asOf records that occurred after it are not considered
 * @param knownAt records learned after it are not considered
 * @param lists entries current at {@code asOf}, including those still in their notice period
 * @param contributions one per considered record, in occurrence order
 * @param factors for a factor policy, each factor's value; empty for a points policy
 * @param reasonCodes up to four rules or factors that lowered the score most
 * @param notes remarks a subject should see, e.g. records of unknown types scored zero
 * @param noScore why there is no number, when there is none: value, grade, factors and reason codes
 *     are then never disclosed
 * @param ruleTotals by record type, what the records of each rule that has counting records add up
 *     to — enough for a purpose-restricted view without reading any record
 */
public record Score(
    SubjectId subject,
    PolicyRef policy,
    Instant asOf,
    Instant knownAt,
    double value,
    double scaleMin,
    double scaleMax,
    Grade grade,
    List<ListEntry> lists,
    List<Contribution> contributions,
    List<FactorResult> factors,
    List<ReasonCode> reasonCodes,
    List<String> notes,
    Map<String, RuleTotal> ruleTotals,
    Optional<NoScore> noScore) {
  public Score {
    requireNonNull(subject, "subject is null");
    requireNonNull(policy, "policy is null");
    requireNonNull(asOf, "asOf is null");
    requireNonNull(knownAt, "knownAt is null");
    requireNonNull(grade, "grade is null");
    lists = List.copyOf(lists);
    requireNonNull(contributions, "contributions is null");
    factors = List.copyOf(factors);
    reasonCodes = List.copyOf(reasonCodes);
    notes = List.copyOf(notes);
    ruleTotals = Map.copyOf(ruleTotals);
    requireNonNull(noScore, "noScore is null");
  }

  /** Whether there is a number to show: false for an unscorable or a score-free subject. */
  public boolean hasNumber() {
    return noScore.isEmpty();
  }

  /**
   * The same score with no number and no grade to disclose, for {@code why}: value, grade, factors
   * and reason codes are withheld by every front door; lists, contributions and notes remain.
   */
  public Score withoutNumber(NoScore why) {
    List<String> withWhy = new java.util.ArrayList<>(notes);
    withWhy.add(0, why.reason());
    return new Score(
        subject,
        policy,
        asOf,
        knownAt,
        value,
        scaleMin,
        scaleMax,
        grade,
        lists,
        contributions,
        factors,
        List.of(),
        withWhy,
        ruleTotals,
        Optional.of(why));
  }

  /**
   * The same score with other list entries: due process outside the core (an entry held while its
   * basis is disputed, one ended by a granted repair) adjusts the entries the policy made.
   */
  public Score withLists(List<ListEntry> newLists) {
    return new Score(
        subject,
        policy,
        asOf,
        knownAt,
        value,
        scaleMin,
        scaleMax,
        grade,
        newLists,
        contributions,
        factors,
        reasonCodes,
        notes,
        ruleTotals,
        noScore);
  }

  /** Names of the lists whose entries are in effect at {@code asOf}. */
  public List<String> listsInEffect() {
    return lists.stream().filter(e -> e.inEffectAt(asOf)).map(ListEntry::list).distinct().toList();
  }
}
