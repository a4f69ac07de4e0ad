package org.credo.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.credo.access.Parties;
import org.credo.access.Party;
import org.credo.access.Role;
import org.credo.access.Tokens;
import org.credo.engine.Engine;
import org.credo.generate.Population;
import org.credo.ingest.Importer;
import org.credo.policy.Purpose;
import org.credo.records.SourceId;
import org.credo.server.CredoServer;
import org.credo.server.ServerConfig;
import org.credo.store.SourceRegistration;
import org.credo.store.Store;

/**
 * The cost of the audit log on {@code POST /v1/decisions}: the same store served with {@code
 * audit.enabled} false and true, in alternating order, each run a fresh server in this JVM loaded
 * by a closed-loop client over real HTTP (one request in flight per client thread). With the log
 * on, each decision's audit entry is hashed into the chain and inserted in the same group-commit
 * transaction as its inquiry; with it off, the same transaction holds the inquiry alone.
 *
 * <pre>
 * java -cp credo-bench/target/credo-bench.jar org.credo.bench.AuditOverhead \
 *     [--subjects 20000] [--threads 16] [--warmup 5] [--seconds 20] [--rounds 2] [--data DIR]
 * </pre>
 *
 * A first run (audit on) warms the JIT and is not counted; then each round runs off and on, in
 * alternating order, and the means are compared.
 */
public final class AuditOverhead {
  private static final Pattern PERSON = Pattern.compile("\"subject\":\"(person:[^\"]+)\"");

