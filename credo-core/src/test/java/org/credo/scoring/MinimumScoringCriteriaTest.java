package org.credo.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.credo.Fixtures.ALICE;
import static org.credo.Fixtures.NOW;
import static org.credo.Fixtures.record;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.credo.Fixtures;
import org.credo.decisions.Decider;
import org.credo.decisions.Decision;
import org.credo.policy.Policy;
import org.credo.policy.PolicyException;
import org.credo.policy.PolicyLoader;
import org.credo.policy.Purpose;
import org.credo.records.Record;
import org.junit.jupiter.api.Test;

/**
 * Nobody gets a number made of priors: a subject who does not meet a policy's minimum scoring
 * criteria is unscorable — no number, no grade, no reason codes — and a purpose that needs a score
 * refers them, while one that reads only lists or records still decides.
 */
class MinimumScoringCriteriaTest {
  static final Policy BUREAU = Fixtures.example("bureau-style");
  static final Policy SESAME = Fixtures.example("sesame-style");
  static final Policy RONGCHENG = Fixtures.example("rongcheng-style");

  static String daysAgo(int days) {
    return NOW.minus(Duration.ofDays(days)).atOffset(ZoneOffset.UTC).toLocalDate().toString();
  }

  @Test
  void aThinFileIsUnscorableNotAPriorsScore() {
    // The case: one civic award is no credit file.
    Score s =
        Scorer.score(
            BUREAU,
            ALICE,
            List.of(record(ALICE, "c1", "civic.national_award", daysAgo(30))),
            NOW,
            NOW);
    assertThat(s.hasNumber()).isFalse();
    assertThat(s.noScore().get().code()).isEqualTo("insufficient_data");
    assertThat(s.noScore().get().reason())
        .contains("no record of account.opened at least P6M old")
        .contains("at least one credit account open six months or more");
    assertThat(s.reasonCodes()).isEmpty();
    assertThat(s.notes().get(0)).startsWith("unscorable under bureau-style v2");
  }

  @Test
  void anAccountSixMonthsOldWithRecentActivityIsScored() {
    List<Record> file =
        List.of(
            record(ALICE, "a1", "account.opened", daysAgo(400)),
            record(ALICE, "a2", "account.paid_as_agreed", daysAgo(40)));
    Score s = Scorer.score(BUREAU, ALICE, file, NOW, NOW);
    assertThat(s.hasNumber()).isTrue();
    assertThat(s.noScore()).isEmpty();
  }

  @Test
  void eachRequirementIsNamedWhenItFails() {
    Score young =
        Scorer.score(
            BUREAU,
            ALICE,
            List.of(
                record(ALICE, "a1", "account.opened", daysAgo(90)),
                record(ALICE, "a2", "account.paid_as_agreed", daysAgo(10))),
            NOW,
            NOW);
    assertThat(young.noScore().get().reason()).contains("account.opened at least P6M old");
    Score quiet =
        Scorer.score(
            BUREAU,
            ALICE,
            List.of(
                record(ALICE, "a1", "account.opened", daysAgo(900)),
                record(ALICE, "a2", "account.paid_as_agreed", daysAgo(300))),
            NOW,
            NOW);
    assertThat(quiet.noScore().get().reason())
        .contains("no record of account.*, credit.hard_inquiry from the last P6M");
    // A retracted account is not an account.
    Record opened = record(ALICE, "a1", "account.opened", daysAgo(900));
    Score retracted =
        Scorer.score(
            BUREAU,
            ALICE,
            List.of(
                opened,
                record(ALICE, "a2", "account.paid_as_agreed", daysAgo(10)),
                record(ALICE, "a3", "account.opened", daysAgo(5)).retracting("a1")),
            NOW,
            NOW);
    assertThat(retracted.hasNumber()).isFalse();
  }

