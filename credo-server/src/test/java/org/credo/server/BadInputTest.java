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
}
