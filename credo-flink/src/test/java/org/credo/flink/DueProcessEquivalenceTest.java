package org.credo.flink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.flink.api.java.tuple.Tuple3;
import org.credo.access.Role;
import org.credo.app.AppSettings;
import org.credo.app.Caller;
import org.credo.app.CredoApplication;
import org.credo.app.disputes.DisputeOutcome;
import org.credo.app.lists.RepairOutcome;
import org.credo.app.wire.ApiWire;
import org.credo.app.wire.ScoresWire;
import org.credo.audit.AuditLog;
import org.credo.disputes.Disputes;
import org.credo.ingest.Importer;
import org.credo.policy.Policy;
import org.credo.records.RecordJson;
import org.credo.records.SourceId;
import org.credo.store.SourceRegistration;
import org.credo.store.Store;
import org.credo.subject.SubjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * List due process, through both doors: the embedded engine's dispute desk and list repairs act on
 * a store, and what the desk owes {@code credo.records} ({@code credo dispute marks}) goes with the
 * providers' records through the streaming job. Disputes answered after the notice, withdrawn, left
 * open past the deadline and expired, and a granted repair: every subject's score, with its list
 * entries, is the same in both at every instant compared.
 */
class DueProcessEquivalenceTest {
  static final Instant T0 = Instant.parse("2024-03-04T09:00:00Z");
  static final SourceId SRC = SourceId.of("src");
  static final Caller OPERATOR = new Caller(Role.OPERATOR, Optional.empty(), "operator:test");

  @TempDir Path dir;

