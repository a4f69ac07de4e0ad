package org.credo.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.credo.Fixtures.ACME;
import static org.credo.Fixtures.ALICE;
import static org.credo.Fixtures.BOB;
import static org.credo.Fixtures.NOW;
import static org.credo.Fixtures.learnedAt;
import static org.credo.Fixtures.record;
import static org.credo.Fixtures.time;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.credo.Fixtures;
import org.credo.lists.ListEntry;
import org.credo.lists.ListKind;
import org.credo.policy.Policy;
import org.credo.records.Record;
import org.junit.jupiter.api.Test;

class ScorerTest {
  static final Policy RONGCHENG = Fixtures.example("rongcheng-style");
  static final Policy SESAME = Fixtures.example("sesame-style");
  static final Policy BUREAU = Fixtures.example("bureau-style");

  static Score score(Policy p, List<Record> records) {
    return Scorer.score(p, records.isEmpty() ? ALICE : records.get(0).subject(), records, NOW, NOW);
  }

  @Test
  void startsEveryoneAtTheBaseWithTheMatchingGrade() {
    // With nothing on file there is no ledger (the policy's minimum scoring criteria)…
    Score none = score(RONGCHENG, List.of());
    assertThat(none.hasNumber()).isFalse();
    assertThat(none.noScore().get().code()).isEqualTo("insufficient_data");
    // …and one record starts the ledger at the base.
    Score s =
        score(RONGCHENG, List.of(record(ALICE, "m", "utility.bill_paid_on_time", "2026-10-01")));
    assertThat(s.hasNumber()).isTrue();
    assertThat(s.value()).isEqualTo(1001);
    assertThat(s.grade().name()).isEqualTo("A");
    assertThat(s.reasonCodes()).isEmpty();
    assertThat(s.policy().toString()).isEqualTo("rongcheng-style v2");
  }

