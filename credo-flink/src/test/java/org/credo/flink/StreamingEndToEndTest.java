package org.credo.flink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.credo.access.Parties;
import org.credo.access.Party;
import org.credo.access.Role;
import org.credo.access.Tokens;
import org.credo.app.wire.ApiWire;
import org.credo.app.wire.DecisionWire;
import org.credo.decisions.Decider;
import org.credo.engine.Engine;
import org.credo.policy.Policy;
import org.credo.policy.Purpose;
import org.credo.records.Record;
import org.credo.server.CredoServer;
import org.credo.server.ServerConfig;
import org.credo.store.Keys;
import org.credo.store.Store;
import org.credo.subject.SubjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path with real parts: an in-JVM Kafka broker (KRaft), the job on a local MiniCluster at
 * parallelism 2 with exactly-once checkpoints, a real PostgreSQL server as the serving store, and
 * {@code credo serve} in serving mode on it. Every score on {@code credo.scores} (read committed)
 * equals the embedded core's, at its instant and at each checked instant; and {@code POST
 * /v1/decisions} answered from the serving store equals the embedded engine's decision.
 */
class StreamingEndToEndTest {
  @TempDir Path dir;

  @Test
  void kafkaToJobToPostgresToServingModeGivesTheEmbeddedEnginesAnswers() throws Exception {
    Population pop = new Population(3_000, 7);
    try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
        LocalKafka kafka = LocalKafka.start(2)) {
      try (Connection c = postgres.getPostgresDatabase().getConnection();
          Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE credo");
      }
      String url = postgres.getJdbcUrl("postgres", "credo");
      Store store = Store.openPostgres(url, "postgres", "", Keys.generate());

      // credo.policies, then credo.records keyed by each subject's pseudonym.
      List<Map.Entry<String, String>> control = new ArrayList<>();
      for (String c : pop.control()) {
        control.add(Map.entry(Versions.Message.parse(c).key(), c));
      }
      kafka.send(StreamingJob.POLICIES, control);
      List<Map.Entry<String, String>> records = new ArrayList<>();
      for (String line : pop.linesByLearned()) {
        String key = null;
        try {
          var r =
              org.credo.records.RecordJson.parse(
                  line, Optional.empty(), null, ScoringJob.END_OF_TIME);
          key = HexFormat.of().formatHex(store.keys().pseudonym(r.subject()));
        } catch (IllegalArgumentException e) {
          // a line that does not parse goes in unkeyed, and comes out a reject
        }
        records.add(new java.util.AbstractMap.SimpleEntry<>(key, line));
      }
      kafka.send(StreamingJob.RECORDS, records);

      StreamExecutionEnvironment env =
          StreamExecutionEnvironment.getExecutionEnvironment(
              StreamingJob.configuration(Duration.ofSeconds(1), 2));
      StreamingJob.build(
          env,
          new StreamingJob.Kafka(kafka.bootstrap(), "credo-test", true),
          Optional.of(new StreamingJob.Serving(url, "postgres", "")),
          Runs.SETTINGS,
          Duration.ZERO,
          "credo-e2e");
      env.execute("credo streaming e2e");

      var out = kafka.readCommitted(LocalKafka.OUTPUTS);
      long compared = pop.check(out, Runs.INSTANTS);
      assertThat(compared).isGreaterThan(30_000);
      assertThat(out)
          .filteredOn(t -> t.f0.equals(SubjectScoring.REJECTS))
          .hasSize(pop.rejects)
          .allSatisfy(t -> assertThat(t.f2).contains("\"origin\":\"credo.records/"));

      // The serving store holds each subject's latest score, filed by pseudonym.
      long rows =
          store.jdbc().query("SELECT count(*) FROM serving_scores", rs -> rs.getLong(1)).get(0);
      assertThat(rows).isEqualTo(pop.records.size() * 3L);

      // credo serve --serving on that database, at the last instant checked.
      Instant now = Runs.UNTIL;
      Instant t0 = Instant.parse("2020-01-01T00:00:00Z");
      Engine engine = new Engine(store);
      for (var p : pop.definitions.policyYamls().entrySet()) {
        engine.activate(p.getKey(), p.getValue(), t0);
      }
      List<Purpose> purposes = new ArrayList<>();
      Map<Purpose, Policy> policyOf = new java.util.HashMap<>();
      for (Policy p : pop.policies) {
        p.purposes()
            .forEach(
                (purpose, def) -> {
                  if (!def.consentRequired() && policyOf.putIfAbsent(purpose, p) == null) {
                    purposes.add(purpose);
                  }
                });
      }
      new Parties(store.dataSource()).put(new Party("lender", Set.copyOf(purposes), t0));
      String token =
          new Tokens(store, Duration.ofSeconds(10))
              .create(Role.RELYING_PARTY, Optional.of("lender"), Optional.empty(), t0)
              .secret();
      String operator =
          new Tokens(store, Duration.ofSeconds(10))
              .create(Role.OPERATOR, Optional.empty(), Optional.empty(), t0)
              .secret();
      // One subject opts out of being scored: a choice kept in the store, not known to the job.
      SubjectId optedOut = pop.records.keySet().iterator().next();
      store
          .scoringModes()
          .set(
              store.keys().pseudonym(optedOut),
              org.credo.store.ScoringModes.Mode.SCORE_FREE,
              t0,
              "test");
      ServerConfig config =
          ServerConfig.load(
              Optional.empty(),
              Map.of(),
              Map.of(
                  "data", dir.toString(),
                  "port", "0",
                  "serving", "true",
                  "limits.decisions-per-second", "100000",
                  "limits.address-reads-per-second", "100000"));
      try (CredoServer server =
          CredoServer.start(config, store, true, dir, Clock.fixed(now, ZoneOffset.UTC))) {
        HttpClient http = HttpClient.newHttpClient();
        int asked = 0;
        for (var e : pop.records.entrySet()) {
          if (asked >= 200) {
            break;
          }
          SubjectId subject = e.getKey();
          Purpose purpose = purposes.get(asked % purposes.size());
          Policy policy = policyOf.get(purpose);
          asked++;
          String body =
              "{\"subject\":\""
                  + subject
                  + "\",\"purpose\":\""
                  + purpose.name()
                  + "\",\"policy\":\""
                  + policy.id()
                  + "\"}";
          HttpResponse<String> answer =
              http.send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + server.port() + "/v1/decisions"))
                      .header("Authorization", "Bearer " + token)
                      .header("Content-Type", "application/json")
                      .POST(HttpRequest.BodyPublishers.ofString(body))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
          assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
          ObjectNode served = (ObjectNode) ApiWire.MAPPER.readTree(answer.body());
          served.remove(List.of("id", "keyId", "signature"));
          List<Record> held = e.getValue();
          var score = org.credo.dueprocess.DueProcess.score(policy, subject, held, now, now);
          if (subject.equals(optedOut)) {
            score = score.withoutNumber(org.credo.scoring.NoScore.scoreFree());
          }
          var decision = Decider.decide(policy, score, purpose);
          ObjectNode embedded =
              DecisionWire.of(decision, Optional.empty(), Optional.of("lender"), policy.scale(), 0)
                  .tree();
          assertThat(served.toString())
              .as(subject + " " + purpose.name())
              .isEqualTo(embedded.toString());
        }
        // A report in serving mode: the records the job holds, scored by the core as the job does.
        SubjectId one = pop.records.keySet().stream().skip(7).findFirst().orElseThrow();
        HttpResponse<String> report =
            http.send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:"
                                + server.port()
                                + "/v1/subjects/"
                                + one
                                + "/report"))
                    .header("Authorization", "Bearer " + operator)
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(report.statusCode()).as(report.body()).isEqualTo(200);
        var tree = ApiWire.MAPPER.readTree(report.body());
        assertThat(tree.path("records")).hasSize(pop.records.get(one).size());
        List<String> reported = new ArrayList<>();
        tree.path("scores")
            .forEach(
                sc -> reported.add(sc.path("policy").asText() + " " + sc.path("score").asText()));
        List<String> embedded = new ArrayList<>();
        for (Policy p : pop.policies) {
          var sc = org.credo.dueprocess.DueProcess.score(p, one, pop.records.get(one), now, now);
          embedded.add(
              p.id()
                  + " "
                  + (sc.hasNumber()
                      ? ApiWire.MAPPER.valueToTree(org.credo.app.wire.Num.of(sc.value())).asText()
                      : ""));
        }
        assertThat(reported).containsExactlyInAnyOrderElementsOf(embedded);
      }
    }
  }
}