  @Test
  void aPurposeThatNeedsAScoreRefersOneThatReadsRecordsStillDecides() {
    Score s =
        Scorer.score(
            BUREAU,
            ALICE,
            List.of(record(ALICE, "j1", "court.civil_judgment", daysAgo(30))),
            NOW,
            NOW);
    Decision lending = Decider.decide(BUREAU, s, Purpose.of("lending"));
    assertThat(lending).isInstanceOf(Decision.Referred.class);
    assertThat(lending.reasonCodes().get(0).code()).isEqualTo("insufficient_data");
    assertThat(lending.disclosed().score()).isEmpty();
    assertThat(lending.disclosed().factors()).isEmpty();
    Decision employment = Decider.decide(BUREAU, s, Purpose.of("employment_screening"));
    assertThat(employment).isInstanceOf(Decision.Referred.class);
    assertThat(employment.reasonCodes().get(0).code()).isEqualTo("refer_if");
    // The rongcheng defaulter list still closes air travel to a subject with no ledger score.
    assertThat(Decider.needsScore(RONGCHENG.purpose(Purpose.of("air_travel")).get())).isFalse();
  }

  /**
   * Over many seeded random files: a subject has a number exactly when an independent count of the
   * criteria says so, and the summary a population rescoring uses agrees with the itemized score.
   */
  @Test
  void scorabilityFollowsTheCriteriaOverRandomFiles() {
    String[] types = {
      "account.opened",
      "account.paid_as_agreed",
      "account.late_30",
      "credit.hard_inquiry",
      "court.civil_judgment",
      "civic.national_award",
      "identity.verified",
      "loan.repaid_on_time",
      "utility.bill_paid_on_time"
    };
    int scored = 0;
    for (int seed = 0; seed < 400; seed++) {
      Random rng = new Random(seed);
      List<Record> file = new ArrayList<>();
      int n = rng.nextInt(6);
      for (int k = 0; k < n; k++) {
        file.add(
            record(ALICE, "r" + k, types[rng.nextInt(types.length)], daysAgo(rng.nextInt(1500))));
      }
      for (Policy policy : List.of(BUREAU, SESAME)) {
        Score s = Scorer.score(policy, ALICE, file, NOW, NOW);
        boolean expected = policy == BUREAU ? bureauScorable(file) : sesameScorable(file);
        assertThat(s.hasNumber()).as("seed %d under %s", seed, policy.ref()).isEqualTo(expected);
        Summary summary = Scorer.summary(SubjectHistory.prepare(policy, ALICE, file), NOW, NOW);
        assertThat(summary.scorable()).isEqualTo(expected);
        if (expected) {
          scored++;
          assertThat(summary.value()).isEqualTo(s.value());
        }
      }
    }
    assertThat(scored).isBetween(20, 780);
  }

  static boolean bureauScorable(List<Record> file) {
    Instant sixMonths = NOW.atOffset(ZoneOffset.UTC).minusMonths(6).toInstant();
    boolean old =
        file.stream()
            .anyMatch(
                r -> r.type().value().equals("account.opened") && !r.occurred().isAfter(sixMonths));
    boolean recent =
        file.stream()
            .anyMatch(
                r ->
                    (r.type().value().startsWith("account.")
                            || r.type().value().equals("credit.hard_inquiry"))
                        && r.occurred().isAfter(sixMonths));
    return old && recent;
  }

  static boolean sesameScorable(List<Record> file) {
    Instant year = NOW.atOffset(ZoneOffset.UTC).minusMonths(12).toInstant();
    boolean verified = file.stream().anyMatch(r -> r.type().value().equals("identity.verified"));
    boolean recent =
        file.stream()
            .anyMatch(
                r ->
                    (r.type().value().startsWith("loan.")
                            || r.type().value().startsWith("utility."))
                        && r.occurred().isAfter(year));
    return verified && recent;
  }

  @Test
  void criteriaNamingNoRuleTypeAreRefusedAtLoad() {
    String yaml =
        """
        policy: probe
        version: 1
        title: Probe
        subjects: [person]
        scale: {kind: points, base: 1000, min: 0, max: 2000}
        grades:
          - {grade: A, min: 0}
        rules:
          - {type: traffic.speeding, domain: public_order, points: -5, expires: P1Y}
        scorable:
          rule: "a speeding ticket on file"
          requires:
            - {types: [bank.*], at_least: 0}
        """;
    var problems =
        catchThrowableOfType(PolicyException.class, () -> PolicyLoader.load("p.yaml", yaml))
            .problems();
    assertThat(problems.toString())
        .contains("p.yaml:13:")
        .contains("'bank.*' names none of this policy's rule types")
        .contains("at_least is a whole number from 1");
  }
}
