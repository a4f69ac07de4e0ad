package org.credo.retention;

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
import org.credo.records.Record;
import org.credo.records.SourceId;
import org.credo.store.SourceRegistration;
import org.credo.store.Store;
import org.credo.subject.SubjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Records past expiry plus grace are deleted; links go with their targets, never before them. */
class RetentionTest {
  static final Instant NOW = Instant.parse("2026-11-22T00:00:00Z");
  static final SubjectId WHO = SubjectId.parse("person:370102199001011231");

  @Test
  void purgesWhatIsPastExpiryAndGraceAndNothingElse(@TempDir Path dir) throws Exception {
    try (Store store = Store.openFolder(dir, true)) {
      Engine engine = new Engine(store);
      Path file = Path.of("..", "policies", "rongcheng-style.yaml");
      engine.activate(
          file.toString(), Files.readString(file), Instant.parse("2010-01-01T00:00:00Z"));
      store.sources().put(new SourceRegistration(SourceId.of("police"), List.of("traffic"), NOW));
      String s = WHO.toString();
      // red_light expires after 2 years: 2023-06 is past 2 years + 90 days; 2024-11-01 is not.
      String ndjson =
          line("old", "2023-06-01", "")
              + line("old-fix", "2023-06-01", ",\"supersedes\":\"old\"")
              + line("recent", "2024-11-01", "")
              + line("late-retraction", "2023-01-01", ",\"retracts\":\"recent\"")
              + line("new", "2026-10-01", "");
      new Importer(
              store,
              engine.activePolicies(NOW),
              Clock.fixed(NOW, ZoneOffset.UTC),
              Importer.Options.defaults(),
              engine::accepted)
          .run(
              new StringReader(ndjson.replace("WHO", s)), Importer.Format.NDJSON, r -> {}, n -> {});
      engine.buildIndex(NOW);
      double before = engine.scores(WHO, NOW, NOW).get(0).value();

      Retention.Purge dry = new Retention(engine).purge(NOW, Duration.ofDays(90), true);
      assertThat(dry.purged()).isEqualTo(2);
      assertThat(store.recordCount()).isEqualTo(5);

      Retention.Purge done = new Retention(engine).purge(NOW, Duration.ofDays(90), false);
      assertThat(done.purged()).isEqualTo(2);
      assertThat(store.records(WHO))
          .extracting(Record::id)
          .containsExactlyInAnyOrder("recent", "late-retraction", "new");
      // Nothing that counted changed: the purged records had expired.
      assertThat(engine.scores(WHO, NOW, NOW).get(0).value()).isEqualTo(before);
      // The purged rows left the in-memory index without a rebuild: it scores as a rebuilt one.
      assertThat(engine.indexFigures().orElseThrow().records()).isEqualTo(3);
      Engine rebuilt = new Engine(store);
      rebuilt.buildIndex(NOW);
      assertThat(engine.scores(WHO, NOW, NOW).get(0).contributions())
          .isEqualTo(rebuilt.scores(WHO, NOW, NOW).get(0).contributions());
      assertThat(new Retention(engine).purge(NOW, Duration.ofDays(90), false).purged()).isZero();
    }
  }

  private static String line(String id, String occurred, String extra) {
    return "{\"source\":\"police\",\"id\":\""
        + id
        + "\",\"subject\":\"WHO\",\"type\":\"traffic.red_light\",\"occurred\":\""
        + occurred
        + "\""
        + extra
        + "}\n";
  }
}
