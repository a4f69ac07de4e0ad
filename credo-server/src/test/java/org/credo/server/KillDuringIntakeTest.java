package org.credo.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.credo.access.Role;
import org.credo.access.Tokens;
import org.credo.audit.AuditLog;
import org.credo.audit.Verification;
import org.credo.engine.Engine;
import org.credo.records.SourceId;
import org.credo.store.SourceRegistration;
import org.credo.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a real server process with SIGKILL while clients submit records to it over HTTP, several
 * times, restarting it in between; the clients send again what was in flight (as a provider would
 * after a lost answer). Afterwards every record the server acknowledged (200, accepted or
 * duplicate) is stored exactly once, no record is stored twice, a resent batch is never a conflict,
 * and the audit chain verifies. {@code -Dcredo.kill.runs=N} sets the number of kills (3 here; 20
 * for the figure in BENCHMARKS.md).
 */
class KillDuringIntakeTest {
  static final int CLIENTS = 6;
  static final int BATCH = 25;

  @TempDir Path temp;

  @Test
  void everyAcknowledgedRecordIsStoredExactlyOnceAndTheAuditChainVerifies() throws Exception {
    int runs = Integer.getInteger("credo.kill.runs", 3);
    Path dir = temp.resolve("store");
    String token;
    try (Store store = Store.openFolder(dir, true)) {
      Instant t0 = Instant.now().minusSeconds(60);
      store
          .sources()
          .put(new SourceRegistration(SourceId.of("traffic-police"), List.of("traffic."), t0));
      Path policy = Path.of("..", "policies", "rongcheng-style.yaml");
      new Engine(store).activate(policy.toString(), Files.readString(policy), t0);
      token =
          new Tokens(store, Duration.ofSeconds(10))
              .create(Role.PROVIDER, Optional.of("traffic-police"), Optional.empty(), t0)
              .secret();
    }
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    // What each client has in flight (sent, no answer yet): sent again after the restart.
    Map<Integer, String> inFlight = new ConcurrentHashMap<>();
    AtomicLong conflicts = new AtomicLong();
    AtomicLong next = new AtomicLong();
    for (int run = 0; run < runs; run++) {
      Process child = startServer(dir);
      int port = port(child);
      AtomicBoolean stop = new AtomicBoolean();
      List<Thread> clients = new ArrayList<>();
      AtomicLong answered = new AtomicLong();
      for (int c = 0; c < CLIENTS; c++) {
        int client = c;
        Thread t =
            new Thread(
                () ->
                    submit(
                        port,
                        token,
                        client,
                        inFlight,
                        acknowledged,
                        conflicts,
                        next,
                        answered,
                        stop));
        t.start();
        clients.add(t);
      }
      // Let the clients get going, then kill in the middle of their traffic.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (answered.get() < 20 + run % 5 * 7 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      Thread.sleep(100 + 37L * run % 300);
      child.destroyForcibly(); // SIGKILL: no shutdown hook, no clean close
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      stop.set(true);
      for (Thread t : clients) {
        t.join(30_000);
      }
      assertThat(answered.get()).as("the server answered before it was killed").isPositive();
    }
    // One last start: what was in flight when the last kill came is sent again, then checked.
    Process child = startServer(dir);
    int port = port(child);
    AtomicLong answered = new AtomicLong();
    for (Map.Entry<Integer, String> e : inFlight.entrySet()) {
      resend(port, token, e.getValue(), acknowledged, conflicts, answered);
    }
    child.destroyForcibly();
    child.waitFor(30, TimeUnit.SECONDS);

    assertThat(conflicts.get()).as("a batch sent again is never a conflict").isZero();
    try (Store store = Store.openFolder(dir, false)) {
      Map<String, Integer> stored = new HashMap<>();
      store.forEachRecord(r -> stored.merge(r.source() + "/" + r.id(), 1, Integer::sum));
      assertThat(stored.values()).as("no record stored twice").allMatch(n -> n == 1);
      List<String> lost =
          acknowledged.stream().filter(id -> !stored.containsKey("traffic-police/" + id)).toList();
      assertThat(lost).as("acknowledged records lost").isEmpty();
      assertThat(acknowledged).hasSizeGreaterThan(runs * 20);
      Verification v = AuditLog.verify(store, Optional.empty());
      assertThat(v.ok()).as(v.toString()).isTrue();
      System.out.printf(
          "kill -9 under HTTP intake: %d runs, %d records acknowledged, %d stored, lost 0,"
              + " duplicated 0, audit entries %d verified%n",
          runs, acknowledged.size(), stored.size(), v.entries());
    }
  }

  static Process startServer(Path dir) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(
            java,
            "-Xmx512m",
            "-cp",
            System.getProperty("java.class.path"),
            ServerChild.class.getName(),
            dir.toString())
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
  }

  static int port(Process child) throws Exception {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    for (String line; (line = out.readLine()) != null; ) {
      if (line.startsWith("PORT ")) {
        return Integer.parseInt(line.substring(5));
      }
    }
    throw new AssertionError("the server process ended before it served");
  }

  static String batch(int client, long n) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < BATCH; i++) {
      if (i > 0) {
        b.append(',');
      }
      b.append("{\"id\":\"k")
          .append(client)
          .append('-')
          .append(n)
          .append('-')
          .append(i)
          .append("\",\"subject\":\"person:P-")
          .append((n * BATCH + i) % 997)
          .append("\",\"type\":\"traffic.red_light\",\"occurred\":\"2026-0")
          .append(1 + i % 9)
          .append("-1")
          .append(i % 10)
          .append("\"}");
    }
    return b.append(']').toString();
  }

  static void submit(
      int port,
      String token,
      int client,
      Map<Integer, String> inFlight,
      Set<String> acknowledged,
      AtomicLong conflicts,
      AtomicLong next,
      AtomicLong answered,
      AtomicBoolean stop) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    while (!stop.get()) {
      // First what was in flight when the server died, then new batches.
      String body = inFlight.computeIfAbsent(client, c -> batch(c, next.incrementAndGet()));
      if (!send(http, port, token, body, acknowledged, conflicts, answered)) {
        return; // the server is gone: the batch stays in flight for the next start
      }
      inFlight.remove(client);
    }
  }

  static void resend(
      int port,
      String token,
      String body,
      Set<String> acknowledged,
      AtomicLong conflicts,
      AtomicLong answered) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    assertThat(send(http, port, token, body, acknowledged, conflicts, answered)).isTrue();
  }

  /** Sends one batch; false when no answer came (the server died). */
  static boolean send(
      HttpClient http,
      int port,
      String token,
      String body,
      Set<String> acknowledged,
      AtomicLong conflicts,
      AtomicLong answered) {
    HttpResponse<String> r;
    try {
      r =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/records"))
                  .timeout(Duration.ofSeconds(10))
                  .header("Authorization", "Bearer " + token)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    try {
      JsonNode answer = Api.JSON.readTree(r.body());
      for (JsonNode fate : answer.get("records")) {
        String status = fate.get("status").asText();
        if (status.equals("accepted") || status.equals("duplicate")) {
          acknowledged.add(fate.get("id").asText());
        } else {
          conflicts.incrementAndGet();
        }
      }
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
    answered.incrementAndGet();
    return true;
  }
}
