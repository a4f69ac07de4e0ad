package org.credo.decisions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.credo.Fixtures.ALICE;
import static org.credo.Fixtures.BOB;
import static org.credo.Fixtures.NOW;
import static org.credo.Fixtures.record;
import static org.credo.Fixtures.time;

import java.util.ArrayList;
import java.util.List;
import org.credo.Fixtures;
import org.credo.policy.Policy;
import org.credo.policy.Purpose;
import org.credo.records.Record;
import org.credo.scoring.ReasonCode;
import org.credo.scoring.Score;
import org.credo.scoring.Scorer;
import org.junit.jupiter.api.Test;

class DeciderTest {
  static final Policy RONGCHENG = Fixtures.example("rongcheng-style");
  static final Policy SESAME = Fixtures.example("sesame-style");
  static final Policy BUREAU = Fixtures.example("bureau-style");
  static final Record JUDGMENT = record(BOB, "jd", "court.judgment_defaulter", "2026-03-01");

  static Decision decide(Policy policy, List<Record> records, String purpose) {
    Score score =
        Scorer.score(
            policy, records.isEmpty() ? ALICE : records.get(0).subject(), records, NOW, NOW);
    return Decider.decide(policy, score, Purpose.of(purpose));
  }

  @Test
  void deniesAirTravelWhileOnTheDefaulterList() {
    Decision d = decide(RONGCHENG, List.of(JUDGMENT), "air_travel");
    assertThat(d).isInstanceOf(Decision.Denied.class);
    assertThat(d.outcome()).isEqualTo("deny");
    assertThat(d.reasonCodes())
        .extracting(ReasonCode::code)
        .containsExactly("deny_if", "court.judgment_defaulter");
    assertThat(d.policy().toString()).isEqualTo("rongcheng-style v2");
    assertThat(d.decidedAt()).isEqualTo(NOW);
    assertThat(d.validUntil()).isEqualTo(time("2026-12-22"));
  }

  @Test
  void allowsAirTravelDuringTheNoticePeriodAndAfterTheBasisIsRetracted() {
    Score during = Scorer.score(RONGCHENG, BOB, List.of(JUDGMENT), time("2026-03-05"), NOW);
    assertThat(Decider.decide(RONGCHENG, during, Purpose.of("air_travel")))
        .isInstanceOf(Decision.Allowed.class);
    Record performed =
        record(BOB, "jd-r", "court.judgment_defaulter", "2026-05-01").retracting("jd");
    assertThat(decide(RONGCHENG, List.of(JUDGMENT, performed), "air_travel"))
        .isInstanceOf(Decision.Allowed.class);
  }

  @Test
  void considersOnlyThePurposesDomains() {
    // Many traffic tickets lower the city score, but a loan-related perk never sees them.
    List<Record> records = new ArrayList<>();
    for (int i = 1; i <= 9; i++) {
      records.add(record(ALICE, "t" + i, "traffic.speeding", "2026-0" + i + "-01"));
    }
    records.add(record(ALICE, "d", "traffic.drunk_driving", "2026-10-01"));
    Score score = Scorer.score(RONGCHENG, ALICE, records, NOW, NOW);
    assertThat(score.value()).isEqualTo(810);
    Decision rental = Decider.decide(RONGCHENG, score, Purpose.of("rental_deposit_waiver"));
    assertThat(rental).isInstanceOf(Decision.Allowed.class);
    Decision bikes = Decider.decide(RONGCHENG, score, Purpose.of("public_bike_deposit_waiver"));
    assertThat(bikes).isInstanceOf(Decision.Denied.class);
    assertThat(bikes.reasonCodes())
        .extracting(ReasonCode::code)
        .containsExactly("allow_if_not_met", "traffic.drunk_driving", "traffic.speeding");
  }

