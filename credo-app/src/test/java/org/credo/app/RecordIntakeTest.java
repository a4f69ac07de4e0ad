package org.credo.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.credo.app.records.RecordIntake;
import org.credo.app.records.Submission;
import org.credo.app.records.Submission.Status;
import org.credo.app.scores.ScoresOutcome;
import org.credo.app.wire.ApiWire;
import org.credo.audit.AuditLog;
import org.credo.ingest.ImportSummary;
import org.credo.ingest.Importer;
import org.credo.ingest.Reject;
import org.credo.records.SourceId;
import org.credo.store.SourceRegistration;
import org.credo.store.Store;
import org.credo.subject.SubjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Records coming in by both doors, through one intake: each record's fate, and the score after. */
class RecordIntakeTest {
  static final Instant NOW = Instant.parse("2026-11-22T00:00:00Z");
  static final SourceId TRAFFIC = SourceId.of("traffic-police");

  @TempDir Path dir;

  @Test
  void aSubmissionTellsEachRecordsFateAndAFileImportGoesThroughTheSameChecks() throws Exception {
    try (Store store = Store.openFolder(dir, true);
        AuditLog log = AuditLog.open(store)) {
      CredoApplication app =
          new CredoApplication(
              store, log, AppSettings.DEFAULTS, Clock.fixed(NOW, ZoneOffset.UTC), null);
      Path file = Path.of("..", "policies", "rongcheng-style.yaml");
      app.engine().activate(file.toString(), Files.readString(file), NOW.minusSeconds(60));
      store
          .sources()
          .put(new SourceRegistration(TRAFFIC, List.of("traffic."), NOW.minusSeconds(60)));
      RecordIntake intake = app.recordIntake();

      List<Importer.Item> items = new ArrayList<>();
      items.add(json("r-1", "person:P-1", "traffic.speeding", "2026-10-01"));
      items.add(new Importer.Item.Unreadable("a record must be a JSON object"));
      items.add(json("r-1", "person:P-1", "traffic.speeding", "2026-10-01"));
      items.add(json("r-2", "person:P-1", "bank.arrears", "2026-10-01"));
      items.add(json("r-3", "person:P-1", "traffic.red_light", "2027-10-01"));
      Submission first = intake.submit(TRAFFIC, items, "provider:traffic-police");

      assertThat(first.records())
          .extracting(Submission.Fate::status)
          .containsExactly(
              Status.ACCEPTED, Status.REJECTED, Status.DUPLICATE, Status.REJECTED, Status.REJECTED);
      assertThat(first.records().get(1).reason()).contains("a record must be a JSON object");
      assertThat(first.summary().accepted()).isEqualTo(1);
      assertThat(first.summary().rejected()).isEqualTo(3);

      // The same id with other content conflicts, and names the stored record.
      Submission again =
          intake.submit(
              TRAFFIC,
              List.of(json("r-1", "person:P-1", "traffic.red_light", "2026-10-01")),
              "provider:traffic-police");
      assertThat(again.records().get(0).status()).isEqualTo(Status.CONFLICT);
      assertThat(again.records().get(0).reason().orElseThrow()).contains("r-1");

      // A file through the same intake: the stored record is a duplicate, the new one accepted.
      String ndjson =
          json("r-1", "person:P-1", "traffic.speeding", "2026-10-01").record()
              + "\n"
              + json("r-4", "person:P-2", "traffic.red_light", "2026-10-02").record()
              + "\n";
      List<Reject> rejects = new ArrayList<>();
      ImportSummary imported =
          intake.importFile(
              new java.io.ByteArrayInputStream(
                  ndjson.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
              Importer.Format.NDJSON,
              new RecordIntake.FileOptions(Optional.of(TRAFFIC), false),
              "operator:test",
              rejects::add,
              n -> {});
      assertThat(imported.accepted()).isEqualTo(1);
      assertThat(imported.duplicate()).isEqualTo(1);
      assertThat(rejects).isEmpty();
      assertThat(app.scores().score(SubjectId.parse("person:P-2"), NOW, NOW, Optional.empty(), NOW))
          .isInstanceOf(ScoresOutcome.Scored.class);
    }
  }

  private static Importer.Item.Json json(String id, String subject, String type, String occurred) {
    ObjectNode n = ApiWire.MAPPER.createObjectNode();
    n.put("id", id);
    n.put("subject", subject);
    n.put("type", type);
    n.put("occurred", occurred);
    return new Importer.Item.Json(n);
  }
}
