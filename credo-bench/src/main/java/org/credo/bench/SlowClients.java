package org.credo.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What slow clients do to everyone else: measures {@code GET /health} and an authenticated {@code
 * POST /v1/decisions}, one after the other, first with nobody else connected and then while {@code
 * N} connections without a token each send their headers and one byte of a body to {@code POST
 * /v1/certificates/verify} and then nothing (a connection the server cuts is opened again at once,
 * so the attack holds {@code N} connections all along).
 *
 * <pre>
 * java -cp credo-bench.jar org.credo.bench.SlowClients HOST PORT PERSONS.txt AIRLINE_TOKEN \
 *     [CONNECTIONS=2000] [SECONDS=60]
 * </pre>
 */
public final class SlowClients {
  private SlowClients() {}

  public static void main(String[] args) throws Exception {
    String host = args[0];
    int port = Integer.parseInt(args[1]);
    List<String> persons = Files.readAllLines(Path.of(args[2]));
    String token = Files.readString(Path.of(args[3])).strip();
    int connections = args.length > 4 ? Integer.parseInt(args[4]) : 2000;
    int seconds = args.length > 5 ? Integer.parseInt(args[5]) : 60;
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(30))
            .build();
    String base = "http://" + host + ":" + port;

    System.out.println("baseline, nobody else connected:");
    probe(http, base, persons, token, Math.min(seconds, 30));

    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong opened = new AtomicLong();
    AtomicLong cut = new AtomicLong();
    List<Thread> attackers = new ArrayList<>();
    // Each thread holds its share of the connections, reopening any the server closes.
    int threads = 50;
    for (int t = 0; t < threads; t++) {
      int share = connections / threads + (t < connections % threads ? 1 : 0);
      Thread a = new Thread(() -> hold(host, port, share, stop, opened, cut), "slow-" + t);
      a.setDaemon(true);
      a.start();
      attackers.add(a);
    }
    long ready = System.nanoTime() + 30_000_000_000L;
    while (opened.get() < connections && System.nanoTime() < ready) {
      Thread.sleep(50);
    }
    System.out.printf("%n%d slow connections open (without a token):%n", opened.get());
    probe(http, base, persons, token, seconds);
    System.out.printf(
        "slow connections opened %d, cut by the server %d during the run%n",
        opened.get(), cut.get());
    stop.set(true);
  }

  /** Holds {@code n} slow connections until {@code stop}. */
  static void hold(
      String host, int port, int n, AtomicBoolean stop, AtomicLong opened, AtomicLong cut) {
    byte[] head =
        ("POST /v1/certificates/verify HTTP/1.1\r\nHost: "
                + host
                + "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{")
            .getBytes(StandardCharsets.ISO_8859_1);
    Socket[] sockets = new Socket[n];
    while (!stop.get()) {
      for (int i = 0; i < n; i++) {
        Socket s = sockets[i];
        boolean dead = s == null;
        if (!dead) {
          // Alive while a read finds nothing yet; an answer (408) or the end means it was cut.
          try {
            s.setSoTimeout(1);
            s.getInputStream().read();
            dead = true;
          } catch (java.net.SocketTimeoutException e) {
            dead = false;
          } catch (IOException e) {
            dead = true;
          }
          if (dead) {
            cut.incrementAndGet();
            try {
              s.close();
            } catch (IOException e) {
              // already gone
            }
          }
        }
        if (dead && !stop.get()) {
          try {
            Socket fresh = new Socket();
            fresh.connect(new InetSocketAddress(host, port), 10_000);
            OutputStream out = fresh.getOutputStream();
            out.write(head);
            out.flush();
            sockets[i] = fresh;
            opened.incrementAndGet();
          } catch (IOException e) {
            sockets[i] = null;
          }
        }
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        return;
      }
    }
    for (Socket s : sockets) {
      try {
        if (s != null) {
          s.close();
        }
      } catch (IOException e) {
        // closing
      }
    }
  }

  /** Alternates /health and a decision for {@code seconds}; prints percentiles of each. */
  static void probe(HttpClient http, String base, List<String> persons, String token, int seconds)
      throws Exception {
    List<Long> health = new ArrayList<>();
    List<Long> decisions = new ArrayList<>();
    long errors = 0;
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    while (System.nanoTime() < end) {
      long t0 = System.nanoTime();
      HttpResponse<String> h =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/health"))
                  .timeout(Duration.ofSeconds(30))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      health.add(System.nanoTime() - t0);
      String person = persons.get(ThreadLocalRandom.current().nextInt(persons.size()));
      long t1 = System.nanoTime();
      HttpResponse<String> d =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/v1/decisions"))
                  .timeout(Duration.ofSeconds(30))
                  .header("Authorization", "Bearer " + token)
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"subject\":\"" + person + "\",\"purpose\":\"air_travel\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      decisions.add(System.nanoTime() - t1);
      if (h.statusCode() != 200 || d.statusCode() != 200) {
        errors++;
      }
      Thread.sleep(20);
    }
    print("GET /health", health);
    print("POST /v1/decisions", decisions);
    System.out.println("  errors: " + errors);
  }

  static void print(String what, List<Long> nanos) {
    long[] v = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
    System.out.printf(
        Locale.ROOT,
        "  %-20s n=%d  p50 %.2f ms  p99 %.2f ms  max %.2f ms%n",
        what,
        v.length,
        at(v, 0.50) / 1e6,
        at(v, 0.99) / 1e6,
        v.length == 0 ? 0 : v[v.length - 1] / 1e6);
  }

  static long at(long[] sorted, double p) {
    return sorted.length == 0
        ? 0
        : sorted[(int) Math.max(0, Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1))];
  }
}