  @Test
  void disclosesOnlyWhatThePurposeDeclares() {
    Decision heating =
        decide(
            RONGCHENG,
            List.of(record(ALICE, "a", "civic.national_award", "2026-01-01")),
            "heating_bill_discount");
    assertThat(heating).isInstanceOf(Decision.Allowed.class);
    assertThat(heating.disclosed().grade()).map(g -> g.name()).contains("AAA");
    assertThat(heating.disclosed().score()).isEmpty();
    assertThat(heating.disclosed().lists()).isEmpty();
    Decision air = decide(RONGCHENG, List.of(JUDGMENT), "air_travel");
    assertThat(air.disclosed()).isEqualTo(Disclosed.NOTHING);
    Decision loan =
        decide(
            BUREAU,
            List.of(
                record(ALICE, "o", "account.opened", "2024-01-01"),
                record(ALICE, "p", "account.paid_as_agreed", "2026-10-01")),
            "lending");
    assertThat(loan.disclosed().score()).isPresent();
    assertThat(loan.disclosed().factors()).isPresent();
    assertThat(loan.disclosed().grade()).isEmpty();
  }

  @Test
  void followsSesameStylePerkThresholds() {
    List<Record> good = new ArrayList<>();
    // A long clean record: what reaches the top of a Sesame-style scale.
    for (int i = 1; i <= 9; i++) {
      good.add(record(ALICE, "ok" + i, "loan.repaid_on_time", "2026-0" + i + "-10"));
      good.add(record(ALICE, "cd" + i, "card.paid_on_time", "2026-0" + i + "-12"));
      good.add(record(ALICE, "u" + i, "utility.bill_paid_on_time", "2026-0" + i + "-10"));
    }
    for (int i = 1; i <= 8; i++) {
      good.add(record(ALICE, "old" + i, "loan.repaid_on_time", "2025-0" + i + "-10"));
      good.add(record(ALICE, "c" + i, "contract.fulfilled", "2026-0" + i + "-01"));
    }
    good.add(record(ALICE, "id", "identity.verified", "2024-01-01"));
    good.add(record(ALICE, "ad", "identity.address_confirmed", "2024-01-01"));
    Score score = Scorer.score(SESAME, ALICE, good, NOW, NOW);
    assertThat(score.value()).isBetween(750.0, 950.0);
    for (String perk :
        List.of("bike_deposit_waiver", "car_rental_deposit_waiver", "visa_documents_japan")) {
      assertThat(Decider.decide(SESAME, score, Purpose.of(perk)))
          .as(perk)
          .isInstanceOf(Decision.Allowed.class);
    }
    List<Record> defaulted = new ArrayList<>(good);
    defaulted.add(record(ALICE, "def", "loan.default", "2026-10-01"));
    Score withDefault = Scorer.score(SESAME, ALICE, defaulted, NOW, NOW);
    Decision bikes = Decider.decide(SESAME, withDefault, Purpose.of("bike_deposit_waiver"));
    assertThat(bikes).isInstanceOf(Decision.Denied.class);
    assertThat(bikes.reasonCodes().get(0).text()).isEqualTo("records['loan.default'] > 0");
  }

  @Test
  void refersABureauApplicantInTheMiddleBand() {
    Score thin = Scorer.score(BUREAU, ALICE, List.of(), NOW, NOW);
    Decision d = Decider.decide(BUREAU, thin, Purpose.of("lending"));
    assertThat(thin.value()).isBetween(580.0, 670.0);
    assertThat(d).isInstanceOf(Decision.Referred.class);
  }

  @Test
  void refusesUnknownPurposesAndScoresFromAnotherPolicy() {
    Score score = Scorer.score(RONGCHENG, ALICE, List.of(), NOW, NOW);
    assertThatThrownBy(() -> Decider.decide(RONGCHENG, score, Purpose.of("dating")))
        .hasMessageContaining("has no purpose 'dating'");
    assertThatThrownBy(() -> Decider.decide(SESAME, score, Purpose.of("bike_deposit_waiver")))
        .hasMessageContaining("was made under rongcheng-style v2");
  }
}
