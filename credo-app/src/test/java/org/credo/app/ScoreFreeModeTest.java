package org.credo.app;

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
import org.credo.app.decisions.DecisionOutcome;
import org.credo.app.decisions.Decisions;
import org.credo.app.subjects.ScoringModeOutcome;
import org.credo.audit.AuditLog;
import org.credo.decisions.Decision;
import org.credo.ingest.Importer;
import org.credo.policy.Purpose;
import org.credo.records.SourceId;
import org.credo.scoring.Score;
import org.credo.store.ScoringModes;
import org.credo.store.SourceRegistration;
import org.credo.store.Store;
import org.credo.subject.SubjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Score-free mode (SPEC §4.6), through the application every door calls: no number or grade under
 * any policy, decisions that need one referred with {@code subject_score_free}, lists a law
 * requires still applied, every change audited, and back again.
 */
class ScoreFreeModeTest {
  static final Instant NOW = Instant.parse("2026-11-22T00:00:00Z");
  static final SubjectId WHO = SubjectId.parse("person:370102199001011231");

  @TempDir Path dir;

  @Test
  void aScoreFreeSubjectHasNoNumberButTheLawsListsStillApply() throws Exception {
    try (Store store = Store.openFolder(dir, true);
        AuditLog log = AuditLog.open(store)) {
      CredoApplication app =
          new CredoApplication(
              store, log, AppSettings.DEFAULTS, Clock.fixed(NOW, ZoneOffset.UTC), null);
      for (String p : List.of("rongcheng-style", "sesame-style")) {
        Path file = Path.of("..", "policies", p + ".yaml");
        app.engine()
            .activate(file.toString(), Files.readString(file), NOW.minus(Duration.ofDays(400)));
      }
      store.sources().put(new SourceRegistration(SourceId.of("court"), List.of("court"), NOW));
      store
          .sources()
          .put(new SourceRegistration(SourceId.of("city"), List.of("utility", "identity"), NOW));
      // The court's listing reached Credo long ago (its notice period is over); the rest lately.
      String court =
          """
          {"source":"court","id":"jd","subject":"person:370102199001011231","type":"court.judgment_defaulter","occurred":"2026-03-01","attributes":{"amount":20000}}
          """;
      String city =
          """
          {"source":"city","id":"iv","subject":"person:370102199001011231","type":"identity.verified","occurred":"2025-01-01"}
          {"source":"city","id":"u1","subject":"person:370102199001011231","type":"utility.bill_paid_on_time","occurred":"2026-10-01"}
          """;
      for (var batch :
          List.of(
              java.util.Map.entry(court, NOW.minus(Duration.ofDays(200))),
              java.util.Map.entry(city, NOW.minus(Duration.ofDays(1))))) {
        new Importer(
                store,
                app.engine().activePolicies(NOW),
                Clock.fixed(batch.getValue(), ZoneOffset.UTC),
                Importer.Options.defaults(),
                app.engine()::accepted)
            .run(new StringReader(batch.getKey()), Importer.Format.NDJSON, r -> {}, n -> {});
      }
      Caller subject = new Caller(org.credo.access.Role.SUBJECT, Optional.empty(), "subject:t1");
      assertThat(app.engine().scores(WHO, NOW, NOW)).allMatch(Score::hasNumber);

      ScoringModeOutcome set =
          app.subjectScoring().set(subject, WHO, "score_free", NOW.minusSeconds(60));
      assertThat(set)
          .isEqualTo(
              new ScoringModeOutcome.Current(
                  ScoringModes.Mode.SCORE_FREE, NOW.minusSeconds(60), true));
      // Asking again changes nothing and is not logged twice.
      assertThat(
              ((ScoringModeOutcome.Current)
                      app.subjectScoring().set(subject, WHO, "score_free", NOW.minusSeconds(30)))
                  .changed())
          .isFalse();
      assertThat(app.subjectScoring().set(subject, WHO, "invisible", NOW))
          .isInstanceOf(ScoringModeOutcome.BadMode.class);

      List<Score> scores = app.engine().scores(WHO, NOW, NOW);
      assertThat(scores).isNotEmpty().noneMatch(Score::hasNumber);
      assertThat(scores)
          .allSatisfy(s -> assertThat(s.noScore().get().code()).isEqualTo("subject_score_free"));
      // Records stay, and so does the court's list.
      assertThat(scores.get(0).contributions()).isNotEmpty();
      assertThat(
              scores.stream()
                  .filter(s -> s.policy().id().equals("rongcheng-style"))
                  .findFirst()
                  .orElseThrow()
                  .listsInEffect())
          .contains("judgment-defaulters");

      Decisions.Asker asker = new Decisions.Asker(Optional.empty(), "cli");
      Decision air =
          decided(
              app.decisions().decide(asker, WHO, Purpose.of("air_travel"), Optional.empty(), NOW));
      assertThat(air.outcome()).isEqualTo("deny");
      Decision perk =
          decided(
              app.decisions()
                  .decide(asker, WHO, Purpose.of("heating_bill_discount"), Optional.empty(), NOW));
      assertThat(perk.outcome()).isEqualTo("refer");
      assertThat(perk.reasonCodes().get(0).code()).isEqualTo("subject_score_free");
      assertThat(perk.disclosed().grade()).isEmpty();

      // A replay as known before the change scores as then; the mode changes are audited.
      assertThat(app.engine().scores(WHO, NOW, NOW.minusSeconds(120))).allMatch(Score::hasNumber);
      assertThat(log.about(store.keys().pseudonym(WHO), 10))
          .filteredOn(e -> e.entry().action().equals("subject.scoring_mode"))
          .hasSize(1);
      assertThat(
              app.engine().distribution(app.engine().activePolicies(NOW).get(0), NOW).unscorable())
          .isEqualTo(1);

      app.subjectScoring().set(subject, WHO, "scored", NOW.minusSeconds(10));
      assertThat(app.engine().scores(WHO, NOW, NOW)).allMatch(Score::hasNumber);
    }
  }

  private static Decision decided(DecisionOutcome o) {
    assertThat(o).isInstanceOf(DecisionOutcome.DecisionMade.class);
    return ((DecisionOutcome.DecisionMade) o).decision();
  }
}