  private AuditOverhead() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> o = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      o.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    int subjects = Integer.parseInt(o.getOrDefault("subjects", "20000"));
    int threads = Integer.parseInt(o.getOrDefault("threads", "16"));
    int warmup = Integer.parseInt(o.getOrDefault("warmup", "5"));
    int seconds = Integer.parseInt(o.getOrDefault("seconds", "20"));
    int rounds = Integer.parseInt(o.getOrDefault("rounds", "2"));
    Path dir =
        o.containsKey("data")
            ? Path.of(o.get("data"))
            : Files.createTempDirectory("credo-audit-overhead-");
    Instant now = Instant.now();
    List<String> persons = new ArrayList<>();
    String token;
    try (Store store = Store.openFolder(dir, true)) {
      if (store.recordCount() == 0) {
        populate(store, subjects, now, dir);
      }
      Path pop = dir.resolve("population.ndjson");
      Set<String> seen = new LinkedHashSet<>();
      for (String line : Files.readAllLines(pop)) {
        Matcher m = PERSON.matcher(line);
        if (m.find()) {
          seen.add(m.group(1));
        }
      }
      persons.addAll(seen);
      token =
          new Tokens(store, Duration.ZERO)
              .create(Role.RELYING_PARTY, Optional.of("airline"), Optional.empty(), now)
              .secret();
      System.out.printf(
          Locale.ROOT,
          "store %s: %,d records, %,d persons; %d client threads, %d s warm-up, %d s measured%n",
          dir,
          store.recordCount(),
          persons.size(),
          threads,
          warmup,
          seconds);
      Map<Boolean, List<Double>> rates = new HashMap<>();
      System.out.println("JIT warm-up run, not counted:");
      run(store, dir, true, token, persons, threads, warmup, seconds);
      for (int round = 0; round < rounds; round++) {
        for (boolean audit :
            round % 2 == 0 ? new boolean[] {false, true} : new boolean[] {true, false}) {
          double rate = run(store, dir, audit, token, persons, threads, warmup, seconds);
          rates.computeIfAbsent(audit, x -> new ArrayList<>()).add(rate);
        }
      }
      double off = rates.get(false).stream().mapToDouble(d -> d).average().orElse(0);
      double on = rates.get(true).stream().mapToDouble(d -> d).average().orElse(0);
      System.out.printf(
          Locale.ROOT,
          "mean: audit off %,.0f/s, audit on %,.0f/s: overhead %.1f %%%n",
          off,
          on,
          100 * (1 - on / off));
    }
  }

  static void populate(Store store, int subjects, Instant now, Path dir) throws Exception {
    Instant t0 = now.minus(Duration.ofDays(3650));
    try (InputStream in =
        AuditOverhead.class.getResourceAsStream("/policies/rongcheng-style.yaml")) {
      new Engine(store)
          .activate(
              "rongcheng-style.yaml", new String(in.readAllBytes(), StandardCharsets.UTF_8), t0);
    }
    for (Population.Source s : Population.sources()) {
      store.sources().put(new SourceRegistration(SourceId.of(s.id()), s.typePrefixes(), t0));
    }
    new Parties(store.dataSource()).put(new Party("airline", Set.of(Purpose.of("air_travel")), t0));
    Path pop = dir.resolve("population.ndjson");
    Population.writeFile(subjects, 1, now, pop, line -> {});
    Engine engine = new Engine(store);
    try (var reader = Files.newBufferedReader(pop)) {
      new Importer(
              store,
              engine.activePolicies(now),
              Clock.systemUTC(),
              new Importer.Options(Optional.empty(), true, 10_000))
          .run(reader, Importer.Format.NDJSON, r -> {}, n -> {});
    }
  }

  static double run(
      Store store,
      Path dir,
      boolean audit,
      String token,
      List<String> persons,
      int threads,
      int warmup,
      int seconds)
      throws Exception {
    ServerConfig config =
        ServerConfig.load(
            Optional.empty(),
            Map.of(),
            Map.of(
                "data", dir.toString(),
                "port", "0",
                "limits.decisions-per-second", "1000000",
                "limits.reports-per-minute", "1000000",
                "limits.address-reads-per-second", "1000000",
                "audit.enabled", Boolean.toString(audit)));
    try (CredoServer server = CredoServer.start(config, store, false, dir, Clock.systemUTC())) {
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      URI uri = URI.create("http://127.0.0.1:" + server.port() + "/v1/decisions");
      long measureFrom = System.nanoTime() + warmup * 1_000_000_000L;
      long end = measureFrom + seconds * 1_000_000_000L;
      LongAdder ok = new LongAdder();
      LongAdder failed = new LongAdder();
      List<long[]> latencies = new ArrayList<>();
      List<Thread> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        long[] mine = new long[1 << 20];
        int[] count = {0};
        latencies.add(mine);
        Thread w =
            new Thread(
                () -> {
                  ThreadLocalRandom random = ThreadLocalRandom.current();
                  while (true) {
                    long start = System.nanoTime();
                    if (start >= end) {
                      break;
                    }
                    String subject = persons.get(random.nextInt(persons.size()));
                    HttpRequest request =
                        HttpRequest.newBuilder(uri)
                            .header("Authorization", "Bearer " + token)
                            .header("Content-Type", "application/json")
                            .POST(
                                HttpRequest.BodyPublishers.ofString(
                                    "{\"subject\":\"" + subject + "\",\"purpose\":\"air_travel\"}"))
                            .build();
                    int status;
                    try {
                      status =
                          client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                    } catch (IOException e) {
                      status = -1;
                    } catch (InterruptedException e) {
                      return;
                    }
                    long done = System.nanoTime();
                    if (start >= measureFrom && done <= end) {
                      if (status == 200) {
                        ok.increment();
                        if (count[0] < mine.length - 1) {
                          mine[count[0]++] = done - start;
                        }
                      } else {
                        failed.increment();
                      }
                    }
                  }
                  mine[mine.length - 1] = count[0]; // where this thread's latencies end
                },
                "load-" + t);
        w.start();
        workers.add(w);
      }
      for (Thread w : workers) {
        w.join();
      }
      long[] all =
          latencies.stream()
              .flatMapToLong(a -> Arrays.stream(a, 0, (int) a[a.length - 1]))
              .sorted()
              .toArray();
      double rate = ok.sum() / (double) seconds;
      System.out.printf(
          Locale.ROOT,
          "audit %-3s: %,8.0f decisions/s, p50 %.1f ms, p99 %.1f ms, %d failed; audit entries"
              + " written %,d in %,d commits%n",
          audit ? "on" : "off",
          rate,
          all.length == 0 ? 0 : all[all.length / 2] / 1e6,
          all.length == 0 ? 0 : all[(int) (all.length * 0.99)] / 1e6,
          failed.sum(),
          server.auditLog().written(),
          server.auditLog().batches());
      return rate;
    }
  }
}
