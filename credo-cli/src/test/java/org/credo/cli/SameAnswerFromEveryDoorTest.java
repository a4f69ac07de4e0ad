package org.credo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.credo.server.CredoServer;
import org.credo.server.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same question gets the same answer from the CLI and the server: on one store, after a dispute
 * that expired unanswered (the case where they once disagreed, 995 against 1000), every sample
 * subject's score, report and decision are compared between {@code credo score|report|decide
 * --json} and the HTTP API.
 */
class SameAnswerFromEveryDoorTest {
  static final Path RECORDS = Path.of("..", "policies", "samples", "records.ndjson");
  static final List<String> SUBJECTS =
      List.of(
          "org:91110000600037341L",
          "person:110105197803154025",
          "person:370102199001011231",
          "person:371082198506120049",
          "person:44030619920228111X");
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();

  record Run(int exit, String out, String err) {}

  @TempDir Path dir;

  @Test
  void theCliAndTheServerGiveTheSameScoresReportsAndDecisions() throws Exception {
    Clock before = Credo.clock;
    Instant start = Instant.parse("2026-11-22T00:00:00Z");
    try {
      Credo.clock = Clock.fixed(start, ZoneOffset.UTC);
      String data = dir.resolve("store").toString();
      for (String name : List.of("rongcheng-style", "sesame-style", "bureau-style")) {
        ok(
            "policy",
            "activate",
            Path.of("..", "policies", name + ".yaml").toString(),
            "--data",
            data);
      }
      for (String[] s : CredoCliTest.SAMPLE_SOURCES) {
        ok("source", "add", s[0], "--types", s[1], "--data", data);
      }
      ok("import", RECORDS.toString(), "--data", data);
      ok("party", "add", "airline", "--purposes", "air_travel", "--data", data);
      String operator = ok("token", "create", "--role", "operator", "--data", data).strip();
      String airline =
          ok("token", "create", "--role", "relying_party", "--party", "airline", "--data", data)
              .strip();
      // A dispute left unanswered past its deadline: the court record stops counting.
      ok(
          "dispute",
          "open",
          "person:371082198506120049",
          "court-enforcement/2026-jd-0042",
          "--statement",
          "I paid in full",
          "--data",
          data);
      Credo.clock = Clock.fixed(start.plus(Duration.ofDays(31)), ZoneOffset.UTC);
      ok("dispute", "expire", "--data", data);
      // And one still open: every door marks the contribution it disputes.
      ok(
          "dispute",
          "open",
          "person:370102199001011231",
          "city-utilities/bill-a-2026-01",
          "--statement",
          "Not my bill",
          "--data",
          data);

      ServerConfig config =
          ServerConfig.load(
              Optional.empty(),
              Map.of(),
              Map.of("data", data, "port", "0", "scheduler.interval", "PT1H"));
      try (CredoServer server = CredoServer.start(config, Credo.clock)) {
        String base = "http://127.0.0.1:" + server.port();
        for (String s : SUBJECTS) {
          JsonNode overHttp = JSON.readTree(get(base + "/v1/subjects/" + s + "/score", operator));
          JsonNode fromCli = JSON.readTree(ok("score", s, "--json", "--data", data));
          assertThat(fromCli).as(s).isEqualTo(overHttp);

          JsonNode reportHttp =
              JSON.readTree(get(base + "/v1/subjects/" + s + "/report", operator));
          JsonNode reportCli = JSON.readTree(ok("report", s, "--json", "--data", data));
          assertThat(reportCli.get("scores")).as(s).isEqualTo(overHttp.get("scores"));
          assertThat(reportHttp.get("scores")).as(s).isEqualTo(overHttp.get("scores"));
          assertThat(reportCli.get("records")).as(s).isEqualTo(reportHttp.get("records"));

          JsonNode decidedHttp =
              JSON.readTree(
                  post(
                      base + "/v1/decisions",
                      airline,
                      "{\"subject\":\"" + s + "\",\"purpose\":\"air_travel\"}"));
          JsonNode decidedCli =
              JSON.readTree(
                  ok(
                      "decide",
                      s,
                      "--purpose",
                      "air_travel",
                      "--party",
                      "airline",
                      "--json",
                      "--data",
                      data));
          for (String field :
              List.of(
                  "subject",
                  "purpose",
                  "party",
                  "outcome",
                  "reasonCodes",
                  "policy",
                  "policyVersion",
                  "decidedAt",
                  "validUntil",
                  "disclosed")) {
            assertThat(decidedCli.get(field)).as(s + " " + field).isEqualTo(decidedHttp.get(field));
          }
        }
        assertThat(ok("score", "person:370102199001011231", "--data", data))
            .contains("city-utilities/bill-a-2026-01 [disputed]");
        assertThat(get(base + "/v1/subjects/person:370102199001011231/score", operator))
            .contains("\"record\":\"city-utilities/bill-a-2026-01\"")
            .contains("\"disputed\":true");
        // The expired dispute's record counts nowhere: the court's 100 points are not taken.
        JsonNode disputed =
            JSON.readTree(ok("score", "person:371082198506120049", "--json", "--data", data));
        assertThat(disputed.toString()).contains("\"status\":\"retracted\"");
      }
    } finally {
      Credo.clock = before;
    }
  }

  private static String get(String url, String token) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(url + " " + r.body()).isEqualTo(200);
    return r.body();
  }

  private static String post(String url, String token, String body) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(url + " " + r.body()).isEqualTo(200);
    return r.body();
  }

  private static String ok(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Credo.run(args, new PrintWriter(out), new PrintWriter(err));
    assertThat(exit).as(String.join(" ", args) + "\n" + err).isZero();
    return out.toString();
  }
}
