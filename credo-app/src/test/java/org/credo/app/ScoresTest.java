package org.credo.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.credo.app.scores.Report;
import org.credo.app.scores.ScoresOutcome;
import org.credo.audit.AuditLog;
import org.credo.ingest.Importer;
import org.credo.records.SourceId;
import org.credo.store.SourceRegistration;
import org.credo.store.Store;
import org.credo.subject.SubjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the scores and the report say beyond the numbers: what is disputed, what counts nowhere. */
class ScoresTest {
  static final Instant NOW = Instant.parse("2026-11-22T00:00:00Z");
  static final SubjectId ANNA = SubjectId.parse("person:P-1");

  @TempDir Path dir;

  @Test
  void theReportMarksARecordKeptButScoredByNoPolicyAndEveryDoorMarksWhatIsDisputed()
      throws Exception {
    try (Store store = Store.openFolder(dir, true);
        AuditLog log = AuditLog.open(store)) {
      CredoApplication app =
          new CredoApplication(
              store, log, AppSettings.DEFAULTS, Clock.fixed(NOW, ZoneOffset.UTC), null);
      Path file = Path.of("..", "policies", "rongcheng-style.yaml");
      app.engine().activate(file.toString(), Files.readString(file), NOW.minus(Duration.ofDays(9)));
      store
          .sources()
          .put(new SourceRegistration(SourceId.of("city"), List.of("traffic", "account"), NOW));
      String ndjson =
          """
          {"source":"city","id":"t1","subject":"person:P-1","type":"traffic.red_light","occurred":"2026-06-01"}
          {"source":"city","id":"a1","subject":"person:P-1","type":"account.opened","occurred":"2026-06-02"}
          """;
      // The operator chose to keep types no active policy knows (SPEC §2): they score nothing.
      new Importer(
              store,
              app.engine().activePolicies(NOW),
              Clock.fixed(NOW, ZoneOffset.UTC),
              new Importer.Options(Optional.empty(), true, 1000),
              app.engine()::accepted)
          .run(new StringReader(ndjson), Importer.Format.NDJSON, r -> {}, n -> {});
      app.disputes().open(ANNA, "city/t1", "I was not driving", "test", NOW);

      Report report = app.scores().report(ANNA, NOW).orElseThrow();
      JsonNode records = WireTrees.report(report).get("records");
      assertThat(records).hasSize(2);
      assertThat(records.get(0).get("scoredBy").toString()).isEqualTo("[\"rongcheng-style\"]");
      assertThat(records.get(0).has("unscored")).isFalse();
      assertThat(records.get(0).at("/dispute/disputed").asBoolean()).isTrue();
      assertThat(records.get(1).get("scoredBy")).isEmpty();
      assertThat(records.get(1).get("unscored").asText())
          .contains("no active policy scores records of type account.opened");

      ScoresOutcome.Scored scored =
          (ScoresOutcome.Scored) app.scores().score(ANNA, NOW, NOW, Optional.empty(), NOW);
      assertThat(scored.disputed()).containsExactly("city/t1");
      JsonNode contribution = WireTrees.scores(scored).at("/scores/0/contributions/0");
      assertThat(contribution.get("record").asText()).isEqualTo("city/t1");
      assertThat(contribution.get("disputed").asBoolean()).isTrue();
      assertThat(WireTrees.report(report).get("scores"))
          .isEqualTo(WireTrees.scores(scored).get("scores"));
    }
  }

  @Test
  void eachRecordShowsHowItsSubjectWasMatchedNeverByName() throws Exception {
    try (Store store = Store.openFolder(dir, true);
        AuditLog log = AuditLog.open(store)) {
      CredoApplication app =
          new CredoApplication(
              store, log, AppSettings.DEFAULTS, Clock.fixed(NOW, ZoneOffset.UTC), null);
      Path file = Path.of("..", "policies", "rongcheng-style.yaml");
      app.engine().activate(file.toString(), Files.readString(file), NOW.minus(Duration.ofDays(9)));
      store.sources().put(new SourceRegistration(SourceId.of("city"), List.of("traffic"), NOW));
      String ndjson =
          """
          {"source":"city","id":"p1","subject":"person:370102199001011231","type":"traffic.red_light","occurred":"2026-06-01"}
          {"source":"city","id":"p2","subject":"person:P-1","type":"traffic.red_light","occurred":"2026-06-01"}
          {"source":"city","id":"o1","subject":"org:91110000600037341L","type":"traffic.red_light","occurred":"2026-06-01"}
          """;
      new Importer(
              store,
              app.engine().activePolicies(NOW),
              Clock.fixed(NOW, ZoneOffset.UTC),
              Importer.Options.defaults(),
              app.engine()::accepted)
          .run(new StringReader(ndjson), Importer.Format.NDJSON, r -> {}, n -> {});
      JsonNode resident =
          WireTrees.report(
                  app.scores()
                      .report(SubjectId.parse("person:370102199001011231"), NOW)
                      .orElseThrow())
              .at("/records/0/match");
      assertThat(resident.get("identifier").asText()).isEqualTo("person:370102********1231");
      assertThat(resident.get("check").asText()).isEqualTo("prc_resident_id");
      assertThat(resident.get("how").asText()).contains("ISO 7064 MOD 11-2 check character");
      assertThat(
              WireTrees.report(app.scores().report(ANNA, NOW).orElseThrow())
                  .at("/records/0/match/check")
                  .asText())
          .isEqualTo("national_id");
      JsonNode org =
          WireTrees.report(
                  app.scores().report(SubjectId.parse("org:91110000600037341L"), NOW).orElseThrow())
              .at("/records/0/match");
      assertThat(org.get("check").asText()).isEqualTo("uscc");
      assertThat(org.get("identifier").asText()).isEqualTo("org:911100********341L");
    }
  }

  @Test
  void nobodyKnownAndTimesAheadAreRefusedNotScored() throws Exception {
    try (Store store = Store.openFolder(dir, true);
        AuditLog log = AuditLog.open(store)) {
      CredoApplication app =
          new CredoApplication(
              store, log, AppSettings.DEFAULTS, Clock.fixed(NOW, ZoneOffset.UTC), null);
      assertThat(app.scores().score(ANNA, NOW, NOW, Optional.empty(), NOW))
          .isInstanceOf(ScoresOutcome.NothingHeld.class);
      assertThat(app.scores().score(ANNA, NOW.plusSeconds(1), NOW, Optional.empty(), NOW))
          .isInstanceOf(ScoresOutcome.InTheFuture.class);
      assertThat(app.scores().report(ANNA, NOW)).isEmpty();
    }
  }
}
