package org.credo.decisions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.credo.Fixtures.ALICE;
import static org.credo.Fixtures.NOW;
import static org.credo.Fixtures.record;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.credo.Fixtures;
import org.credo.policy.Policy;
import org.credo.policy.Purpose;
import org.credo.records.Record;
import org.credo.scoring.Score;
import org.credo.scoring.Scorer;
import org.junit.jupiter.api.Test;

/**
 * The professional-licensing policy: each purpose reads only its own profession's conduct records.
 * A speeding ticket, a debt, a court judgment or another profession's file never reaches it.
 */
class ProfessionalLicensingTest {
  static final Policy LICENSING = Fixtures.example("professional-licensing");
  static final List<String> PURPOSES =
      List.of("physician_licensing", "teacher_certification", "accountant_registration");

  /** Every kind of record the other policies score, none of them professional conduct. */
  static final List<String> UNRELATED =
      List.of(
          "traffic.speeding",
          "traffic.drunk_driving",
          "court.judgment_defaulter",
          "bank.arrears",
          "loan.default",
          "utility.theft",
          "commerce.fraud",
          "account.charge_off",
          "volunteer.service_hours");

  static Decision decide(List<Record> records, String purpose) {
    Score score = Scorer.score(LICENSING, ALICE, records, NOW, NOW);
    return Decider.decide(LICENSING, score, Purpose.of(purpose));
  }

  @Test
  void nothingButTheProfessionsOwnConductReachesItsPurpose() {
    Random random = new Random(19);
    for (int run = 0; run < 200; run++) {
      List<Record> records = new ArrayList<>();
      int n = 1 + random.nextInt(30);
      for (int i = 0; i < n; i++) {
        String type = UNRELATED.get(random.nextInt(UNRELATED.size()));
        records.add(
            record(ALICE, "u" + run + "-" + i, type, "2026-0" + (1 + random.nextInt(9)) + "-10"));
      }
      for (String purpose : PURPOSES) {
        Decision d = decide(records, purpose);
        assertThat(d)
            .as(purpose + " with " + records.size() + " unrelated records")
            .isInstanceOf(Decision.Allowed.class);
      }
    }
  }

  @Test
  void aProfessionsSanctionsCountForItsPurposeAndNoOther() {
    List<Record> records =
        List.of(
            record(ALICE, "p1", "physician.licence_suspended", "2026-02-01"),
            record(ALICE, "t1", "traffic.speeding", "2026-03-01"));
    assertThat(decide(records, "physician_licensing")).isInstanceOf(Decision.Denied.class);
    assertThat(decide(records, "teacher_certification")).isInstanceOf(Decision.Allowed.class);
    assertThat(decide(records, "accountant_registration")).isInstanceOf(Decision.Allowed.class);
    List<Record> finding = List.of(record(ALICE, "a1", "accountant.audit_sanction", "2026-05-01"));
    assertThat(decide(finding, "accountant_registration")).isInstanceOf(Decision.Referred.class);
    assertThat(decide(finding, "physician_licensing")).isInstanceOf(Decision.Allowed.class);
  }
}
