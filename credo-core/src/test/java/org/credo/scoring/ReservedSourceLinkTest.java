package org.credo.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.credo.Fixtures.ALICE;
import static org.credo.Fixtures.NOW;
import static org.credo.Fixtures.record;
import static org.credo.Fixtures.time;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.credo.Fixtures;
import org.credo.policy.Policy;
import org.credo.records.Record;
import org.credo.records.SourceId;
import org.junit.jupiter.api.Test;

/**
 * A record of the reserved source {@code credo} (a dispute's suppression) names its target by the
 * target's full key ({@code source/id}); every other source names one of its own records by id.
 */
class ReservedSourceLinkTest {
  static final Policy RONGCHENG = Fixtures.example("rongcheng-style");

  /** What an expired dispute writes: a {@code credo} retraction naming {@code test-source/t1}. */
  static Record suppression(String target) {
    return new Record(
        SourceId.of("credo"),
        "dispute:d-1:suppressed",
        ALICE,
        org.credo.records.RecordType.of("traffic.red_light"),
        time("2026-02-01"),
        time("2026-04-01"),
        Map.of(),
        Optional.of("dispute d-1 was not answered by its deadline"),
        Optional.empty(),
        Optional.of(target));
  }

  @Test
  void aCredoRetractionOfAnotherSourcesRecordRemovesItsPoints() {
    Record ticket = record(ALICE, "t1", "traffic.red_light", "2026-02-01");
    assertThat(Scorer.score(RONGCHENG, ALICE, List.of(ticket), NOW, NOW).value()).isEqualTo(995);

    Score s =
        Scorer.score(RONGCHENG, ALICE, List.of(ticket, suppression("test-source/t1")), NOW, NOW);
    assertThat(s.value()).isEqualTo(1000);
    assertThat(s.contributions())
        .filteredOn(c -> c.record().id().equals("t1"))
        .extracting(Contribution::status)
        .containsExactly(ContributionStatus.RETRACTED);
  }

  @Test
  void aRecordSaysWhichKeyItsLinkNames() {
    Record ticket = record(ALICE, "t1", "traffic.red_light", "2026-02-01");
    assertThat(ticket.targetKey()).isEmpty();
    assertThat(ticket.retracting("t0").targetKey()).contains("test-source/t0");
    assertThat(ticket.superseding("t0").targetKey()).contains("test-source/t0");
    assertThat(suppression("test-source/t1").targetKey()).contains("test-source/t1");
  }

  @Test
  void aCredoLinkIsNotReadAsOneOfItsOwnRecords() {
    // A credo record naming "t1" alone names no record: the ticket still counts.
    Record ticket = record(ALICE, "t1", "traffic.red_light", "2026-02-01");
    Score s = Scorer.score(RONGCHENG, ALICE, List.of(ticket, suppression("t1")), NOW, NOW);
    assertThat(s.value()).isEqualTo(995);
  }
}
