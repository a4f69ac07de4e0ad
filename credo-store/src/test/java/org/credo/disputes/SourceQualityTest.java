package org.credo.disputes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.credo.engine.Engine;
import org.credo.ingest.Importer;
import org.credo.records.SourceId;
import org.credo.store.SourceRegistration;
import org.credo.store.Store;
import org.credo.subject.SubjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A source's figures: the upheld rate is upheld ÷ answered; expired disputes count apart. */
class SourceQualityTest {
  static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

  @TempDir Path dir;

  @Test
  void theUpheldRateIsOverAnsweredDisputesAndExpiredOnesAreCountedApart() throws Exception {
    try (Store store = Store.openFolder(dir, true)) {
      Engine engine = new Engine(store);
      Path file = Path.of("..", "policies", "rongcheng-style.yaml");
      engine.activate(
          file.toString(), Files.readString(file), Instant.parse("2020-01-01T00:00:00Z"));
      store.sources().put(new SourceRegistration(SourceId.of("court"), List.of("court"), T0));
      StringBuilder ndjson = new StringBuilder();
      for (int i = 1; i <= 7; i++) {
        ndjson.append(
            "{\"source\":\"court\",\"id\":\"j"
                + i
                + "\",\"subject\":\"person:P-"
                + i
                + "\",\"type\":\"court.judgment_defaulter\",\"occurred\":\"2026-06-01\"}\n");
      }
      new Importer(
              store,
              engine.activePolicies(T0),
              Clock.fixed(T0, ZoneOffset.UTC),
              Importer.Options.defaults())
          .run(new StringReader(ndjson.toString()), Importer.Format.NDJSON, r -> {}, n -> {});
      Disputes disputes = new Disputes(engine);
      Instant t1 = T0.plus(Duration.ofDays(1));
      String[] ids = new String[8];
      for (int i = 1; i <= 7; i++) {
        ids[i] =
            disputes
                .open(SubjectId.parse("person:P-" + i), "court/j" + i, "Not mine.", "cli", t1)
                .id();
      }
      Optional<SourceId> court = Optional.of(SourceId.of("court"));
      Instant t2 = t1.plus(Duration.ofHours(1));
      disputes.answer(
          ids[1], new Disputes.Answer.Withdraw(Optional.of("error")), court, "source:court", t2);
      disputes.answer(
          ids[2], new Disputes.Answer.Withdraw(Optional.of("error")), court, "source:court", t2);
      disputes.answer(ids[3], new Disputes.Answer.Reject("on file"), court, "source:court", t2);
      disputes.answer(ids[4], new Disputes.Answer.Reject("on file"), court, "source:court", t2);
      assertThat(disputes.expireDue(t1.plus(Duration.ofDays(31)))).isEqualTo(3);

      // Flagged above 0.6 over at least 4 answered disputes: 2 of 4 is 0.5, not flagged.
      SourceQuality.Report court1 = new SourceQuality(store, disputes, 0.6, 4).reports().get(0);
      assertThat(court1.source()).isEqualTo("court");
      assertThat(court1.disputes()).isEqualTo(7);
      assertThat(court1.open()).isZero();
      assertThat(court1.upheld()).isEqualTo(2);
      assertThat(court1.rejected()).isEqualTo(2);
      assertThat(court1.expired()).isEqualTo(3);
      assertThat(court1.upheldRate()).isEqualTo(0.5);
      assertThat(court1.flagged()).isFalse();
      // Above 0.4 it is flagged; with 5 answered disputes required, 4 are too few to judge.
      assertThat(new SourceQuality(store, disputes, 0.4, 4).reports().get(0).flagged()).isTrue();
      assertThat(new SourceQuality(store, disputes, 0.4, 5).reports().get(0).flagged()).isFalse();
    }
  }
}
