package org.credo.dueprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.credo.Fixtures.ALICE;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.credo.Fixtures;
import org.credo.catalogue.Catalogue;
import org.credo.intake.PolicyIntake;
import org.credo.lists.ListEntry;
import org.credo.policy.Policy;
import org.credo.records.Record;
import org.credo.records.RecordJson;
import org.credo.records.RecordType;
import org.credo.records.SourceId;
import org.credo.scoring.ChangePoints;
import org.credo.scoring.Score;
import org.credo.scoring.Scorer;
import org.junit.jupiter.api.Test;

/**
 * List due process from the dispute desk's marks: the same holds and grants as the engine's tables
 * give, marks kept away from the policy, and marks of any other shape refused at intake.
 */
class DueProcessTest {
  static final List<Policy> POLICIES = List.of(Fixtures.example("rongcheng-style"));
  static final Instant LEARNED = Instant.parse("2026-03-04T09:00:00Z");

  static Record judgment() {
    return Fixtures.learnedAt(
        Fixtures.record(ALICE, "j1", "court.judgment_defaulter", "2026-03-01"), LEARNED.toString());
  }

  static Instant day(int n) {
    return LEARNED.plus(Duration.ofDays(n));
  }

  @Test
  void marksAreTheFactsTheEngineKeepsInItsTables() {
    Record j = judgment();
    List<Record> all =
        List.of(
            j,
            DueProcess.opened("d1", ALICE, j.key(), day(2), day(32)),
            DueProcess.answered("d1", ALICE, day(17)),
            DueProcess.granted("r1", ALICE, j.key(), "judgment-defaulters", day(40)));
    DueProcess.Facts facts = DueProcess.facts(all);
    assertThat(facts.records()).containsExactly(j);
    assertThat(facts.holds())
        .containsExactly(new DueProcess.Hold(j.key(), day(2), day(32), Optional.of(day(17))));
    assertThat(facts.grants())
        .containsExactly(new DueProcess.Grant("judgment-defaulters", j.key(), day(40), "r1"));
    assertThat(DueProcess.changePoints(all)).containsExactly(ChangePoints.ceilMillis(day(32)));
  }

  @Test
  void aDisputeDuringTheNoticeHoldsTheEntryUntilSettledAndARepairEndsIt() {
    Policy rongcheng = Fixtures.example("rongcheng-style");
    Record j = judgment();
    Record opened = DueProcess.opened("d1", ALICE, j.key(), day(2), day(32));
    ListEntry plain = Scorer.score(rongcheng, ALICE, List.of(j), day(20), day(20)).lists().get(0);
    assertThat(plain.inEffectAt(day(20))).isTrue();

    // open: held until the deadline
    ListEntry held =
        DueProcess.score(rongcheng, ALICE, List.of(j, opened), day(20), day(20)).lists().get(0);
    assertThat(held.effectiveFrom()).isEqualTo(day(32));
    assertThat(held.basis()).endsWith("; held while disputed");
    // answered after the notice: in effect from the answer, as known then
    List<Record> answered = List.of(j, opened, DueProcess.answered("d1", ALICE, day(17)));
    assertThat(DueProcess.score(rongcheng, ALICE, answered, day(20), day(20)).lists().get(0))
        .extracting(ListEntry::effectiveFrom)
        .isEqualTo(day(17));
    assertThat(DueProcess.score(rongcheng, ALICE, answered, day(16), day(16)).lists().get(0))
        .extracting(ListEntry::effectiveFrom)
        .isEqualTo(day(32));
    // a repair ends it
    List<Record> repaired = new ArrayList<>(answered);
    repaired.add(DueProcess.granted("r1", ALICE, j.key(), "judgment-defaulters", day(40)));
    ListEntry ended = DueProcess.score(rongcheng, ALICE, repaired, day(41), day(41)).lists().get(0);
    assertThat(ended.until()).contains(day(40));
    assertThat(ended.inEffectAt(day(41))).isFalse();
    assertThat(ended.basis()).endsWith("; ended by repair r1");
    // the marks never reach the policy: same points, no "unknown type" notes
    Score withMarks = DueProcess.score(rongcheng, ALICE, repaired, day(41), day(41));
    Score without = Scorer.score(rongcheng, ALICE, List.of(j), day(41), day(41));
    assertThat(withMarks.value()).isEqualTo(without.value());
    assertThat(withMarks.notes()).isEqualTo(without.notes());
    assertThat(withMarks.contributions()).isEqualTo(without.contributions());
  }

  @Test
  void theIntakeRefusesWhatTheDisputeDeskDoesNotWrite() {
    Catalogue catalogue = Fixtures.shippedCatalogue();
    Record j = judgment();
    Record opened = DueProcess.opened("d1", ALICE, j.key(), day(2), day(32));
    assertThat(PolicyIntake.refusal(catalogue, POLICIES, opened)).isEmpty();
    assertThat(PolicyIntake.refusal(catalogue, POLICIES, DueProcess.answered("d1", ALICE, day(3))))
        .isEmpty();
    assertThat(
            PolicyIntake.refusal(
                catalogue,
                POLICIES,
                DueProcess.granted("r1", ALICE, j.key(), "judgment-defaulters", day(4))))
        .isEmpty();
    // through the wire form and back
    Record parsed =
        RecordJson.parse(
            RecordJson.toNode(opened).toString(), Optional.empty(), null, Fixtures.NOW);
    assertThat(parsed).isEqualTo(opened);

    // a provider's record under Credo's own source
    Record posing =
        new Record(
            SourceId.of(Record.RESERVED_SOURCE),
            "x1",
            ALICE,
            RecordType.of("court.judgment_defaulter"),
            LEARNED,
            LEARNED,
            Map.of(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty());
    assertThat(PolicyIntake.refusal(catalogue, POLICIES, posing))
        .get()
        .asString()
        .contains("Credo's own");
    // a mark without its deadline
    Record bare =
        new Record(
            SourceId.of(Record.RESERVED_SOURCE),
            "dispute:d9:opened",
            ALICE,
            RecordType.of(DueProcess.OPENED),
            LEARNED,
            LEARNED,
            Map.of("record", j.key()),
            Optional.empty(),
            Optional.empty(),
            Optional.empty());
    assertThat(PolicyIntake.refusal(catalogue, POLICIES, bare))
        .get()
        .asString()
        .contains("mark must have");
    // a reserved type from a provider is outside the catalogue
    Record fromProvider =
        new Record(
            SourceId.of("court"),
            "dispute:d9:opened",
            ALICE,
            RecordType.of(DueProcess.OPENED),
            LEARNED,
            LEARNED,
            Map.of(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty());
    assertThat(PolicyIntake.refusal(catalogue, POLICIES, fromProvider)).isPresent();
  }
}
