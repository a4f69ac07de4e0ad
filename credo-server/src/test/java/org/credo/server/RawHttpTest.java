package org.credo.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.credo.store.Store;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the web server answers before any route runs — raw requests a client library would not send
 * — and slow clients that try to hold its threads.
 */
class RawHttpTest {
  @TempDir static Path dir;
  static Fixture f;

  @BeforeAll
  static void start() throws Exception {
    f = new Fixture(Store.openFolder(dir, true), dir, Fixture.config(dir));
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  /** Sends raw bytes and reads the whole answer (the server closes after an error). */
  static String raw(String request) throws Exception {
    try (Socket s = new Socket("127.0.0.1", f.server.port())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      int n;
      try {
        while ((n = in.read(buf)) > 0) {
          got.write(buf, 0, n);
          String sofar = got.toString(StandardCharsets.UTF_8);
          if (sofar.contains("\r\n\r\n") && sofar.trim().endsWith("}")) {
            break;
          }
        }
      } catch (java.net.SocketException e) {
        // reset after the answer: what was read is the answer
      }
      return got.toString(StandardCharsets.UTF_8);
    }
  }

  @Test
  void errorsTheWebServerWritesItselfAreJson() throws Exception {
    String longUri = raw("GET /v1/" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
    assertThat(longUri)
        .startsWith("HTTP/1.1 414")
        .contains("application/json")
        .contains("\"error\":\"uri_too_long\"");
    String bigHeader =
        raw("GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n");
    assertThat(bigHeader).startsWith("HTTP/1.1 431").contains("\"error\":\"headers_too_large\"");
    String badLine = raw("GET /health HTTP/1.1 extra\r\nHost: x\r\n\r\n");
    assertThat(badLine).startsWith("HTTP/1.1 400").contains("\"error\":").doesNotContain("<html");
    String badFraming =
        raw(
            "POST /v1/decisions HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\nabcde");
    assertThat(badFraming).startsWith("HTTP/1.1 400").doesNotContain("<html");
  }

  /** Slow connections at once: as many as the issue names (2 000), on loopback. */
  static final int SLOW = 2_000;

  @Test
  void slowClientsWithoutATokenDoNotStallTheServer() throws Exception {
    // Each sends its headers and one byte of a 1 000-byte body, then nothing.
    List<Socket> slow = new ArrayList<>();
    try {
      for (int i = 0; i < SLOW; i++) {
        Socket s = new Socket("127.0.0.1", f.server.port());
        s.getOutputStream()
            .write(
                ("POST /v1/certificates/verify HTTP/1.1\r\nHost: x\r\nContent-Type:"
                        + " application/json\r\nContent-Length: 1000\r\n\r\n{")
                    .getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
        slow.add(s);
      }
      Thread.sleep(500);
      HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      long worst = 0;
      for (int i = 0; i < 5; i++) {
        long t0 = System.nanoTime();
        HttpResponse<String> health =
            client.send(
                HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + f.server.port() + "/health"))
                    .timeout(Duration.ofSeconds(20))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        worst = Math.max(worst, System.nanoTime() - t0);
        assertThat(health.statusCode()).isEqualTo(200);
      }
      assertThat(Duration.ofNanos(worst)).isLessThan(Duration.ofSeconds(1));
    } finally {
      for (Socket s : slow) {
        s.close();
      }
    }
  }

  @Test
  void metricsNameTheRouteTemplateNeverThePath() {
    f.api.post("/v1/decisions", f.airline, Fixture.decision(Fixture.GOOD, "air_travel")).is(200);
    f.api.get("/v1/subjects/" + Fixture.GOOD + "/score", f.operator).is(200);
    String metrics = f.api.get("/metrics", null).is(200).body();
    assertThat(metrics)
        .contains("route=\"/v1/decisions\"")
        .contains("route=\"/v1/subjects/{subject}/score\"")
        .doesNotContain("route=\"*\"")
        .doesNotContain(Fixture.GOOD);
  }
}
