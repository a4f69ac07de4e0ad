package org.credo.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A load generator for the HTTP API, with the JDK's HttpClient: closed loop, one request in flight
 * per connection thread, latencies of every request kept and sorted at the end.
 *
 * <pre>
 * java -cp credo-bench.jar org.credo.bench.ApiLoad decisions URL TOKEN POPULATION.ndjson PURPOSE \
 *     [--threads N] [--warmup S] [--seconds S]
 * java -cp credo-bench.jar org.credo.bench.ApiLoad records URL TOKENS.txt RECORDS.ndjson \
 *     [--batch 1000] [--max-records N]
 * </pre>
 *
 * In {@code records} mode TOKENS.txt has one {@code source token} pair a line; each source's
 * records go in file order, in batches, on one thread per source (corrections must follow what they
 * correct). The client shares the machine with the server: on two cores its own CPU use lowers what
 * the server can reach.
 */
public final class ApiLoad {
  private static final Pattern SUBJECT = Pattern.compile("\"subject\"\\s*:\\s*\"([^\"]+)\"");
  private static final Pattern SOURCE = Pattern.compile("\"source\"\\s*:\\s*\"([^\"]+)\"");

  public static void main(String[] args) throws Exception {
    if (args.length < 4) {
      System.err.println("usage: see the class comment");
      System.exit(2);
    }
    Map<String, String> opts = options(args);
    if (args[0].equals("decisions")) {
      decisions(args[1], args[2], Path.of(args[3]), args[4], opts);
    } else if (args[0].equals("records")) {
      records(args[1], Path.of(args[2]), Path.of(args[3]), opts);
    } else {
      System.err.println("mode must be decisions or records");
      System.exit(2);
    }
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].startsWith("--")) {
        out.put(args[i].substring(2), args[i + 1]);
      }
    }
    return out;
  }

  static void decisions(
      String url, String token, Path population, String purpose, Map<String, String> opts)
      throws Exception {
    int threads = Integer.parseInt(opts.getOrDefault("threads", "32"));
    int warmup = Integer.parseInt(opts.getOrDefault("warmup", "10"));
    int seconds = Integer.parseInt(opts.getOrDefault("seconds", "30"));
    String[] subjects = subjects(population);
    System.out.printf(Locale.ROOT, "%,d persons in %s%n", subjects.length, population);
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    URI uri = URI.create(url + "/v1/decisions");
    Recorder recorder = new Recorder();
    long measureFrom = System.nanoTime() + warmup * 1_000_000_000L;
    long end = measureFrom + seconds * 1_000_000_000L;
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread w =
          new Thread(
              () -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                long[] mine = new long[1 << 20];
                int n = 0;
                while (true) {
                  long start = System.nanoTime();
                  if (start >= end) {
                    break;
                  }
                  String subject = subjects[random.nextInt(subjects.length)];
                  HttpRequest request =
                      HttpRequest.newBuilder(uri)
                          .header("Authorization", "Bearer " + token)
                          .header("Content-Type", "application/json")
                          .POST(
                              HttpRequest.BodyPublishers.ofString(
                                  "{\"subject\":\""
                                      + subject
                                      + "\",\"purpose\":\""
                                      + purpose
                                      + "\"}"))
                          .build();
                  int status;
                  try {
                    status =
                        client.send(request, HttpResponse.BodyHandlers.ofByteArray()).statusCode();
                  } catch (IOException e) {
                    status = -1;
                  } catch (InterruptedException e) {
                    return;
                  }
                  long done = System.nanoTime();
                  if (start >= measureFrom) {
                    recorder.status(status);
                    if (n == mine.length) {
                      recorder.add(mine, n);
                      n = 0;
                    }
                    mine[n++] = done - start;
                  }
                }
                recorder.add(mine, n);
              },
              "load-" + t);
      w.start();
      workers.add(w);
    }
    for (Thread w : workers) {
      w.join();
    }
    recorder.print("POST /v1/decisions", seconds, 1);
  }

  static void records(String url, Path tokensFile, Path file, Map<String, String> opts)
      throws Exception {
    int batch = Integer.parseInt(opts.getOrDefault("batch", "1000"));
    long max = Long.parseLong(opts.getOrDefault("max-records", "1000000"));
    Map<String, String> tokens = new LinkedHashMap<>();
    for (String line : Files.readAllLines(tokensFile)) {
      String[] parts = line.strip().split("\\s+");
      if (parts.length == 2) {
        tokens.put(parts[0], parts[1]);
      }
    }
    Map<String, List<String>> bySource = new LinkedHashMap<>();
    long total = 0;
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      while ((line = in.readLine()) != null && total < max) {
        Matcher m = SOURCE.matcher(line);
        if (line.isBlank() || !m.find()) {
          continue;
        }
        bySource.computeIfAbsent(m.group(1), s -> new ArrayList<>()).add(line);
        total++;
      }
    }
    System.out.printf(
        Locale.ROOT, "%,d records from %d sources in %s%n", total, bySource.size(), file);
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    URI uri = URI.create(url + "/v1/records");
    Recorder recorder = new Recorder();
    LongAdder accepted = new LongAdder();
    AtomicLong sent = new AtomicLong();
    Pattern acceptedField = Pattern.compile("\"accepted\":(\\d+)");
    List<Thread> workers = new ArrayList<>();
    long started = System.nanoTime();
    for (var entry : bySource.entrySet()) {
      String token = tokens.get(entry.getKey());
      if (token == null) {
        System.out.println("no token for source " + entry.getKey() + ": skipped");
        continue;
      }
      Thread w =
          new Thread(
              () -> {
                List<String> lines = entry.getValue();
                long[] mine = new long[lines.size() / batch + 1];
                int n = 0;
                for (int from = 0; from < lines.size(); from += batch) {
                  List<String> chunk = lines.subList(from, Math.min(lines.size(), from + batch));
                  String body = String.join("\n", chunk) + "\n";
                  HttpRequest request =
                      HttpRequest.newBuilder(uri)
                          .header("Authorization", "Bearer " + token)
                          .header("Content-Type", "application/x-ndjson")
                          .timeout(Duration.ofMinutes(2))
                          .POST(HttpRequest.BodyPublishers.ofString(body))
                          .build();
                  long start = System.nanoTime();
                  try {
                    HttpResponse<String> r =
                        client.send(request, HttpResponse.BodyHandlers.ofString());
                    recorder.status(r.statusCode());
                    Matcher m = acceptedField.matcher(r.body());
                    if (m.find()) {
                      accepted.add(Long.parseLong(m.group(1)));
                    }
                  } catch (IOException e) {
                    recorder.status(-1);
                  } catch (InterruptedException e) {
                    return;
                  }
                  mine[n++] = System.nanoTime() - start;
                  sent.addAndGet(chunk.size());
                }
                recorder.add(mine, n);
              },
              "source-" + entry.getKey());
      w.start();
      workers.add(w);
    }
    for (Thread w : workers) {
      w.join();
    }
    double secs = (System.nanoTime() - started) / 1e9;
    recorder.print("POST /v1/records (batches of " + batch + ")", secs, batch);
    System.out.printf(
        Locale.ROOT,
        "%,d records sent, %,d accepted in %.1f s: %,.0f records/s%n",
        sent.get(),
        accepted.sum(),
        secs,
        sent.get() / secs);
  }

  private static String[] subjects(Path population) throws IOException {
    java.util.Set<String> seen = new java.util.LinkedHashSet<>();
    try (BufferedReader in = Files.newBufferedReader(population, StandardCharsets.UTF_8)) {
      String line;
      while ((line = in.readLine()) != null) {
        Matcher m = SUBJECT.matcher(line);
        if (m.find() && m.group(1).startsWith("person:")) {
          seen.add(m.group(1));
        }
      }
    }
    return seen.toArray(new String[0]);
  }

  /** Latencies and statuses from every worker. */
  static final class Recorder {
    private final List<long[]> parts = new ArrayList<>();
    private final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();

    void status(int s) {
      statuses.computeIfAbsent(s, k -> new LongAdder()).increment();
    }

    synchronized void add(long[] latencies, int n) {
      parts.add(Arrays.copyOf(latencies, n));
    }

    synchronized void print(String what, double seconds, int itemsPerRequest) {
      long[] all = parts.stream().flatMapToLong(Arrays::stream).sorted().toArray();
      if (all.length == 0) {
        System.out.println(what + ": no requests completed");
        return;
      }
      System.out.printf(
          Locale.ROOT,
          "%s: %,d requests in %.1f s = %,.0f requests/s; latency ms p50 %.2f p90 %.2f p99 %.2f"
              + " max %.2f; statuses %s%n",
          what,
          all.length,
          seconds,
          all.length / seconds,
          pct(all, 0.50),
          pct(all, 0.90),
          pct(all, 0.99),
          all[all.length - 1] / 1e6,
          new java.util.TreeMap<>(statuses));
    }

    private static double pct(long[] sorted, double p) {
      return sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))] / 1e6;
    }
  }
}
