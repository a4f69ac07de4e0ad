package org.credo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.credo.server.CredoServer;
import org.credo.server.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Many processes, one store": a running server reflects, within two seconds and without a restart,
 * what CLI commands write to its store beside it — each command opens the store on its own, as
 * another process does. On SQLite and on PostgreSQL.
 */
class ManyProcessesOneStoreTest {
  static final String SUBJECT = "person:371082198506120049";
  static final Duration WITHIN = Duration.ofSeconds(2);
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();

  record Run(int exit, String out, String err) {}

  /** The server's clock and the CLI's: one clock, as on one machine. */
  static final class MovableClock extends Clock {
    private volatile Instant now;

    MovableClock(Instant start) {
      now = start;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @TempDir Path dir;

  @Test
  void sqlite() throws Exception {
    walk(Map.of());
  }

  @Test
  void postgres() throws Exception {
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
      String url = pg.getJdbcUrl("postgres", "postgres");
      System.setProperty("credo.jdbc.url", url);
      System.setProperty("credo.jdbc.user", "postgres");
      try {
        walk(Map.of("jdbc.url", url, "jdbc.user", "postgres"));
      } finally {
        System.clearProperty("credo.jdbc.url");
        System.clearProperty("credo.jdbc.user");
      }
    }
  }

  void walk(Map<String, String> database) throws Exception {
    Clock before = Credo.clock;
    MovableClock clock = new MovableClock(Instant.parse("2026-11-22T00:00:00Z"));
    Credo.clock = clock;
    try {
      walk(database, clock);
    } finally {
      Credo.clock = before;
    }
  }

  private void walk(Map<String, String> database, MovableClock clock) throws Exception {
    String data = dir.resolve("store").toString();
    Path v1 = Path.of("..", "policies", "rongcheng-style.yaml");
    ok("policy", "activate", v1.toString(), "--data", data);
    ok("source", "add", "city-bank", "--types", "bank", "--data", data);
    String operator = ok("token", "create", "--role", "operator", "--data", data).strip();
    Run second = credo("token", "create", "--role", "operator", "--data", data);
    String revocable = second.out().strip();
    Matcher id = Pattern.compile("token (tok-[0-9a-f]+)").matcher(second.err());
    assertThat(id.find()).as(second.err()).isTrue();
    String bank =
        ok("token", "create", "--role", "provider", "--source", "city-bank", "--data", data)
            .strip();
    importRecord(data, "a1", 1);

    Map<String, String> settings = new HashMap<>(database);
    settings.put("data", data);
    settings.put("port", "0");
    settings.put("scheduler.interval", "PT1H"); // expiries come from the CLI here
    settings.put("shutdown.grace", "PT1S");
    ServerConfig config = ServerConfig.load(Optional.empty(), Map.of(), settings);
    try (CredoServer server = CredoServer.start(config, clock)) {
      String base = "http://127.0.0.1:" + server.port();
      assertThat(score(base, operator)).isEqualTo("rongcheng-style@2 990");

      // An import beside the server: its records reach the server's index.
      importRecord(data, "a2", 2);
      awaitScore(base, operator, "rongcheng-style@2 970");

      // A policy activated from the command line: the server scores with the new version.
      Path v2 = dir.resolve("rongcheng-style-v2.yaml");
      Files.writeString(
          v2,
          Files.readString(v1)
              .replace("version: 2", "version: 3")
              .replace(
                  "\"-10.0 * min(attributes.cycles, 12.0)\"",
                  "\"-20.0 * min(attributes.cycles, 12.0)\""));
      // Simulated first (its own process), then activated resting on that simulation.
      ok("policy", "simulate", v2.toString(), "--data", data);
      ok("policy", "activate", v2.toString(), "--data", data);
      awaitScore(base, operator, "rongcheng-style@3 940");

      // A dispute expired by `credo dispute expire`: the record stops counting in the server.
      String opened =
          ok(
              "dispute",
              "open",
              SUBJECT,
              "city-bank/a2",
              "--statement",
              "I paid this in full.",
              "--data",
              data);
      assertThat(opened).contains("open");
      clock.advance(Duration.ofDays(31));
      assertThat(ok("dispute", "expire", "--data", data)).contains("1 disputes expired");
      awaitScore(base, operator, "rongcheng-style@3 980");

      // A source suspended from the command line: what it submits to the server is held.
      ok("source", "suspend", "city-bank", "--reason", "under review", "--data", data);
      HttpResponse<String> held =
          http(
              "POST",
              base + "/v1/records",
              bank,
              "[{\"id\":\"a3\",\"subject\":\""
                  + SUBJECT
                  + "\",\"type\":\"bank.arrears\",\"occurred\":\"2026-11-01\","
                  + "\"attributes\":{\"cycles\":1}}]");
      assertThat(held.statusCode()).as(held.body()).isEqualTo(200);
      assertThat(score(base, operator)).isEqualTo("rongcheng-style@3 980");
      // … and released by `credo source resume`: the held record counts in the server.
      assertThat(ok("source", "resume", "city-bank", "--data", data)).contains("1 held records");
      awaitScore(base, operator, "rongcheng-style@3 960");

      // A token revoked from the command line: refused although the server had checked it.
      assertThat(get(base, revocable).statusCode()).isEqualTo(200);
      ok("token", "revoke", id.group(1), "--data", data);
      await("the revoked token refused", () -> get(base, revocable).statusCode(), c -> c == 401);
      assertThat(get(base, operator).statusCode()).isEqualTo(200);
    }
  }