  @Test
  void addsConstantPointsAndItemizesEachRecord() {
    Score s =
        score(
            RONGCHENG,
            List.of(
                record(ALICE, "t1", "traffic.red_light", "2026-02-01"),
                record(ALICE, "h1", "civic.heroic_act", "2026-03-01")));
    assertThat(s.value()).isEqualTo(1025);
    assertThat(s.contributions())
        .extracting(c -> c.record().id(), Contribution::points, Contribution::status)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("t1", -5.0, ContributionStatus.COUNTED),
            org.assertj.core.groups.Tuple.tuple("h1", 30.0, ContributionStatus.COUNTED));
    assertThat(s.contributions().get(0).domain()).contains("public_order");
    assertThat(s.contributions().get(0).expiresAt()).contains(time("2028-02-01"));
  }

  @Test
  void computesPointsFromAnExpressionOverAttributes() {
    Score s =
        score(
            RONGCHENG,
            List.of(
                record(ALICE, "a1", "bank.arrears", "2026-02-01", Map.of("cycles", 3)),
                record(ALICE, "v1", "volunteer.service_hours", "2026-03-01", Map.of("hours", 25)),
                record(
                    ALICE, "v2", "volunteer.service_hours", "2026-04-01", Map.of("hours", 400))));
    assertThat(s.contributions()).extracting(Contribution::points).containsExactly(-30.0, 2.5, 5.0);
    assertThat(s.value()).isEqualTo(977.5);
  }

  @Test
  void scoresZeroAndSaysSoWhenARecordLacksTheAttributesItsRuleNeeds() {
    Score s = score(RONGCHENG, List.of(record(ALICE, "a1", "bank.arrears", "2026-02-01")));
    assertThat(s.value()).isEqualTo(1000);
    assertThat(s.contributions().get(0).status()).isEqualTo(ContributionStatus.UNSCORABLE);
    assertThat(s.notes()).anyMatch(n -> n.contains("test-source/a1"));
  }

  @Test
  void showsExpiredRecordsButCountsNothingForThem() {
    Score s = score(RONGCHENG, List.of(record(ALICE, "t1", "traffic.red_light", "2024-11-21")));
    assertThat(s.value()).isEqualTo(1000);
    assertThat(s.contributions())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.status()).isEqualTo(ContributionStatus.EXPIRED);
              assertThat(c.points()).isZero();
              assertThat(c.uncappedPoints()).isEqualTo(-5);
            });
  }

  @Test
  void countsACorrectionInsteadOfTheRecordItSupersedes() {
    Record wrong = record(BOB, "a1", "bank.arrears", "2026-01-31", Map.of("cycles", 5));
    Record fixed =
        learnedAt(
            record(BOB, "a1c", "bank.arrears", "2026-01-31", Map.of("cycles", 1)).superseding("a1"),
            "2026-02-10");
    Score s = score(RONGCHENG, List.of(fixed, wrong));
    assertThat(s.value()).isEqualTo(990);
    assertThat(s.contributions())
        .extracting(c -> c.record().id(), Contribution::status)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("a1", ContributionStatus.SUPERSEDED),
            org.assertj.core.groups.Tuple.tuple("a1c", ContributionStatus.COUNTED));
    Score before = Scorer.score(RONGCHENG, BOB, List.of(fixed, wrong), NOW, time("2026-02-01"));
    assertThat(before.value()).as("as known before the correction").isEqualTo(950);
  }

  @Test
  void countsNothingForARetractedRecordNorForTheRetraction() {
    Record ticket = record(ALICE, "t1", "traffic.red_light", "2026-03-03");
    Record withdrawal =
        learnedAt(
            record(ALICE, "t1r", "traffic.red_light", "2026-03-03").retracting("t1"), "2026-03-09");
    Score s = score(RONGCHENG, List.of(ticket, withdrawal));
    assertThat(s.value()).isEqualTo(1000);
    assertThat(s.contributions())
        .extracting(Contribution::status)
        .containsExactly(ContributionStatus.RETRACTED, ContributionStatus.RETRACTION);
  }

  @Test
  void readsOnlyWhatOccurredByAsOfAndWasLearnedByKnownAt() {
    Record early = record(ALICE, "t1", "traffic.red_light", "2026-01-01");
    Record late = learnedAt(record(ALICE, "t2", "traffic.red_light", "2026-02-01"), "2026-06-01");
    List<Record> both = List.of(early, late);
    assertThat(Scorer.score(RONGCHENG, ALICE, both, time("2026-01-15"), NOW).value())
        .isEqualTo(995);
    assertThat(Scorer.score(RONGCHENG, ALICE, both, NOW, time("2026-05-01")).value())
        .isEqualTo(995);
    assertThat(Scorer.score(RONGCHENG, ALICE, both, NOW, NOW).value()).isEqualTo(990);
    assertThat(Scorer.score(RONGCHENG, ALICE, both, time("2026-01-15"), NOW).contributions())
        .hasSize(1);
  }

  @Test
  void capsARulePerCalendarPeriodInOccurrenceOrder() {
    List<Record> records = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      records.add(
          record(
              ALICE,
              "v25-" + i,
              "volunteer.service_hours",
              "2025-0" + (i + 1) + "-10",
              Map.of("hours", 50)));
      records.add(
          record(
              ALICE,
              "v26-" + i,
              "volunteer.service_hours",
              "2026-0" + (i + 1) + "-10",
              Map.of("hours", 50)));
    }
    Score s = score(RONGCHENG, records);
    // 20 points a calendar year: four records of 5 points each in 2025 and in 2026
    assertThat(s.value()).isEqualTo(1040);
    List<Contribution> capped = s.contributions().stream().filter(Contribution::capped).toList();
    assertThat(capped).hasSize(4);
    assertThat(capped)
        .extracting(c -> c.record().id())
        .containsExactly("v25-4", "v25-5", "v26-4", "v26-5");
    assertThat(capped).allSatisfy(c -> assertThat(c.uncappedPoints()).isEqualTo(5));
  }

  @Test
  void capsPartOfARecordWhenOnlyPartFits() {
    List<Record> records = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      records.add(
          record(
              ALICE,
              "v" + i,
              "volunteer.service_hours",
              "2026-0" + (i + 1) + "-10",
              Map.of("hours", 45)));
    }
    Score s = score(RONGCHENG, records);
    assertThat(s.value()).isEqualTo(1020);
    assertThat(s.contributions().get(4).points()).isEqualTo(2);
    assertThat(s.contributions().get(4).capped()).isTrue();
  }

  @Test
  void capsTheNumberOfRecordsCountedPerPeriod() {
    List<Record> records = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      records.add(
          record(
              ALICE,
              "v" + i,
              "volunteer.service_hours",
              "2026-03-" + (10 + i),
              Map.of("hours", 1)));
    }
    Score s = score(RONGCHENG, records);
    assertThat(s.contributions().stream().filter(c -> c.points() > 0)).hasSize(12);
    assertThat(s.value()).isEqualTo(1001.2, within(1e-9));
  }

  @Test
  void clampsTheValueToTheScale() {
    List<Record> records = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      records.add(
          record(
              ALICE,
              "d" + i,
              "utility.equipment_destruction",
              "2026-0" + (i % 9 + 1) + "-0" + (i / 9 + 1)));
    }
    assertThat(score(RONGCHENG, records).value()).isZero();
    assertThat(score(RONGCHENG, records).grade().name()).isEqualTo("D");
  }

  @Test
  void givesTheFourRulesThatLoweredTheScoreMostAsReasonCodes() {
    Score s =
        score(
            RONGCHENG,
            List.of(
                record(ALICE, "1", "traffic.red_light", "2026-01-01"),
                record(ALICE, "2", "utility.fee_delayed", "2026-01-02"),
                record(ALICE, "3", "court.judgment_defaulter", "2026-01-03"),
                record(ALICE, "4", "commerce.fraud", "2026-01-04"),
                record(ALICE, "5", "utility.theft", "2026-01-05"),
                record(ALICE, "6", "civic.heroic_act", "2026-01-06")));
    assertThat(s.reasonCodes())
        .extracting(ReasonCode::code)
        .containsExactly(
            "court.judgment_defaulter", "utility.theft", "commerce.fraud", "utility.fee_delayed");
    assertThat(s.reasonCodes().get(0).points()).isEqualTo(-100);
  }

  @Test
  void putsASubjectOnABlackListAfterItsNoticePeriodUntilItsBasisEnds() {
    Record judgment = record(BOB, "jd", "court.judgment_defaulter", "2026-03-01");
    Score during = Scorer.score(RONGCHENG, BOB, List.of(judgment), time("2026-03-05"), NOW);
    assertThat(during.lists())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.list()).isEqualTo("judgment-defaulters");
              assertThat(e.kind()).isEqualTo(ListKind.BLACK);
              assertThat(e.effectiveFrom()).isEqualTo(time("2026-03-11"));
              assertThat(e.until()).contains(time("2028-03-01"));
              assertThat(e.recordKey()).contains("test-source/jd");
              assertThat(e.basis()).contains("court list of dishonest judgment defaulters");
            });
    assertThat(during.listsInEffect()).isEmpty();
    assertThat(score(RONGCHENG, List.of(judgment)).listsInEffect())
        .containsExactly("judgment-defaulters");
    assertThat(Scorer.score(RONGCHENG, BOB, List.of(judgment), time("2028-03-02"), NOW).lists())
        .isEmpty();
    Record performed =
        record(BOB, "jd-r", "court.judgment_defaulter", "2026-06-01").retracting("jd");
    assertThat(score(RONGCHENG, List.of(judgment, performed)).lists()).isEmpty();
  }

  @Test
  void putsAaaSubjectsOnTheConditionBasedRedList() {
    List<Record> records = new ArrayList<>();
    records.add(record(ALICE, "award", "civic.national_award", "2026-01-01"));
    Score s = score(RONGCHENG, records);
    assertThat(s.grade().name()).isEqualTo("AAA");
    assertThat(s.lists()).extracting(ListEntry::list).containsExactly("honour-roll");
    assertThat(s.lists().get(0).basis()).contains("grade == 'AAA'");
    assertThat(score(RONGCHENG, List.of()).lists()).isEmpty();
  }

  @Test
  void ignoresTypesThePolicyDoesNotKnowUnlessItScoresThemZero() {
    Record loan = record(ALICE, "l1", "loan.repaid_on_time", "2026-01-01");
    assertThat(score(RONGCHENG, List.of(loan)).contributions()).isEmpty();
    Policy zero =
        Fixtures.policy(
            """
            policy: z
            version: 1
            subjects: [person]
            unknown_types: score_zero
            scale: {kind: points, base: 100, min: 0, max: 200}
            rules: [{type: traffic.red_light, domain: public_order, points: -5, expires: P2Y}]
            grades: [{grade: A, min: 0}]
            """);
    Score s = score(zero, List.of(loan));
    assertThat(s.contributions())
        .singleElement()
        .extracting(Contribution::status)
        .isEqualTo(ContributionStatus.UNKNOWN_TYPE);
    assertThat(s.notes())
        .containsExactly("1 record is of a type this policy does not know: kept, scored zero");
  }

  @Test
  void refusesRecordsOfAnotherSubjectAndSubjectsThePolicyDoesNotScore() {
    assertThatThrownBy(
            () ->
                Scorer.score(
                    RONGCHENG,
                    ALICE,
                    List.of(record(BOB, "1", "traffic.red_light", "2026-01-01")),
                    NOW,
                    NOW))
        .hasMessageContaining("is about person:371082198506120049");
    assertThatThrownBy(() -> Scorer.score(SESAME, ACME, List.of(), NOW, NOW))
        .hasMessageContaining("does not score org subjects");
    assertThatThrownBy(
            () ->
                Scorer.score(
                    RONGCHENG,
                    ALICE,
                    List.of(
                        record(ALICE, "1", "traffic.red_light", "2026-01-01"),
                        record(ALICE, "1", "traffic.red_light", "2026-01-02")),
                    NOW,
                    NOW))
        .hasMessageContaining("appears twice");
  }

  @Test
  void scoresFactorsFromTheirSignals() {
    List<Record> records = new ArrayList<>();
    for (int i = 1; i <= 9; i++) {
      records.add(record(ALICE, "ok" + i, "loan.repaid_on_time", "2026-0" + i + "-10"));
    }
    records.add(record(ALICE, "late", "loan.repaid_late", "2026-10-10"));
    records.add(record(ALICE, "id", "identity.verified", "2024-01-01"));
    records.add(
        record(ALICE, "e1", "endorsement.received", "2026-08-01", Map.of("endorser_trust", 2.5)));
    Score s = score(SESAME, records);
    Map<String, Double> signals = new java.util.HashMap<>();
    s.factors().forEach(f -> signals.put(f.name(), f.signal()));
    assertThat(signals.get("credit_history")).isEqualTo(9 / 24.0, within(1e-9)); // count
    assertThat(signals.get("credit_conduct")).isEqualTo(9 / 12.0, within(1e-9)); // late × 3
    assertThat(signals.get("behaviour")).isEqualTo(0.5); // prior: nothing to read
    assertThat(signals.get("fulfilment_capacity")).isZero();
    assertThat(signals.get("identity")).isEqualTo(1 / 3.0, within(1e-9));
    assertThat(signals.get("relationships")).isEqualTo(0.5, within(1e-9));
    double expected =
        350 + 600 * (0.30 * 9 / 24 + 0.20 * 0.75 + 0.15 * 0.5 + 0.15 * 0 + 0.15 / 3 + 0.05 * 0.5);
    assertThat(s.value()).isEqualTo(expected, within(1e-9));
    assertThat(s.grade().name()).isEqualTo("medium");
    assertThat(s.reasonCodes())
        .extracting(ReasonCode::code)
        .containsExactly("credit_history", "fulfilment_capacity", "identity", "behaviour");
  }

  @Test
  void anOptInFactorNobodyTookPartInCountsNeitherWayAndGivesItsWeightToTheOthers() {
    List<Record> base = new ArrayList<>();
    for (int i = 1; i <= 9; i++) {
      base.add(record(ALICE, "ok" + i, "loan.repaid_on_time", "2026-0" + i + "-10"));
    }
    base.add(record(ALICE, "id", "identity.verified", "2024-01-01"));
    Score without = score(SESAME, base);
    FactorResult relationships =
        without.factors().stream().filter(f -> f.name().equals("relationships")).findFirst().get();
    assertThat(relationships.participating()).isFalse();
    assertThat(relationships.points()).isZero();
    assertThat(relationships.shortfall()).isZero();
    assertThat(without.reasonCodes()).extracting(ReasonCode::code).doesNotContain("relationships");
    assertThat(without.notes())
        .anySatisfy(n -> assertThat(n).contains("counts neither way").contains("(5 %)"));
    // The others carry the whole range: weights 0.30/0.95, 0.20/0.95, …
    double rest = 0.30 * 9 / 24 + 0.20 * 1.0 + 0.15 * 0.5 + 0.15 * 0 + 0.15 / 3;
    assertThat(without.value()).isEqualTo(350 + 600 * rest / 0.95, within(1e-9));
    assertThat(without.factors().stream().mapToDouble(FactorResult::appliedWeight).sum())
        .isEqualTo(1.0, within(1e-12));
    // Taking part with a middling endorsement scores the factor like any other: a subject who
    // does as well there as elsewhere gets the same score as one who does not take part.
    List<Record> with = new ArrayList<>(base);
    double same = rest / 0.95 * 5; // the sum signal's target is 5
    with.add(
        record(ALICE, "e1", "endorsement.received", "2026-08-01", Map.of("endorser_trust", same)));
    Score taking = score(SESAME, with);
    assertThat(taking.value()).isEqualTo(without.value(), within(1e-9));
    // Every purpose's view leaves it out as well.
    for (var purpose : SESAME.purposes().values()) {
      PurposeView v = PurposeView.of(SESAME, without, purpose);
      assertThat(v.factorSignals()).doesNotContainKey("relationships");
      assertThat(v.reasonCodes()).extracting(ReasonCode::code).doesNotContain("relationships");
    }
  }

  @Test
  void weighsBadRecordsInARatioAndForgetsThemWhenTheyExpire() {
    List<Record> records = new ArrayList<>();
    records.add(record(ALICE, "paid", "account.paid_as_agreed", "2026-01-28"));
    records.add(record(ALICE, "bk", "court.bankruptcy", "2017-01-01"));
    Score s = score(BUREAU, records);
    FactorResult history = s.factors().get(0);
    assertThat(history.signal()).isEqualTo(1 / 13.0, within(1e-9));
    Score later = Scorer.score(BUREAU, ALICE, records, time("2027-01-02"), NOW);
    assertThat(later.factors().get(0).signal()).isEqualTo(1.0);
  }

  @Test
  void measuresLengthOfHistoryAndFewerIsBetterCounts() {
    List<Record> records = new ArrayList<>();
    records.add(record(ALICE, "open", "account.opened", "2021-11-22"));
    for (int i = 1; i <= 6; i++) {
      records.add(record(ALICE, "hu" + i, "account.high_utilization", "2026-0" + i + "-28"));
    }
    Score s = score(BUREAU, records);
    Map<String, Double> signals = new java.util.HashMap<>();
    s.factors().forEach(f -> signals.put(f.name(), f.signal()));
    assertThat(signals.get("length_of_history")).isEqualTo(0.5, within(0.002));
    assertThat(signals.get("amounts_owed")).isEqualTo(0.5, within(1e-9));
    // the account was opened five years ago, outside new credit's one-year window
    assertThat(signals.get("new_credit")).isEqualTo(1.0);
  }

  @Test
  void treatsOrganisationsLikePersonsWhereThePolicyScoresBoth() {
    Score s =
        Scorer.score(
            RONGCHENG, ACME, List.of(record(ACME, "f", "commerce.fraud", "2026-01-01")), NOW, NOW);
    assertThat(s.value()).isEqualTo(970);
  }

  static final String LEDGER =
      """
      policy: ledger
      version: 1
      subjects: [person]
      scale: {kind: points, base: 100, min: 0, max: 200}
      rules:
        - type: court.judgment_defaulter
          domain: judicial
          points: -50
          expires: P5Y
          list: {name: defaulters, kind: black, until: record-retracted}
        - {type: court.minor_fine, domain: judicial, points: -5, expires: P5Y, severity: minor,
           list: {name: fined, kind: black}}
        - {type: volunteer.shift, domain: civic, points: 2, expires: P2Y, cap: {points: 4, per: P1W}}
      grades: [{grade: A, min: 0}]
      """;

  @Test
  void keepsAnEntryWhoseListSaysUntilRetractedAsLongAsItsRecordCounts() {
    Policy p = Fixtures.policy(LEDGER);
    Record jd = record(BOB, "jd", "court.judgment_defaulter", "2022-01-01");
    Score s = Scorer.score(p, BOB, List.of(jd), NOW, NOW);
    assertThat(s.lists())
        .singleElement()
        .satisfies(e -> assertThat(e.until()).contains(time("2027-01-01")));
  }

  @Test
  void endsAnEntryAfterItsSeverityWindowWhenTheListSaysNothing() {
    Policy p = Fixtures.policy(LEDGER);
    Record fine = record(BOB, "f", "court.minor_fine", "2026-06-01");
    Score s = Scorer.score(p, BOB, List.of(fine), time("2026-07-01"), NOW);
    assertThat(s.lists())
        .singleElement()
        .satisfies(e -> assertThat(e.until()).contains(time("2026-09-01")));
    assertThat(Scorer.score(p, BOB, List.of(fine), time("2026-09-02"), NOW).lists()).isEmpty();
    assertThat(Scorer.score(p, BOB, List.of(fine), time("2026-09-02"), NOW).value()).isEqualTo(95);
  }

  @Test
  void capsPerIsoWeekFromMondayToSunday() {
    Policy p = Fixtures.policy(LEDGER);
    // 2026-11-16 is a Monday; the third shift, late on Saturday the 21st, is in the same week.
    List<Record> shifts =
        List.of(
            record(ALICE, "mon", "volunteer.shift", "2026-11-16"),
            record(ALICE, "thu", "volunteer.shift", "2026-11-19"),
            record(ALICE, "sun", "volunteer.shift", "2026-11-21T23:00:00Z"));
    Score s = Scorer.score(p, ALICE, shifts, NOW, NOW);
    assertThat(s.value()).isEqualTo(104);
    assertThat(s.contributions().get(2).capped()).isTrue();
  }

  @Test
  void letsACorrectionOfATypeThePolicyDoesNotKnowWithdrawWhatItNames() {
    Record ticket = record(ALICE, "t1", "traffic.red_light", "2026-03-03");
    Record withdrawal =
        record(ALICE, "w1", "police.ticket_withdrawn", "2026-03-04").retracting("t1");
    Score s = score(RONGCHENG, List.of(ticket, withdrawal));
    assertThat(s.value()).isEqualTo(1000);
    assertThat(s.contributions())
        .singleElement()
        .extracting(Contribution::status)
        .isEqualTo(ContributionStatus.RETRACTED);
  }

  @Test
  void measuresRecencyWithAHalfLife() {
    Policy p =
        Fixtures.policy(
            """
            policy: fresh
            version: 1
            subjects: [person]
            scale: {kind: factors, min: 0, max: 100}
            rules:
              - {type: payment.made, domain: financial, expires: P5Y}
              - {type: payment.missed, domain: financial, expires: P5Y}
            factors:
              - {name: active, weight: 0.5, domains: [financial],
                 signal: {kind: recency, types: [payment.made], half_life: P30D}}
              - {name: clean, weight: 0.5, domains: [financial],
                 signal: {kind: recency, types: [payment.missed], half_life: P30D, better: fewer}}
            grades: [{grade: ok, min: 0}]
            """);
    Score none = Scorer.score(p, ALICE, List.of(), NOW, NOW);
    assertThat(none.factors()).extracting(FactorResult::signal).containsExactly(0.0, 1.0);
    List<Record> records =
        List.of(
            record(ALICE, "m1", "payment.made", "2026-09-23"),
            record(ALICE, "m2", "payment.made", "2026-10-23"),
            record(ALICE, "x1", "payment.missed", "2026-11-22"));
    Score s = Scorer.score(p, ALICE, records, NOW, NOW);
    // the latest payment is 30 days old: half fresh; the missed one is today: not clean at all
    assertThat(s.factors().get(0).signal()).isEqualTo(0.5, within(1e-9));
    assertThat(s.factors().get(1).signal()).isEqualTo(0.0, within(1e-9));
    assertThat(s.value()).isEqualTo(25, within(1e-9));
  }
}
