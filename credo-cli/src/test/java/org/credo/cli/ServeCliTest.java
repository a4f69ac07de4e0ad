package org.credo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code credo party|token|serve|certificate} as an operator and a subject would use them. */
class ServeCliTest {
  static final String SUBJECT = "person:371082198506120049";

  record Run(int exit, String out, String err) {}

  @BeforeAll
  static void fixTheClock() {
    Credo.clock = Clock.fixed(Instant.parse("2026-11-22T00:00:00Z"), ZoneOffset.UTC);
  }

  static Run credo(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Credo.run(args, new PrintWriter(out), new PrintWriter(err));
    return new Run(exit, out.toString(), err.toString());
  }

  static String ok(String... args) {
    Run r = credo(args);
    assertThat(r.exit()).as(r.err()).isZero();
    return r.out();
  }

  static HttpResponse<String> http(String method, String url, String token, String body)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void refusesTokensWithTheWrongScope(@TempDir Path dir) {
    String data = dir.resolve("store").toString();
    assertThat(credo("token", "create", "--role", "king", "--data", data).exit()).isEqualTo(2);
    Run noSource = credo("token", "create", "--role", "provider", "--data", data);
    assertThat(noSource.exit()).isEqualTo(2);
    assertThat(noSource.err()).contains("--source");
    assertThat(
            credo("token", "create", "--role", "subject", "--source", "x", "--data", data).exit())
        .isEqualTo(2);
    assertThat(
            credo("token", "create", "--role", "provider", "--source", "unknown", "--data", data)
                .err())
        .contains("not registered");
    assertThat(
            credo("party", "add", "Bad Party", "--purposes", "air_travel", "--data", data).exit())
        .isEqualTo(2);
  }

  @Test
  void servesTheApiAndVerifiesACertificateOffline(@TempDir Path dir) throws Exception {
    String data = dir.resolve("store").toString();
    ok(
        "policy",
        "activate",
        Path.of("..", "policies", "rongcheng-style.yaml").toString(),
        "--data",
        data);
    ok("source", "add", "court-enforcement", "--types", "court", "--data", data);
    assertThat(ok("party", "add", "airline", "--purposes", "air_travel", "--data", data))
        .contains("party airline may ask about air_travel");
    String provider =
        ok("token", "create", "--role", "provider", "--source", "court-enforcement", "--data", data)
            .strip();
    String airline =
        ok("token", "create", "--role", "relying_party", "--party", "airline", "--data", data)
            .strip();
    String subject =
        ok("token", "create", "--role", "subject", "--subject", SUBJECT, "--data", data).strip();
    assertThat(provider).startsWith("credo_");
    String listed = ok("token", "list", "--data", data);
    assertThat(listed).contains("provider", "court-enforcement", "relying_party", "(a subject)");
    assertThat(listed).doesNotContain(provider).doesNotContain(SUBJECT);

    ServeCommand.stop = new CountDownLatch(1);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CompletableFuture<Integer> serving =
        CompletableFuture.supplyAsync(
            () ->
                Credo.run(
                    new String[] {"serve", "--data", data, "--port", "0"},
                    new PrintWriter(out, true),
                    new PrintWriter(err, true)));
    String base = null;
    for (int i = 0; i < 300 && base == null; i++) {
      Matcher m = Pattern.compile("http://[0-9.]+:[0-9]+").matcher(out.toString());
      if (m.find()) {
        base = m.group();
      } else {
        assertThat(serving).as(err.toString()).isNotDone();
        Thread.sleep(50);
      }
    }
    assertThat(base).as(err.toString()).isNotNull();
    try {
      assertThat(http("GET", base + "/health", null, null).statusCode()).isEqualTo(200);
      HttpResponse<String> records =
          http(
              "POST",
              base + "/v1/records",
              provider,
              "[{\"id\":\"jd-1\",\"subject\":\""
                  + SUBJECT
                  + "\",\"type\":\"court.judgment_defaulter\",\"occurred\":\"2026-03-01\"}]");
      assertThat(records.body()).contains("\"accepted\":1");
      HttpResponse<String> decision =
          http(
              "POST",
              base + "/v1/decisions",
              airline,
              "{\"subject\":\"" + SUBJECT + "\",\"purpose\":\"air_travel\"}");
      // The black-list entry is in its notice period (the subject is told first): no denial yet.
      assertThat(decision.body()).contains("\"outcome\":\"allow\"");
      HttpResponse<String> cert =
          http(
              "POST",
              base + "/v1/subjects/" + SUBJECT + "/certificates",
              subject,
              "{\"claims\":[\"grade >= D\"]}");
      assertThat(cert.statusCode()).as(cert.body()).isEqualTo(201);
      Path certFile = Files.writeString(dir.resolve("cert.json"), cert.body());
      Path keys =
          Files.writeString(
              dir.resolve("keys.json"), http("GET", base + "/v1/keys", null, null).body());

      Run offline = credo("certificate", "verify", certFile.toString(), "--data", data);
      assertThat(offline.exit()).as(offline.err()).isZero();
      assertThat(offline.out()).contains("valid: signed by Credo key", "claim: grade >= D");
      assertThat(
              credo("certificate", "verify", certFile.toString(), "--key", keys.toString()).exit())
          .isZero();

      JsonNode doc = Wire.MAPPER.readTree(cert.body());
      ((com.fasterxml.jackson.databind.node.ObjectNode) doc.get("certificate"))
          .put("subject", "person:370102199001011231");
      Path forged = Files.writeString(dir.resolve("forged.json"), doc.toString());
      Run bad = credo("certificate", "verify", forged.toString(), "--key", keys.toString());
      assertThat(bad.exit()).isEqualTo(1);
      assertThat(bad.err()).contains("bad_signature");
      assertThat(credo("certificate", "verify", certFile.toString()).exit()).isEqualTo(2);
    } finally {
      ServeCommand.stop.countDown();
    }
    assertThat(serving.get()).isZero();
  }

  @Test
  void theDemoServesTheWebUiWithTokensForASubjectAndAnOperator(@TempDir Path dir) throws Exception {
    ServeCommand.stop = new CountDownLatch(1);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CompletableFuture<Integer> serving =
        CompletableFuture.supplyAsync(
            () ->
                Credo.run(
                    new String[] {
                      "demo", "--subjects", "200", "--port", "0", "--data", dir.toString()
                    },
                    new PrintWriter(out, true),
                    new PrintWriter(err, true)));
    Pattern console = Pattern.compile("(http://[0-9.]+:[0-9]+)/console.html#token=(\\S+)");
    Matcher m = console.matcher("");
    for (int i = 0; i < 1200 && !m.find(); i++) {
      assertThat(serving).as(err.toString()).isNotDone();
      Thread.sleep(50);
      m = console.matcher(out.toString());
    }
    try {
      assertThat(m.find(0)).as(out + "\n" + err).isTrue();
      String base = m.group(1);
      String operator = m.group(2);
      Matcher portal =
          Pattern.compile("/portal.html#subject=(\\S+)&token=(\\S+)").matcher(out.toString());
      assertThat(portal.find()).as(out.toString()).isTrue();
      assertThat(http("GET", base + "/portal.html", null, null).body()).contains("<html");
      assertThat(
              http(
                      "GET",
                      base + "/v1/subjects/" + portal.group(1) + "/score",
                      portal.group(2),
                      null)
                  .statusCode())
          .isEqualTo(200);
      assertThat(http("GET", base + "/v1/distribution", operator, null).body())
          .contains("\"histogram\"");
    } finally {
      ServeCommand.stop.countDown();
    }
    assertThat(serving.get()).isZero();
  }
}