  // ---- helpers ----------------------------------------------------------------------------------

  private void importRecord(String data, String id, int cycles) throws Exception {
    Path file =
        Files.writeString(
            dir.resolve(id + ".ndjson"),
            "{\"source\":\"city-bank\",\"id\":\""
                + id
                + "\",\"subject\":\""
                + SUBJECT
                + "\",\"type\":\"bank.arrears\",\"occurred\":\"2026-10-0"
                + cycles
                + "\",\"attributes\":{\"cycles\":"
                + cycles
                + "}}\n");
    assertThat(ok("import", file.toString(), "--data", data)).contains("1 accepted");
  }

  /** {@code policy@version score} of the subject's one score, as the server gives it now. */
  private static String score(String base, String token) throws Exception {
    HttpResponse<String> r = get(base, token);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode s = JSON.readTree(r.body()).get("scores").get(0);
    return s.get("policy").asText()
        + "@"
        + s.get("policyVersion").asInt()
        + " "
        + s.get("score").asLong();
  }

  private static void awaitScore(String base, String token, String expected) throws Exception {
    await("score " + expected, () -> score(base, token), expected::equals);
  }

  interface Probe<T> {
    T get() throws Exception;
  }

  /** Polls until {@code done}, failing when that takes longer than {@link #WITHIN}. */
  private static <T> void await(String what, Probe<T> probe, Predicate<T> done) throws Exception {
    long deadline = System.nanoTime() + WITHIN.toNanos();
    T last = probe.get();
    while (!done.test(last)) {
      assertThat(System.nanoTime())
          .as("%s within %s; the server still says %s", what, WITHIN, last)
          .isLessThan(deadline);
      Thread.sleep(50);
      last = probe.get();
    }
  }

  private static HttpResponse<String> get(String base, String token) throws Exception {
    return http("GET", base + "/v1/subjects/" + SUBJECT + "/score", token, null);
  }

  private static HttpResponse<String> http(String method, String url, String token, String body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token);
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static Run credo(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Credo.run(args, new PrintWriter(out), new PrintWriter(err));
    return new Run(exit, out.toString(), err.toString());
  }

  private static String ok(String... args) {
    Run r = credo(args);
    assertThat(r.exit()).as(String.join(" ", args) + ": " + r.err()).isZero();
    return r.out();
  }
}
