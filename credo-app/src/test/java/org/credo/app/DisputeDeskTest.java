package org.credo.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.credo.access.Role;
import org.credo.app.disputes.DisputeDesk;
import org.credo.app.disputes.DisputeOutcome;
import org.credo.app.wire.ApiWire;
import org.credo.audit.AuditLog;
import org.credo.disputes.Disputes;
import org.credo.ingest.Importer;
import org.credo.records.SourceId;
import org.credo.store.SourceRegistration;
import org.credo.store.Store;
import org.credo.subject.SubjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dispute workflow's refusals as values, and who sees which dispute. */
class DisputeDeskTest {
  static final Instant NOW = Instant.parse("2026-11-22T00:00:00Z");
  static final SourceId TRAFFIC = SourceId.of("traffic-police");
  static final SubjectId ANNA = SubjectId.parse("person:P-1");

  @TempDir Path dir;

  @Test
  void eachCallerSeesAndAnswersOnlyWhatIsTheirs() throws Exception {
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
      ObjectNode r = ApiWire.MAPPER.createObjectNode();
      r.put("id", "r-1").put("subject", ANNA.toString()).put("type", "traffic.speeding");
      r.put("occurred", "2026-10-01");
      app.recordIntake().submit(TRAFFIC, List.of(new Importer.Item.Json(r)), "provider:t");
      DisputeDesk desk = app.disputeDesk();
      String hex = HexFormat.of().formatHex(store.keys().pseudonym(ANNA));
      Caller anna = new Caller(Role.SUBJECT, Optional.of(hex), "subject:a");
      Caller police = new Caller(Role.PROVIDER, Optional.of("traffic-police"), "provider:t");
      Caller bank = new Caller(Role.PROVIDER, Optional.of("bank"), "provider:b");

      assertThat(desk.open(anna, ANNA, "traffic-police/nope", "not mine", NOW))
          .isInstanceOf(DisputeOutcome.Refused.class);
      DisputeOutcome opened = desk.open(anna, ANNA, "traffic-police/r-1", "I was abroad", NOW);
      String id = ((DisputeOutcome.Done) opened).dispute().id();

      assertThat(desk.one(anna, id)).isInstanceOf(DisputeOutcome.Done.class);
      assertThat(desk.one(police, id)).isInstanceOf(DisputeOutcome.Done.class);
      assertThat(desk.one(bank, id)).isEqualTo(new DisputeOutcome.UnknownDispute(id));
      assertThat(desk.queue(bank, Optional.empty(), Optional.of(TRAFFIC), 10))
          .isInstanceOf(DisputeDesk.QueueOutcome.NotYourSource.class);
      assertThat(desk.queue(police, Optional.empty(), Optional.empty(), 10))
          .isEqualTo(
              new DisputeDesk.QueueOutcome.Queue(
                  List.of(((DisputeOutcome.Done) opened).dispute())));

      DisputeOutcome byBank =
          desk.answer(bank, id, new Disputes.Answer.Reject("it stands"), NOW.plusSeconds(5));
      assertThat(byBank).isInstanceOf(DisputeOutcome.Refused.class);
      assertThat(((DisputeOutcome.Refused) byBank).kind()).isEqualTo(Refusal.Kind.FORBIDDEN);
      DisputeOutcome answered =
          desk.answer(police, id, new Disputes.Answer.Withdraw(Optional.empty()), NOW);
      assertThat(((DisputeOutcome.Done) answered).dispute().state().word()).isEqualTo("upheld");
      assertThat(log.about(store.keys().pseudonym(ANNA), 100))
          .extracting(e -> e.entry().action())
          .contains("dispute.open", "dispute.answer");
    }
  }
}