  @Test
  void theEngineAndTheJobHoldAndEndListEntriesAlike() throws Exception {
    Population definitions = new Population(0, 1);
    List<SubjectId> subjects = new ArrayList<>();
    List<String> lines = new ArrayList<>();
    try (Store store = Store.openFolder(dir, true);
        AuditLog log = AuditLog.open(store)) {
      CredoApplication app =
          new CredoApplication(
              store, log, AppSettings.DEFAULTS, Clock.fixed(T0, ZoneOffset.UTC), null);
      for (var e : new TreeMap<>(definitions.definitions.policyYamls()).entrySet()) {
        app.engine().activate(e.getKey(), e.getValue(), Population.START);
      }
      store
          .sources()
          .put(
              new SourceRegistration(
                  SRC, List.of("court."), Population.START, Optional.of("court")));
      List<Importer.Item> items = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        SubjectId s = SubjectId.parse("person:P-" + (900 + i));
        subjects.add(s);
        String line =
            "{\"source\":\"src\",\"id\":\"j"
                + i
                + "\",\"subject\":\""
                + s
                + "\",\"type\":\"court.judgment_defaulter\",\"occurred\":\"2024-03-01\","
                + "\"learned\":\""
                + T0
                + "\",\"attributes\":{\"amount\":50000}}";
        lines.add(line);
        var item = (com.fasterxml.jackson.databind.node.ObjectNode) ApiWire.MAPPER.readTree(line);
        item.remove(List.of("source", "learned")); // the provider's credential and the clock say
        items.add(new Importer.Item.Json(item));
      }
      assertThat(app.recordIntake().submit(SRC, items, "provider:src").summary().accepted())
          .isEqualTo(5);

      // P-900: no dispute. P-901: answered (rejected) after the ten days' notice. P-902: the
      // source withdraws the record during the notice. P-903: open past its deadline, then
      // expired and suppressed. P-904: rejected early, then a repair ends the entry.
      String d1 = open(app, subjects.get(1), "src/j1", days(2));
      String d2 = open(app, subjects.get(2), "src/j2", days(2));
      open(app, subjects.get(3), "src/j3", days(2));
      String d4 = open(app, subjects.get(4), "src/j4", days(1));
      answer(app, d4, new Disputes.Answer.Reject("the court's list stands"), days(3));
      answer(app, d2, new Disputes.Answer.Withdraw(Optional.empty()), days(5));
      answer(app, d1, new Disputes.Answer.Reject("the court's list stands"), days(17));
      var applied =
          app.lists()
              .applyForRepair(
                  OPERATOR, subjects.get(4), "judgment-defaulters", "paid in full", days(12));
      String repair = ((RepairOutcome.Done) applied).repair().id();
      assertThat(app.lists().decideRepair(OPERATOR, repair, true, "receipt checked", days(14)))
          .isInstanceOf(RepairOutcome.Done.class);
      assertThat(app.disputeDesk().expireDue(OPERATOR, days(40))).isEqualTo(1);

      for (var mark : app.disputeDesk().marks(OPERATOR, Instant.EPOCH, days(41))) {
        lines.add(RecordJson.toNode(mark).toString());
      }
      assertThat(lines).hasSize(5 + 4 + 3 + 1 + 1 + 1); // records, opened, answers, outcomes

      // The job, fed the providers' records and the desk's marks.
      var h =
          SubjectScoringHarnessTest.harness(
              new SubjectScoring.Settings(86_400_000L, days(90).toEpochMilli(), Long.MAX_VALUE));
      for (String c : definitions.control()) {
        h.processBroadcastElement(c, Population.START.toEpochMilli());
      }
      for (int i = 0; i < lines.size(); i++) {
        var t = Intake.parse(null, lines.get(i), "line " + (i + 1), 0L);
        assertThat(t.f0).as(lines.get(i)).isNotEqualTo(Intake.REJECT);
        h.processElement(t, t.f1);
      }
      List<Tuple3<String, String, String>> out = new ArrayList<>();
      for (int d = 0; d <= 90; d++) {
        h.watermark(midnight(d).toEpochMilli());
        out.addAll(SubjectScoringHarnessTest.drain(h));
      }
      assertThat(out).noneMatch(t -> t.f0.equals(SubjectScoring.REJECTS));
      Map<String, TreeMap<Instant, String>> timeline = new java.util.HashMap<>();
      for (var t : out) {
        if (t.f0.equals(SubjectScoring.SCORES)) {
          var node = ApiWire.MAPPER.readTree(t.f2);
          timeline
              .computeIfAbsent(
                  node.path("subject").asText()
                      + " "
                      + node.path("scores").path(0).path("policy").asText(),
                  x -> new TreeMap<>())
              .put(Instant.parse(node.path("asOf").asText()), t.f2);
        }
      }

      int compared = 0;
      List<String> bases = new ArrayList<>();
      for (int d : new int[] {1, 3, 5, 8, 11, 13, 15, 18, 25, 33, 36, 41, 70}) {
        Instant at = midnight(d);
        for (SubjectId s : subjects) {
          for (Policy p : definitions.policies) {
            String job =
                timeline.getOrDefault(s + " " + p.id(), new TreeMap<>()).floorEntry(at).getValue();
            String engine =
                ApiWire.MAPPER.writeValueAsString(ScoresWire.of(app.engine().score(s, p, at, at)));
            assertThat(Population.unstamped(job))
                .as(s + " under " + p.id() + " at " + at)
                .isEqualTo(Population.unstamped(engine));
            ApiWire.MAPPER
                .readTree(engine)
                .findValues("basis")
                .forEach(b -> bases.add(d + " " + s + " " + b.asText()));
            compared++;
          }
        }
      }
      assertThat(compared).isEqualTo(13 * 5 * definitions.policies.size());
      // The comparisons saw every step of due process.
      assertThat(bases)
          .anyMatch(b -> b.startsWith("13 person:P-901") && b.contains("held while disputed"))
          .anyMatch(b -> b.startsWith("36 person:P-903") && b.contains("held while disputed"))
          .anyMatch(b -> b.startsWith("15 person:P-904") && b.contains("ended by repair"))
          .noneMatch(b -> b.startsWith("41 person:P-903"))
          .noneMatch(b -> b.startsWith("8 person:P-902"));
      h.close();
    }
  }

  private static String open(CredoApplication app, SubjectId s, String record, Instant at) {
    DisputeOutcome o = app.disputeDesk().open(OPERATOR, s, record, "not mine", at);
    assertThat(o).isInstanceOf(DisputeOutcome.Done.class);
    return ((DisputeOutcome.Done) o).dispute().id();
  }

  private static void answer(CredoApplication app, String id, Disputes.Answer a, Instant at) {
    assertThat(app.disputeDesk().answer(OPERATOR, id, a, at))
        .isInstanceOf(DisputeOutcome.Done.class);
  }

  private static Instant days(int n) {
    return T0.plus(Duration.ofDays(n));
  }

  private static Instant midnight(int n) {
    return T0.truncatedTo(java.time.temporal.ChronoUnit.DAYS).plus(Duration.ofDays(n));
  }
}
