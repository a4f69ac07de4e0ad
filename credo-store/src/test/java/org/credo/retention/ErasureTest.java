package org.credo.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.credo.access.Consents;
import org.credo.audit.AuditEntry;
import org.credo.audit.AuditLog;
import org.credo.engine.Engine;
import org.credo.ingest.Importer;
import org.credo.policy.Purpose;
import org.credo.records.Record;
import org.credo.records.SourceId;
import org.credo.store.ScoringModes;
import org.credo.store.SourceRegistration;
import org.credo.store.Store;
import org.credo.subject.SubjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Erasure where lawful (GDPR Art. 17): what no law keeps goes, what a law keeps stays and is named
 * with its basis, nobody else's data is touched, and the audit chain still verifies.
 */
class ErasureTest {
  static final Instant NOW = Instant.parse("2026-11-22T00:00:00Z");
  static final SubjectId WHO = SubjectId.parse("person:370102199001011231");
  static final SubjectId OTHER = SubjectId.parse("person:371082198506120049");

  @Test
  void erasesWhatNoLawKeepsAndKeepsTheChainVerifiable(@TempDir Path dir) throws Exception {
    try (Store store = Store.openFolder(dir, true);
        AuditLog audit = AuditLog.open(store)) {
      Engine engine = new Engine(store);
      Path file = Path.of("..", "policies", "rongcheng-style.yaml");
      engine.activate(
          file.toString(), Files.readString(file), Instant.parse("2020-01-01T00:00:00Z"));
      store.sources().put(new SourceRegistration(SourceId.of("police"), List.of("traffic"), NOW));
      store.sources().put(new SourceRegistration(SourceId.of("court"), List.of("court"), NOW));
      StringBuilder ndjson = new StringBuilder();
      for (SubjectId s : List.of(WHO, OTHER)) {
        ndjson
            .append(line("police", "r1-" + s.id(), s, "traffic.red_light", "2026-06-01", ""))
            .append(line("police", "r2-" + s.id(), s, "traffic.speeding", "2026-07-01", ""))
            .append(
                line(
                    "police",
                    "r2f-" + s.id(),
                    s,
                    "traffic.speeding",
                    "2026-07-01",
                    ",\"supersedes\":\"r2-" + s.id() + "\""))
            .append(line("police", "dd-" + s.id(), s, "traffic.drunk_driving", "2026-05-01", ""))
            .append(
                line(
                    "court",
                    "jd-" + s.id(),
                    s,
                    "court.judgment_defaulter",
                    "2026-03-01",
                    ",\"attributes\":{\"amount\":50000}"));
      }
      List<Object> rejects = new java.util.ArrayList<>();
      new Importer(
              store,
              engine.activePolicies(NOW),
              Clock.fixed(NOW, ZoneOffset.UTC),
              Importer.Options.defaults(),
              engine::accepted)
          .run(new StringReader(ndjson.toString()), Importer.Format.NDJSON, rejects::add, n -> {});
      assertThat(rejects).isEmpty();
      engine.buildIndex(NOW);
      byte[] who = store.keys().pseudonym(WHO);
      byte[] other = store.keys().pseudonym(OTHER);
      for (int i = 0; i < 3; i++) {
        audit.appendAndWait(new AuditEntry(NOW, "subject:tok-1", "subject.score", who, "x" + i));
        audit.appendAndWait(new AuditEntry(NOW, "subject:tok-2", "subject.score", other, "y" + i));
      }
      new Consents(store).grant(WHO, "airline", Purpose.of("air_travel"), NOW.plusSeconds(9), NOW);
      new Consents(store)
          .grant(OTHER, "airline", Purpose.of("air_travel"), NOW.plusSeconds(9), NOW);
      store.scoringModes().set(who, ScoringModes.Mode.SCORE_FREE, NOW, "subject:tok-1");
      store.putDisplayName(WHO, "Zhang San");
      store.putDisplayName(OTHER, "Li Si");

      Erasure.Result r =
          new Erasure(engine, audit).erase(WHO, store.catalogues().active().get().catalogue());

      // Traffic offences other than drunk driving are kept by no law: gone, with the correction.
      assertThat(r.recordsErased()).isEqualTo(3);
      assertThat(r.erasedByType())
          .containsEntry("traffic.red_light", 1L)
          .containsEntry("traffic.speeding", 2L);
      // The court's listing and the drunk-driving record stay, each with its legal basis.
      assertThat(r.kept())
          .extracting(Erasure.Kept::type)
          .containsExactly("court.judgment_defaulter", "traffic.drunk_driving");
      assertThat(r.kept().get(0).basis()).contains("Supreme People's Court");
      assertThat(store.records(WHO))
          .extracting(Record::id)
          .containsExactlyInAnyOrder("jd-" + WHO.id(), "dd-" + WHO.id());
      assertThat(store.records(OTHER)).hasSize(5);
      assertThat(r.consents()).isEqualTo(1);
      assertThat(new Consents(store).list(WHO)).isEmpty();
      assertThat(new Consents(store).list(OTHER)).hasSize(1);
      assertThat(r.scoringModes()).isEqualTo(1);
      assertThat(store.scoringModes().modeAt(who, NOW)).isEqualTo(ScoringModes.Mode.SCORED);
      assertThat(r.name()).isTrue();
      assertThat(store.displayName(WHO)).isEmpty();
      assertThat(store.displayName(OTHER)).contains("Li Si");
      // The audit log: the subject's entries lost their content, the chain still verifies.
      assertThat(r.auditEntries()).isEqualTo(3);
      assertThat(audit.about(who, 10)).isEmpty();
      assertThat(audit.about(other, 10)).hasSize(3);
      assertThat(audit.verify(Optional.empty()).ok()).isTrue();
      // The index lost the erased rows without a rebuild: it scores as a rebuilt one.
      Engine rebuilt = new Engine(store);
      rebuilt.buildIndex(NOW);
      assertThat(engine.scores(WHO, NOW, NOW).get(0).contributions())
          .isEqualTo(rebuilt.scores(WHO, NOW, NOW).get(0).contributions());
      // A second erasure finds nothing more to erase and keeps the same.
      Erasure.Result again =
          new Erasure(engine, audit).erase(WHO, store.catalogues().active().get().catalogue());
      assertThat(again.recordsErased()).isZero();
      assertThat(again.kept()).hasSize(2);
    }
  }

