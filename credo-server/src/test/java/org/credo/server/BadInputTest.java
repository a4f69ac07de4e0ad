package org.credo.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.credo.access.Role;
import org.credo.store.Store;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input gets its status and a clear JSON message, and nothing is written. */
class BadInputTest {
  @TempDir static Path dir;
  static Fixture f;
  static Api api;

  @BeforeAll
  static void start() throws Exception {
    f = new Fixture(Store.openFolder(dir, true), dir, Fixture.config(dir));
    api = f.api;
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  static long count(String table) throws Exception {
    try (Connection c = f.server.store().dataSource().getConnection();
        ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void malformedJsonIs400AndWritesNothing() throws Exception {
    long records = count("records");
    long inquiries = count("inquiries");
    api.post("/v1/decisions", f.airline, "{\"subject\": ").error(400, "malformed_json");
    api.post("/v1/decisions", f.airline, "[1,2]").error(400, "bad_request");
    api.post("/v1/records", f.court, "{\"not\":\"an array\"}").error(400, "bad_request");
    api.post("/v1/records", f.court, "[{\"id\":").error(400, "malformed_json");
    api.post("/v1/records", f.court, "[]").error(400, "bad_request");
    api.post(
            "/v1/decisions",
            f.airline,
            "{\"subject\":\"" + Fixture.GOOD + "\",\"purpose\":\"air_travel\",\"extra\":1}")
        .error(400, "bad_request");
    assertThat(count("records")).isEqualTo(records);
    assertThat(count("inquiries")).isEqualTo(inquiries);
  }

  @Test
  void trailingDataDuplicateKeysAndBadBytesAreRefusedNotDropped() throws Exception {
    long records = count("records");
    long inquiries = count("inquiries");
    String one =
        "{\"id\":\"strict-1\",\"subject\":\""
            + Fixture.GOOD
            + "\",\"type\":\"court.judgment_defaulter\",\"occurred\":\"2026-01-01\"}";
    // Two arrays in one body: refused whole, not "the first one".
    JsonNode e =
        api.post("/v1/records", f.court, "[" + one + "][" + one + "]")
            .error(400, "malformed_json")
            .json();
    assertThat(e.get("message").asText())
        .contains("more data after the JSON value")
        .doesNotContain("Feature")
        .doesNotContain("com.fasterxml");
    // A decision body followed by garbage is not decided; a key given twice is refused.
    String decision = "{\"subject\":\"" + Fixture.GOOD + "\",\"purpose\":\"air_travel\"}";
    api.post("/v1/decisions", f.airline, decision + " garbage").error(400, "malformed_json");
    api.post(
            "/v1/decisions",
            f.airline,
            "{\"subject\":\""
                + Fixture.GOOD
                + "\",\"subject\":\""
                + Fixture.GOOD
                + "\",\"purpose\":\"air_travel\"}")
        .error(400, "malformed_json");
    // Nested too deeply: told without Jackson's internals.
    JsonNode deep =
        api.post("/v1/decisions", f.airline, "[".repeat(3000) + "]".repeat(3000))
            .error(400, "malformed_json")
            .json();
    assertThat(deep.get("message").asText()).doesNotContain("StreamReadConstraints");
    // NDJSON: two objects on one line, and a line that is not UTF-8, are refused records, each
    // in its place; nothing is stored with U+FFFD in it.
    java.io.ByteArrayOutputStream nd = new java.io.ByteArrayOutputStream();
    nd.write(
        (one.replace("strict-1", "strict-2") + " " + one.replace("strict-1", "strict-3") + "\n")
            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    nd.write(one.replace("strict-1", "strict-4").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    nd.write(new byte[] {(byte) 0xff, '\n'});
    JsonNode r =
        api.post("/v1/records", f.court, "application/x-ndjson", nd.toByteArray()).is(200).json();
    assertThat(r.at("/summary/records").asInt()).isEqualTo(2);
    assertThat(r.at("/summary/rejected").asInt()).isEqualTo(2);
    assertThat(r.at("/records/0/reason").asText()).contains("more data after the JSON value");
    assertThat(r.at("/records/1/reason").asText()).contains("not UTF-8");
    assertThat(count("records")).isEqualTo(records);
    assertThat(count("inquiries")).isEqualTo(inquiries);
  }

  @Test
  void refusedAccessIsOnTheRecordAndTheSubjectSeesIt() throws Exception {
    String path = "/v1/subjects/" + Fixture.GOOD + "/score";
    api.get(path, "credo_forgedforgedforgedforgedforgedforgedforg").error(401, "unauthenticated");
    api.get(path, f.airline).error(403, "forbidden_role");
    // The entries are written after the answer: give the writer a moment.
    java.util.List<String> denied = new java.util.ArrayList<>();
    for (int i = 0; i < 50 && denied.size() < 2; i++) {
      Thread.sleep(20);
      denied.clear();
      f.server.auditLog().entries(1, 100_000).stream()
          .filter(x -> x.entry().action().equals("access.denied"))
          .forEach(x -> denied.add(x.entry().actor() + " " + x.entry().detail()));
    }
    assertThat(denied)
        .anyMatch(
            d ->
                d.startsWith("unknown-token:")
                    && d.contains("GET /v1/subjects/{subject}/score 401 unauthenticated from "))
        .anyMatch(d -> d.startsWith("relying_party:") && d.contains("403 forbidden_role"));
    // About the subject named in the path: the subject sees the attempts in its audit trail.
    JsonNode trail =
        api.get("/v1/subjects/" + Fixture.GOOD + "/audit?limit=1000", f.auditor).is(200).json();
    assertThat(trail.get("entries").toString()).contains("access.denied");
  }

  @Test
  void wrongContentTypesAre415() {
    api.post("/v1/decisions", f.airline, "text/plain", Fixture.decision(Fixture.GOOD, "air_travel"))
        .error(415, "unsupported_media_type");
    api.post("/v1/decisions", f.airline, null, Fixture.decision(Fixture.GOOD, "air_travel"))
        .error(415, "unsupported_media_type");
    api.post("/v1/records", f.court, "text/csv", "id,subject\n1,2\n")
        .error(415, "unsupported_media_type");
    api.post("/v1/certificates/verify", null, "application/xml", "<cert/>")
        .error(415, "unsupported_media_type");
  }

  @Test
  void oversizedBodiesAre413AndWriteNothing() throws Exception {
    long records = count("records");
    byte[] big = new byte[2 * 1024 * 1024];
    Arrays.fill(big, (byte) ' ');
    big[0] = '[';
    big[big.length - 1] = ']';
    api.post("/v1/records", f.court, "application/json", big).error(413, "body_too_large");
    assertThat(count("records")).isEqualTo(records);
  }

  @Test
  void aDecisionNeverTellsWhetherCredoHoldsAnythingAboutASubject() {
    org.credo.subject.SubjectId who = org.credo.subject.SubjectId.parse(Fixture.STRANGER);
    int before = f.server.inquiries().list(who, 100).size();
    JsonNode stranger =
        api.post("/v1/decisions", f.airline, Fixture.decision(Fixture.STRANGER, "air_travel"))
            .is(200)
            .json();
    // The same kind of answer as any subject the purpose finds nothing against, logged.
    assertThat(stranger.get("outcome").asText()).isEqualTo("allow");
    assertThat(stranger.has("signature")).isTrue();
    assertThat(f.server.inquiries().list(who, 100)).hasSize(before + 1);
  }

  @Test
  void unknownSubjectsAre404ToThemselvesAndTheOperator() {
    api.get("/v1/subjects/" + Fixture.STRANGER + "/score", f.operator)
        .error(404, "unknown_subject");
    api.get("/v1/subjects/" + Fixture.STRANGER + "/report", f.operator)
        .error(404, "unknown_subject");
  }

  @Test
  void unknownPurposesAreRefused() {
    // Activation refuses a purpose two policies declare, so ambiguous_purpose is not reachable
    // from an engine-activated store like the fixture's.
    api.post("/v1/decisions", f.airline, Fixture.decision(Fixture.GOOD, "Air Travel!"))
        .error(400, "unknown_purpose");
    api.post(
            "/v1/decisions",
            f.lender,
            "{\"subject\":\"" + Fixture.GOOD + "\",\"purpose\":\"lending\",\"policy\":\"nope\"}")
        .error(400, "unknown_purpose");
    api.post(
            "/v1/decisions",
            f.lender,
            "{\"subject\":\""
                + Fixture.GOOD
                + "\",\"purpose\":\"lending\",\"policy\":\"rongcheng-style\"}")
        .error(400, "unknown_purpose");
  }

  @Test
  void traversalAndInjectionInIdsAre400() {
    for (String bad :
        new String[] {
          "..",
          "person:..",
          "person:..%2F..%2Fetc%2Fpasswd",
          "person:1'%20OR%20'1'%3D'1",
          "person:%3Cscript%3E",
          "org:DROP%20TABLE%20records",
          "person:~0123456789abcdef0123456789abcdef"
        }) {
      Api.Response r = api.get("/v1/subjects/" + bad + "/score", f.operator);
      assertThat(r.status()).as(bad + ": " + r.body()).isIn(400, 404);
      assertThat(r.json().get("error").asText())
          .as(bad)
          .isIn("bad_subject", "bad_request", "not_found");
      assertThat(r.body()).doesNotContain("Exception");
    }
    api.delete("/v1/subjects/" + Fixture.GOOD + "/consents/..%2F..%2Fx", f.good)
        .error(400, "bad_request");
    api.delete("/v1/subjects/" + Fixture.GOOD + "/consents/con-1'%20OR%201=1", f.good)
        .error(400, "bad_request");
  }

  @Test
  void missingForgedExpiredAndRevokedTokensAre401() {
    String path = "/v1/subjects/" + Fixture.GOOD + "/score";
    api.get(path, null).error(401, "unauthenticated");
    api.get(path, "credo_forgedforgedforgedforgedforgedforgedforg").error(401, "unauthenticated");
    api.get(path, "not-even-a-credo-token").error(401, "unauthenticated");
    var tokens = f.server.tokens();
    String soon =
        tokens
            .create(
                Role.OPERATOR,
                Optional.empty(),
                Optional.of(Fixture.START.plus(Duration.ofMinutes(5))),
                Fixture.START)
            .secret();
    api.get(path, soon).is(200);
    f.clock.advance(Duration.ofMinutes(10));
    JsonNode e = api.get(path, soon).error(401, "unauthenticated").json();
    assertThat(e.get("message").asText()).contains("expired");
    var issued = tokens.create(Role.OPERATOR, Optional.empty(), Optional.empty(), Instant.EPOCH);
    api.get(path, issued.secret()).is(200);
    tokens.revoke(issued.id(), f.clock.instant());
    api.get(path, issued.secret()).error(401, "unauthenticated");
  }

  @Test
  void forgedAndMalformedCertificatesAreNotValid() {
    api.post("/v1/certificates/verify", null, "[]").error(400, "bad_request");
    JsonNode r =
        api.post(
                "/v1/certificates/verify",
                null,
                "{\"certificate\":{\"format\":\"credo-certificate/1\",\"id\":\"cert-1\","
                    + "\"keyId\":\"0000000000000000\",\"subject\":\""
                    + Fixture.GOOD
                    + "\","
                    + "\"claims\":[\"grade >= AAA\"],\"issuedAt\":\"2026-01-01T00:00:00Z\","
                    + "\"validFrom\":\"2026-01-01T00:00:00Z\",\"validUntil\":\"2099-01-01T00:00:00Z\"},"
                    + "\"signature\":\"AAAA\"}")
            .is(200)
            .json();
    assertThat(r.get("valid").asBoolean()).isFalse();
    assertThat(r.get("reason").asText()).isEqualTo("unknown_issuer_key");
    api.post(
            "/v1/subjects/" + Fixture.GOOD + "/certificates",
            f.good,
            "{\"claims\":[\"my friends are nice\"]}")
        .error(400, "bad_request");
    api.post(
            "/v1/subjects/" + Fixture.GOOD + "/certificates",
            f.good,
            "{\"claims\":[\"grade >= Z\"],\"policy\":\"rongcheng-style\"}")
        .error(400, "bad_request");
    api.post(
            "/v1/subjects/" + Fixture.GOOD + "/certificates",
            f.good,
            "{\"claims\":[\"grade >= A\"]}")
        .error(400, "bad_request");
    api.post(
            "/v1/subjects/" + Fixture.GOOD + "/certificates",
            f.good,
            "{\"claims\":[\"not on any black list\"],\"validFor\":\"P400D\"}")
        .error(400, "bad_request");
  }

  @Test
  void unknownRoutesAndMethodsAnswerJson() {
    api.get("/v1/nothing-here", f.operator).error(404, "not_found");
    api.send("PUT", "/v1/decisions", f.airline, "{}").error(405, "method_not_allowed");
  }

  @Test
  void rateLimitsDecisionsAndReportsPerToken(@TempDir Path other) throws Exception {
    ServerConfig tight =
        ServerConfig.load(
            Optional.empty(),
            Map.of(),
            Map.of(
                "data", other.toString(),
                "port", "0",
                "limits.decisions-per-second", "3",
                "limits.reports-per-minute", "2"));
    try (Fixture g = new Fixture(Store.openFolder(other, true), other, tight)) {
      int limited = 0;
      for (int i = 0; i < 10; i++) {
        Api.Response r =
            g.api.post("/v1/decisions", g.airline, Fixture.decision(Fixture.GOOD, "air_travel"));
        if (r.status() == 429) {
          r.error(429, "rate_limited");
          assertThat(r.raw().headers().firstValue("Retry-After")).isPresent();
          limited++;
        }
      }
      assertThat(limited).isGreaterThanOrEqualTo(5);
      g.api.get("/v1/subjects/" + Fixture.GOOD + "/report", g.good).is(200);
      g.api.get("/v1/subjects/" + Fixture.GOOD + "/score", g.good).is(200);
      g.api.get("/v1/subjects/" + Fixture.GOOD + "/report", g.good).error(429, "rate_limited");
      g.api.get("/v1/subjects/" + Fixture.GOOD + "/report", g.operator).is(200);
    }
  }

  @Test
  void everyRouteThatReadsSubjectDataIsLimitedPerTokenAndPerAddress(@TempDir Path other)
      throws Exception {
    ServerConfig perToken =
        ServerConfig.load(
            Optional.empty(),
            Map.of(),
            Map.of(
                "data", other.resolve("a").toString(),
                "port", "0",
                "limits.subject-reads-per-minute", "3"));
    try (Fixture g =
        new Fixture(Store.openFolder(other.resolve("a"), true), other.resolve("a"), perToken)) {
      String audit = "/v1/subjects/" + Fixture.GOOD + "/audit";
      for (int i = 0; i < 3; i++) {
        g.api.get(audit, g.good).is(200);
      }
      Api.Response r = g.api.get(audit, g.good);
      r.error(429, "rate_limited");
      assertThat(r.json().get("message").asText()).contains("reads of subject data a minute");
      // Replay counts too, before the decision id is even looked at; another token has its own.
      String replay = "/v1/decisions/dec-0000000000000000/replay?subject=" + Fixture.GOOD;
      for (int i = 0; i < 3; i++) {
        g.api.get(replay, g.airline).error(404, "unknown_decision");
      }
      g.api.get(replay, g.airline).error(429, "rate_limited");
      g.api.get("/v1/subjects/" + Fixture.GOOD + "/score", g.operator).is(200);
    }
    ServerConfig perAddress =
        ServerConfig.load(
            Optional.empty(),
            Map.of(),
            Map.of(
                "data", other.resolve("b").toString(),
                "port", "0",
                "limits.address-reads-per-second", "2"));
    try (Fixture g =
        new Fixture(Store.openFolder(other.resolve("b"), true), other.resolve("b"), perAddress)) {
      int limited = 0;
      for (int i = 0; i < 6; i++) {
        // Each request carries another made-up token: the address is counted before any token.
        Api.Response r =
            g.api.post(
                "/v1/decisions",
                i % 2 == 0 ? g.airline : "credo_x" + i + "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
                Fixture.decision(Fixture.GOOD, "air_travel"));
        if (r.status() == 429) {
          assertThat(r.json().get("message").asText()).contains("from one address");
          limited++;
        }
      }
      assertThat(limited).isGreaterThanOrEqualTo(3);
      g.api.get("/v1/keys", null).is(200);
    }
  }

  @Test
  void anAddressThatKeepsGettingRefusedIsSlowedDown(@TempDir Path other) throws Exception {
    ServerConfig tight =
        ServerConfig.load(
            Optional.empty(),
            Map.of(),
            Map.of(
                "data", other.toString(),
                "port", "0",
                "limits.refused-per-minute", "3"));
    try (Fixture g = new Fixture(Store.openFolder(other, true), other, tight)) {
      String path = "/v1/subjects/" + Fixture.GOOD + "/score";
      for (int i = 0; i < 3; i++) {
        g.api
            .get(path, "credo_guess" + i + "guessguessguessguessguessguessgu")
            .error(401, "unauthenticated");
      }
      // The budget is spent: the next request from this address waits, whatever it carries.
      Api.Response r = g.api.get(path, g.operator);
      r.error(429, "rate_limited");
      assertThat(r.raw().headers().firstValue("Retry-After")).isPresent();
      assertThat(r.json().get("message").asText()).contains("refused requests from this address");
      // Routes open to anyone still answer.
      g.api.get("/v1/keys", null).is(200);
    }
  }
}
