package org.credo.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.credo.store.Store;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Due process over real HTTP: disputes from opening to every outcome, the flag on decisions, the
 * queue, notifications delivered by webhook to a real local receiver (which first fails, so the
 * retry is exercised), source accountability and suspension.
 */
class DueProcessApiTest {
  @TempDir Path dir;
  Fixture f;
  HttpServer receiver;
  final List<JsonNode> received = new CopyOnWriteArrayList<>();
  final AtomicInteger calls = new AtomicInteger();

  @BeforeEach
  void start() throws Exception {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/hook",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          // The first delivery fails: the sender must retry it.
          int status = calls.incrementAndGet() == 1 ? 500 : 204;
          if (status == 204) {
            received.add(Api.JSON.readTree(new String(body, StandardCharsets.UTF_8)));
          }
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    receiver.start();
    Map<String, String> settings = new HashMap<>();
    settings.put("data", dir.toString());
    settings.put("port", "0");
    settings.put("limits.decisions-per-second", "1000");
    settings.put("limits.reports-per-minute", "1000");
    settings.put("scheduler.interval", "PT1H");
    settings.put(
        "notifications.webhook", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook");
    f =
        new Fixture(
            Store.openFolder(dir, true),
            dir,
            ServerConfig.load(Optional.empty(), Map.of(), settings));
  }

  @AfterEach
  void stop() {
    f.close();
    receiver.stop(0);
  }

  static double rongcheng(JsonNode scores) {
    for (JsonNode s : scores.get("scores")) {
      if (s.get("policy").asText().equals("rongcheng-style")) {
        return s.get("score").asDouble();
      }
    }
    throw new AssertionError("no rongcheng-style score in " + scores);
  }

  static String open(String subject, String record, String statement) {
    return "{\"subject\":\""
        + subject
        + "\",\"record\":\""
        + record
        + "\",\"statement\":\""
        + statement
        + "\"}";
  }

  @Test
  void aDisputeIsOpenedFlaggedQueuedAndRejected() {
    // Refusals first: nothing is created by any of them.
    f.api
        .post("/v1/disputes", f.good, open(Fixture.GOOD, "court-enforcement/jd-1", "not me"))
        .error(403, "not_your_record");
    f.api
        .post("/v1/disputes", f.good, open(Fixture.DEFAULTER, "court-enforcement/jd-1", "x"))
        .error(403, "not_your_subject");
    f.api
        .post("/v1/disputes", f.defaulter, open(Fixture.DEFAULTER, "court-enforcement/nope", "x"))
        .error(404, "unknown_record");
    f.api
        .post(
            "/v1/disputes",
            f.defaulter,
            open(Fixture.DEFAULTER, "court-enforcement/jd-1", "word ".repeat(101)))
        .error(400, "statement_too_long");
    f.api
        .post("/v1/disputes", f.defaulter, open(Fixture.DEFAULTER, "court-enforcement/jd-1", ""))
        .error(400, "bad_statement");
    assertThat(
            f.api
                .get("/v1/subjects/" + Fixture.DEFAULTER + "/disputes", f.defaulter)
                .json()
                .get("disputes"))
        .isEmpty();

    JsonNode d =
        f.api
            .post(
                "/v1/disputes",
                f.defaulter,
                open(Fixture.DEFAULTER, "court-enforcement/jd-1", "I performed the judgment."))
            .is(201)
            .json();
    String id = d.get("id").asText();
    assertThat(d.get("state").asText()).isEqualTo("open");
    assertThat(d.get("deadline").asText()).isEqualTo("2026-12-22T00:00:00Z");
    f.api
        .post(
            "/v1/disputes", f.defaulter, open(Fixture.DEFAULTER, "court-enforcement/jd-1", "again"))
        .error(409, "duplicate_dispute");

    // Flagged in decisions and in the report.
    JsonNode decision =
        f.api
            .post("/v1/decisions", f.airline, Fixture.decision(Fixture.DEFAULTER, "air_travel"))
            .is(200)
            .json();
    assertThat(decision.get("disputed").asBoolean()).isTrue();
    assertThat(decision.get("outcome").asText()).isEqualTo("deny");
    JsonNode report =
        f.api.get("/v1/subjects/" + Fixture.DEFAULTER + "/report", f.defaulter).is(200).json();
    assertThat(report.at("/records/0/dispute/disputed").asBoolean()).isTrue();
    assertThat(report.at("/disputes/0/id").asText()).isEqualTo(id);

    // The queue: the court sees it, the utility company does not.
    assertThat(f.api.get("/v1/disputes?state=open", f.court).is(200).json().get("disputes"))
        .extracting(n -> n.get("id").asText())
        .containsExactly(id);
    assertThat(f.api.get("/v1/disputes?state=open", f.utilities).is(200).json().get("disputes"))
        .isEmpty();
    f.api.get("/v1/disputes?source=court-enforcement", f.utilities).error(403, "not_your_source");
    f.api.get("/v1/disputes?state=nonsense", f.operator).error(400, "bad_request");
    f.api.get("/v1/disputes/" + id, f.good).error(404, "unknown_dispute");
    f.api.get("/v1/disputes/" + id, f.defaulter).is(200);

    // Answers: the wrong source, no reason, then a rejection, then nothing more.
    f.api
        .post(
            "/v1/disputes/" + id + "/resolution",
            f.utilities,
            "{\"outcome\":\"rejected\",\"reason\":\"no\"}")
        .error(403, "not_your_dispute");
    f.api
        .post("/v1/disputes/" + id + "/resolution", f.court, "{\"outcome\":\"rejected\"}")
        .error(400, "bad_reason");
    f.clock.advance(Duration.ofDays(2));
    JsonNode rejected =
        f.api
            .post(
                "/v1/disputes/" + id + "/resolution",
                f.court,
                "{\"outcome\":\"rejected\",\"reason\":\"the judgment is still unperformed\"}")
            .is(200)
            .json();
    assertThat(rejected.get("state").asText()).isEqualTo("rejected");
    assertThat(rejected.get("statement").asText()).isEqualTo("I performed the judgment.");
    f.api
        .post(
            "/v1/disputes/" + id + "/resolution",
            f.court,
            "{\"outcome\":\"upheld\",\"action\":\"withdraw\"}")
        .error(409, "dispute_closed");
    f.api
        .post(
            "/v1/disputes",
            f.defaulter,
            open(Fixture.DEFAULTER, "court-enforcement/jd-1", "I still say so."))
        .error(409, "already_disputed");
    JsonNode sources = f.api.get("/v1/sources", f.operator).is(200).json();
    JsonNode court = null;
    for (JsonNode s : sources.get("sources")) {
      if (s.get("id").asText().equals("court-enforcement")) {
        court = s;
      }
    }
    assertThat(court.get("disputes").asInt()).isEqualTo(1);
    assertThat(court.get("rejected").asInt()).isEqualTo(1);
    assertThat(court.get("medianAnswerSeconds").asDouble()).isEqualTo(2 * 86_400.0);
    assertThat(court.get("flaggedForReview").asBoolean()).isFalse();
  }

  @Test
  void anUnansweredDisputeSuppressesTheRecordUntilItsSourceRecertifiesIt() throws Exception {
    String score = "/v1/subjects/" + Fixture.GOOD + "/score";
    double before = rongcheng(f.api.get(score, f.good).json());
    String id =
        f.api
            .post(
                "/v1/disputes", f.good, open(Fixture.GOOD, "city-utilities/bill-9", "never got it"))
            .is(201)
            .json()
            .get("id")
            .asText();
    f.clock.advance(Duration.ofDays(31));
    f.server.dueProcessTick();
    JsonNode d = f.api.get("/v1/disputes/" + id, f.good).is(200).json();
    assertThat(d.get("state").asText()).isEqualTo("expired");
    assertThat(d.get("result").asText()).isEqualTo("credo/dispute:" + id + ":suppressed");
    double suppressed = rongcheng(f.api.get(score, f.good).json());
    assertThat(suppressed).isLessThan(before); // a paid bill no longer counts for them either
    f.api
        .post(
            "/v1/disputes/" + id + "/resolution",
            f.utilities,
            "{\"outcome\":\"rejected\",\"reason\":\"late\"}")
        .error(409, "dispute_closed");
    f.api
        .post("/v1/disputes/" + id + "/recertification", f.utilities, "{\"evidence\":\"\"}")
        .error(400, "bad_evidence");
    f.api
        .post(
            "/v1/disputes/" + id + "/recertification",
            f.utilities,
            "{\"evidence\":\"payment receipt 2026-09-05\"}")
        .is(200);
    assertThat(rongcheng(f.api.get(score, f.good).json())).isEqualTo(before);

    // Every step was told to the subject, and the webhook got them all (after one retry).
    JsonNode told =
        f.api.get("/v1/subjects/" + Fixture.GOOD + "/notifications", f.good).is(200).json();
    assertThat(told.get("notifications"))
        .extracting(n -> n.at("/details/state").asText())
        .contains("open", "expired", "recertified");
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (received.size() < 3 && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(calls.get()).isGreaterThan(received.size());
    assertThat(received).extracting(n -> n.get("subject").asText()).contains(Fixture.GOOD);
    assertThat(received).extracting(n -> n.get("kind").asText()).contains("dispute");
  }

  @Test
  void aSuspendedSourcesRecordsAreHeldUntilReleased() {
    String score = "/v1/subjects/" + Fixture.GOOD + "/score";
    double before = rongcheng(f.api.get(score, f.good).json());
    f.api.post("/v1/sources/city-utilities/suspension", f.operator, "{}").error(400, "bad_request");
    f.api
        .post("/v1/sources/nobody/suspension", f.operator, "{\"reason\":\"x\"}")
        .error(404, "unknown_source");
    f.api
        .post(
            "/v1/sources/city-utilities/suspension",
            f.operator,
            "{\"reason\":\"upheld rate 40 % over 25 disputes\"}")
        .is(200);
    f.api
        .post(
            "/v1/records",
            f.utilities,
            "[{\"id\":\"late-1\",\"subject\":\""
                + Fixture.GOOD
                + "\",\"type\":\"utility.fee_delayed\",\"occurred\":\"2026-10-01\"}]")
        .is(200);
    assertThat(rongcheng(f.api.get(score, f.good).json())).isEqualTo(before);
    JsonNode released =
        f.api.delete("/v1/sources/city-utilities/suspension", f.operator).is(200).json();
    assertThat(released.get("released").asInt()).isEqualTo(1);
    assertThat(rongcheng(f.api.get(score, f.good).json())).isLessThan(before);
    f.api.delete("/v1/sources/city-utilities/suspension", f.operator).error(409, "not_suspended");
  }

  static JsonNode entry(JsonNode score, String list) {
    for (JsonNode s : score.get("scores")) {
      for (JsonNode e : s.get("lists")) {
        if (e.get("list").asText().equals(list)) {
          return e;
        }
      }
    }
    throw new AssertionError("no entry on " + list + " in " + score);
  }

  @Test
  void aBlackListEntryGivesNoticeWaitsForItsDisputeAndEndsWhenRepaired() {
    String list = "/v1/lists/judgment-defaulters";
    String score = "/v1/subjects/" + Fixture.GOOD + "/score";
    f.api
        .post(
            "/v1/records",
            f.court,
            "[{\"id\":\"jd-2\",\"subject\":\""
                + Fixture.GOOD
                + "\",\"type\":\"court.judgment_defaulter\",\"occurred\":\"2026-11-01\"}]")
        .is(200);
    JsonNode notices = f.api.get("/v1/subjects/" + Fixture.GOOD + "/notifications", f.good).json();
    assertThat(notices.get("notifications"))
        .anySatisfy(
            n -> {
              assertThat(n.get("kind").asText()).isEqualTo("list_notice");
              assertThat(n.at("/details/effective").asText()).isEqualTo("2026-12-02T00:00:00Z");
            });
    // Only operators and auditors see a black list; the new entry is in its notice period.
    f.api.get(list, null).error(401, "unauthenticated");
    f.api.get(list, f.good).error(403, "forbidden_role");
    JsonNode entries = f.api.get(list, f.operator).is(200).json().get("entries");
    assertThat(entries).hasSize(2);
    assertThat(entries).allSatisfy(e -> assertThat(e.has("subjectRef")).isTrue());
    assertThat(entries).filteredOn(e -> !e.get("inEffect").asBoolean()).hasSize(1);

    // Disputed during the notice period: held until the dispute is settled.
    f.clock.advance(Duration.ofDays(1));
    f.api
        .post("/v1/disputes", f.good, open(Fixture.GOOD, "court-enforcement/jd-2", "paid in full"))
        .is(201);
    f.clock.advance(Duration.ofDays(11));
    JsonNode held = entry(f.api.get(score, f.good).json(), "judgment-defaulters");
    assertThat(held.get("inEffect").asBoolean()).isFalse();
    assertThat(held.get("effectiveFrom").asText()).isEqualTo("2026-12-23T00:00:00Z");
    String id = f.api.get("/v1/disputes?state=open", f.court).json().at("/disputes/0/id").asText();
    f.api
        .post(
            "/v1/disputes/" + id + "/resolution",
            f.court,
            "{\"outcome\":\"rejected\",\"reason\":\"no payment received\"}")
        .is(200);
    f.clock.advance(Duration.ofSeconds(1));
    assertThat(
            entry(f.api.get(score, f.good).json(), "judgment-defaulters")
                .get("inEffect")
                .asBoolean())
        .isTrue();

    // Credit repair: evidence required, one at a time, the operator decides.
    String repairs = "/v1/subjects/" + Fixture.GOOD + "/repairs";
    f.api.post(repairs, f.good, "{\"list\":\"judgment-defaulters\"}").error(400, "bad_evidence");
    f.api
        .post(
            "/v1/subjects/" + Fixture.DEFAULTER + "/repairs",
            f.good,
            "{\"list\":\"judgment-defaulters\",\"evidence\":\"x\"}")
        .error(403, "not_your_subject");
    f.api
        .post(repairs, f.good, "{\"list\":\"honour-roll\",\"evidence\":\"x\"}")
        .error(409, "not_listed");
    String repair =
        f.api
            .post(
                repairs,
                f.good,
                "{\"list\":\"judgment-defaulters\",\"evidence\":\"court receipt 2026-12-01\"}")
            .is(201)
            .json()
            .get("id")
            .asText();
    f.api
        .post(repairs, f.good, "{\"list\":\"judgment-defaulters\",\"evidence\":\"again\"}")
        .error(409, "duplicate_repair");
    assertThat(f.api.get("/v1/repairs?state=open", f.operator).json().get("repairs")).hasSize(1);
    f.api
        .post("/v1/repairs/" + repair + "/decision", f.operator, "{\"granted\":false}")
        .error(400, "bad_reason");
    f.api.post("/v1/repairs/" + repair + "/decision", f.operator, "{\"granted\":true}").is(200);
    f.api
        .post("/v1/repairs/" + repair + "/decision", f.operator, "{\"granted\":true}")
        .error(409, "repair_closed");
    f.clock.advance(Duration.ofSeconds(1));
    JsonNode ended = entry(f.api.get(score, f.good).json(), "judgment-defaulters");
    assertThat(ended.get("inEffect").asBoolean()).isFalse();
    assertThat(ended.get("basis").asText()).contains("ended by repair " + repair);
    assertThat(f.api.get(list, f.operator).json().get("entries")).hasSize(1);

    // A public red list: anyone may read it; only subjects who opted in appear by name.
    f.api.put("/v1/subjects/" + Fixture.GOOD + "/publication/honour-roll", f.good).is(200);
    f.api
        .put("/v1/subjects/" + Fixture.GOOD + "/publication/judgment-defaulters", f.good)
        .error(404, "unknown_list");
    JsonNode honour = f.api.get("/v1/lists/honour-roll", null).is(200).json();
    assertThat(honour.get("public").asBoolean()).isTrue();
    assertThat(honour.get("entries")).allSatisfy(e -> assertThat(e.has("subjectRef")).isFalse());
    f.api.get("/v1/lists/nothing", f.operator).error(404, "unknown_list");
  }

  @Test
  void aDecisionIsReplayedExactlyAfterLaterCorrections() {
    JsonNode decision =
        f.api
            .post("/v1/decisions", f.airline, Fixture.decision(Fixture.DEFAULTER, "air_travel"))
            .is(200)
            .json();
    assertThat(decision.get("outcome").asText()).isEqualTo("deny");
    String replay =
        "/v1/decisions/" + decision.get("id").asText() + "/replay?subject=" + Fixture.DEFAULTER;
    f.clock.advance(Duration.ofHours(1));
    f.api
        .post(
            "/v1/records",
            f.court,
            "[{\"id\":\"jd-1-x\",\"subject\":\""
                + Fixture.DEFAULTER
                + "\",\"type\":\"court.judgment_defaulter\",\"occurred\":\"2026-03-01\","
                + "\"retracts\":\"jd-1\"}]")
        .is(200);
    f.clock.advance(Duration.ofHours(1));
    JsonNode r = f.api.get(replay, f.airline).is(200).json();
    assertThat(r.get("reproduced").asBoolean()).isTrue();
    assertThat(r.at("/original/outcome").asText()).isEqualTo("deny");
    assertThat(r.at("/withTodaysKnowledge/outcome").asText()).isEqualTo("allow");
    assertThat(r.at("/today/outcome").asText()).isEqualTo("allow");
    f.api.get(replay, f.defaulter).is(200);
    f.api.get(replay, f.landlord).error(404, "unknown_decision");
    f.api.get(replay, f.good).error(403, "not_your_subject");
    f.api
        .get("/v1/decisions/" + decision.get("id").asText() + "/replay", f.airline)
        .error(400, "bad_request");
  }

  @Test
  void aDeadlineThatPassedWhileTheServerWasDownIsHonouredAtStart() throws Exception {
    String id =
        f.api
            .post("/v1/disputes", f.good, open(Fixture.GOOD, "city-utilities/bill-8", "not mine"))
            .is(201)
            .json()
            .get("id")
            .asText();
    f.close();
    MutableClock later = new MutableClock(Fixture.START.plus(Duration.ofDays(40)));
    try (CredoServer again =
        CredoServer.start(Fixture.config(dir), Store.openFolder(dir, true), true, dir, later)) {
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (again.disputes().get(id).orElseThrow().state()
              != org.credo.disputes.DisputeState.EXPIRED
          && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(again.disputes().get(id).orElseThrow().state())
          .isEqualTo(org.credo.disputes.DisputeState.EXPIRED);
    }
  }
}
