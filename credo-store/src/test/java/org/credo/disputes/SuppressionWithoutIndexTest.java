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
import org.credo.engine.Engine;
import org.credo.ingest.Importer;
import org.credo.records.SourceId;
import org.credo.scoring.Score;
import org.credo.store.SourceRegistration;
import org.credo.store.Store;
import org.credo.subject.SubjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An expired dispute's suppression (a {@code credo} record retracting {@code court/j1}) counts the
 * same on every path: scored from the records (the CLI, with no index) and from the in-memory index
 * (the server).
 */
class SuppressionWithoutIndexTest {
  static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
  static final SubjectId ANNA = SubjectId.parse("person:P-1");

  @TempDir Path dir;

  @Test
  void anExpiredDisputeSuppressesTheRecordWithAndWithoutTheIndex() throws Exception {
    Instant t1 = T0.plus(Duration.ofDays(1));
    Instant later = t1.plus(Duration.ofDays(31));
    try (Store store = Store.openFolder(dir, true)) {
      Engine engine = new Engine(store);
      Path file = Path.of("..", "policies", "rongcheng-style.yaml");
      engine.activate(
          file.toString(), Files.readString(file), Instant.parse("2020-01-01T00:00:00Z"));
      store.sources().put(new SourceRegistration(SourceId.of("city"), List.of("traffic"), T0));
      String ndjson =
          """
          {"source":"city","id":"t1","subject":"person:P-1","type":"traffic.red_light","occurred":"2026-06-04"}
          """;
      new Importer(
              store,
              engine.activePolicies(T0),
              Clock.fixed(T0, ZoneOffset.UTC),
              Importer.Options.defaults())
          .run(new StringReader(ndjson), Importer.Format.NDJSON, r -> {}, n -> {});
      Disputes disputes = new Disputes(engine);
      disputes.open(ANNA, "city/t1", "That was not my car.", "subject:t", t1);
      assertThat(disputes.expireDue(later)).isEqualTo(1);
    }
    try (Store store = Store.openFolder(dir, true)) {
      Engine fromRecords = new Engine(store);
      double withoutIndex = fromRecords.scores(ANNA, later, later).get(0).value();

      Engine indexed = new Engine(store);
      indexed.buildIndex(later);
      Score fromIndex = indexed.scores(ANNA, later, later).get(0);

      assertThat(fromIndex.value()).isEqualTo(1000);
      assertThat(withoutIndex).isEqualTo(fromIndex.value());
    }
  }
}