  @Test
  void changingAnErasedEntrysHashBreaksTheChain(@TempDir Path dir) throws Exception {
    try (Store store = Store.openFolder(dir, true);
        AuditLog audit = AuditLog.open(store)) {
      Engine engine = new Engine(store);
      byte[] who = store.keys().pseudonym(WHO);
      for (int i = 0; i < 4; i++) {
        audit.appendAndWait(
            new AuditEntry(NOW, "cli", "subject.score", i % 2 == 0 ? who : null, "x"));
      }
      new Erasure(engine, audit).erase(WHO, store.catalogues().active().get().catalogue());
      assertThat(audit.verify(Optional.empty()).ok()).isTrue();
      long erased =
          store
              .jdbc()
              .query("SELECT MIN(seq) FROM audit_log WHERE length(entry) = 17", rs -> rs.getLong(1))
              .get(0);
      store.jdbc().update("UPDATE audit_log SET hash = ? WHERE seq = ?", new byte[32], erased);
      var v = audit.verify(Optional.empty());
      assertThat(v.ok()).isFalse();
    }
  }

  private static String line(
      String source, String id, SubjectId who, String type, String occurred, String extra) {
    return "{\"source\":\""
        + source
        + "\",\"id\":\""
        + id
        + "\",\"subject\":\""
        + who
        + "\",\"type\":\""
        + type
        + "\",\"occurred\":\""
        + occurred
        + "\""
        + extra
        + "}\n";
  }
}
