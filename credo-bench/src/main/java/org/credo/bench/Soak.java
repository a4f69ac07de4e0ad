package org.credo.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A mixed load on a running server — decisions, operators' score reads and providers' record
 * batches — either closed loop to find the peak ({@code --peak}: {@code --threads} requests in
 * flight, as fast as they come back) or open loop at a fixed rate for a soak ({@code --rate}):
 * requests are sent on schedule whatever the server does, and each latency is counted from when its
 * request was due, so a stall shows in the percentiles instead of slowing the client down. Every 10
 * s it prints the window's rate, errors, p99 and the server's resident memory ({@code --pid}, from
 * /proc) and live heap after the last collection (from /metrics).
 *
 * <pre>
 * java -cp credo-bench.jar org.credo.bench.Soak URL PERSONS.txt AIRLINE_TOKEN OPERATOR_TOKEN \
 *     TOKENS.txt RECORDS_DIR (--peak [--threads 32] | --rate N) [--seconds S] [--warmup S] \
 *     [--mix 80:15:5] [--batch 10] [--pid PID]
 * </pre>
 *
 * TOKENS.txt has one {@code source token} pair a line and RECORDS_DIR one {@code SOURCE.ndjson}
 * file per source; record lines are sent again and again with fresh ids (corrections and
 * retractions are left out, so that batches may arrive in any order).
 */
public final class Soak {
  enum Kind {
    DECISION,
    SCORE,
    RECORDS
  }

  private static final Pattern ID = Pattern.compile("\"id\":\"");

  private final String url;
  private final List<String> persons;
  private final String airline;
  private final String operator;
  private final List<String[]> sources = new ArrayList<>(); // {source, token}
  private final List<List<String>> lines = new ArrayList<>();
  private final int[] mix;
  private final int batch;
  private final AtomicLong recordRound = new AtomicLong();
  private final AtomicInteger recordCursor = new AtomicInteger();
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  /** Latencies (µs) of the current window and of the whole measured run, per kind. */
  private final Samples[] window = new Samples[3];

  private final Samples[] total = new Samples[3];
  private final AtomicLong[] errors = new AtomicLong[3];
  private final AtomicLong rejectedRecords = new AtomicLong();
  private final AtomicLong acceptedRecords = new AtomicLong();
  private final AtomicInteger outstanding = new AtomicInteger();
  private volatile boolean measuring;
  private final List<String> firstErrors =
      java.util.Collections.synchronizedList(new ArrayList<>());

  Soak(String[] args, Map<String, String> opts) throws IOException {
    url = args[0];
    persons = Files.readAllLines(Path.of(args[1]));
    airline = Files.readString(Path.of(args[2])).strip();
    operator = Files.readString(Path.of(args[3])).strip();
    for (String l : Files.readAllLines(Path.of(args[4]))) {
      String[] st = l.strip().split("\\s+");
      Path file = Path.of(args[5]).resolve(st[0] + ".ndjson");
      if (st.length == 2 && Files.exists(file)) {
        List<String> keep = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
          if (!line.contains("\"supersedes\"") && !line.contains("\"retracts\"")) {
            keep.add(line);
          }
        }
        if (!keep.isEmpty()) {
          sources.add(st);
          lines.add(keep);
        }
      }
    }
    mix =
        Arrays.stream(opts.getOrDefault("mix", "80:15:5").split(":"))
            .mapToInt(Integer::parseInt)
            .toArray();
    batch = Integer.parseInt(opts.getOrDefault("batch", "10"));
    for (int i = 0; i < 3; i++) {
      window[i] = new Samples();
      total[i] = new Samples();
      errors[i] = new AtomicLong();
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 7) {
      System.err.println("usage: see the class comment");
      System.exit(2);
    }
    Map<String, String> opts = new LinkedHashMap<>();
    for (int i = 6; i < args.length; i++) {
      if (args[i].startsWith("--")) {
        String key = args[i].substring(2);
        boolean flag = i + 1 >= args.length || args[i + 1].startsWith("--");
        opts.put(key, flag ? "true" : args[++i]);
      }
    }
    Soak soak = new Soak(args, opts);
    int seconds = Integer.parseInt(opts.getOrDefault("seconds", "60"));
    int warmup = Integer.parseInt(opts.getOrDefault("warmup", "10"));
    long pid = Long.parseLong(opts.getOrDefault("pid", "0"));
    if (opts.containsKey("peak")) {
      soak.peak(Integer.parseInt(opts.getOrDefault("threads", "32")), warmup, seconds, pid);
    } else {
      soak.rate(
          Double.parseDouble(opts.get("rate")),
          warmup,
          seconds,
          pid,
          Integer.parseInt(opts.getOrDefault("threads", "32")));
    }
  }

  // ---- the requests ------------------------------------------------------------------------

  Kind pick() {
    int r = ThreadLocalRandom.current().nextInt(mix[0] + mix[1] + mix[2]);
    return r < mix[0] ? Kind.DECISION : r < mix[0] + mix[1] ? Kind.SCORE : Kind.RECORDS;
  }

  HttpRequest request(Kind kind) {
    String person = persons.get(ThreadLocalRandom.current().nextInt(persons.size()));
    HttpRequest.Builder b = HttpRequest.newBuilder().timeout(Duration.ofSeconds(30));
    switch (kind) {
      case DECISION -> {
        return b.uri(URI.create(url + "/v1/decisions"))
            .header("Authorization", "Bearer " + airline)
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"subject\":\"" + person + "\",\"purpose\":\"air_travel\"}"))
            .build();
      }
      case SCORE -> {
        return b.uri(URI.create(url + "/v1/subjects/" + person + "/score"))
            .header("Authorization", "Bearer " + operator)
            .GET()
            .build();
      }
      default -> {
        int s = Math.floorMod(recordCursor.getAndIncrement(), sources.size());
        List<String> src = lines.get(s);
        long n = recordRound.getAndAdd(batch);
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < batch; i++) {
          long k = n + i;
          String line = src.get((int) (k % src.size()));
          if (i > 0) {
            body.append(',');
          }
          body.append(
              ID.matcher(line).replaceFirst(Matcher.quoteReplacement("\"id\":\"soak" + k + "-")));
        }
        return b.uri(URI.create(url + "/v1/records"))
            .header("Authorization", "Bearer " + sources.get(s)[1])
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.append(']').toString()))
            .build();
      }
    }
  }

  void done(Kind kind, long dueNanos, HttpResponse<String> r, Throwable failure) {
    long micros = (System.nanoTime() - dueNanos) / 1000;
    outstanding.decrementAndGet();
    if (!measuring) {
      return;
    }
    int k = kind.ordinal();
    if (failure != null || r.statusCode() != 200) {
      errors[k].incrementAndGet();
      if (firstErrors.size() < 10) {
        firstErrors.add(
            kind + ": " + (failure != null ? failure.toString() : r.statusCode() + " " + r.body()));
      }
    } else if (kind == Kind.RECORDS) {
      String body = r.body();
      acceptedRecords.addAndGet(count(body, "\"accepted\"") - 1);
      rejectedRecords.addAndGet(count(body, "\"rejected\"") - 1);
    }
    window[k].add(micros);
    total[k].add(micros);
  }

  private static int count(String s, String what) {
    int n = 0;
    for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }

  // ---- closed loop: the peak, and open loop: a soak at a fixed rate -------------------------

  void peak(int threads, int warmup, int seconds, long pid) throws Exception {
    // Each request is due when the one before it on its connection came back.
    run(
        threads,
        warmup,
        seconds,
        pid,
        (start, end) ->
            () -> {
              long now = System.nanoTime();
              return now < end ? now : -1;
            });
  }

  void rate(double perSecond, int warmup, int seconds, long pid, int connections) throws Exception {
    // Request i is due at start + i × period. Each of the connections takes the next number and
    // waits for its time; a late server delays the requests behind it, and their latency counts
    // from when they were due (no coordinated omission), as wrk2 does.
    double period = 1e9 / perSecond;
    AtomicLong next = new AtomicLong();
    run(
        connections,
        warmup,
        seconds,
        pid,
        (start, end) ->
            () -> {
              long due = start + (long) (next.getAndIncrement() * period);
              return due < end ? due : -1;
            });
  }

  /** When each connection's next request is due (System.nanoTime), or -1 when the run is over. */
  interface Schedule {
    java.util.function.LongSupplier over(long start, long end);
  }

  /** {@code connections} threads, each sending one request at a time when it is due. */
  private void run(int connections, int warmup, int seconds, long pid, Schedule schedule)
      throws Exception {
    long start = System.nanoTime();
    long measureFrom = start + warmup * 1_000_000_000L;
    long end = measureFrom + seconds * 1_000_000_000L;
    java.util.function.LongSupplier nextDue = schedule.over(start, end);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < connections; t++) {
      Thread w =
          new Thread(
              () -> {
                for (long due; (due = nextDue.getAsLong()) >= 0; ) {
                  long wait = due - System.nanoTime();
                  if (wait > 0) {
                    LockSupport.parkNanos(wait);
                  }
                  Kind kind = pick();
                  outstanding.incrementAndGet();
                  try {
                    done(
                        kind,
                        due,
                        http.send(request(kind), HttpResponse.BodyHandlers.ofString()),
                        null);
                  } catch (IOException e) {
                    done(kind, due, null, e);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              });
      w.start();
      workers.add(w);
    }
    report(start, measureFrom, end, pid);
    for (Thread w : workers) {
      w.join();
    }
    summary(seconds, pid);
  }

  // ---- reporting ---------------------------------------------------------------------------

  private long firstRss = -1;
  private long maxRss;
  private long lastRss;

  void report(long start, long measureFrom, long end, long pid) throws Exception {
    long nextTick = start + 10_000_000_000L;
    while (System.nanoTime() < end) {
      long now = System.nanoTime();
      if (!measuring && now >= measureFrom) {
        measuring = true;
        for (Samples s : window) {
          s.reset();
        }
      }
      if (now >= nextTick) {
        nextTick += 10_000_000_000L;
        long rss = rss(pid);
        long live = live();
        if (measuring) {
          if (firstRss < 0) {
            firstRss = rss;
          }
          maxRss = Math.max(maxRss, rss);
          lastRss = rss;
        }
        long n = 0;
        long p99 = 0;
        for (Samples s : window) {
          n += s.size();
        }
        Samples all = new Samples();
        for (Samples s : window) {
          all.addAll(s);
          s.reset();
        }
        p99 = all.percentile(0.99);
        long errs = Arrays.stream(errors).mapToLong(AtomicLong::get).sum();
        System.out.printf(
            Locale.ROOT,
            "t=%4ds %s rate %7.0f/s  p99 %7.1f ms  errors so far %d  outstanding %d  rss %s  live heap %s%n",
            (now - start) / 1_000_000_000L,
            measuring ? "   " : "(w)",
            n / 10.0,
            p99 / 1000.0,
            errs,
            outstanding.get(),
            mb(rss),
            mb(live));
      }
      Thread.sleep(100);
    }
  }

  void summary(int seconds, long pid) {
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "%-9s %9s %8s %8s %9s %9s %9s %9s%n",
        "kind",
        "requests",
        "per s",
        "errors",
        "p50 ms",
        "p99 ms",
        "p99.9 ms",
        "max ms");
    long all = 0;
    long errs = 0;
    for (Kind k : Kind.values()) {
      Samples s = total[k.ordinal()];
      all += s.size();
      errs += errors[k.ordinal()].get();
      System.out.printf(
          Locale.ROOT,
          "%-9s %9d %8.0f %8d %9.2f %9.2f %9.2f %9.2f%n",
          k.name().toLowerCase(Locale.ROOT),
          s.size(),
          s.size() / (double) seconds,
          errors[k.ordinal()].get(),
          s.percentile(0.50) / 1000.0,
          s.percentile(0.99) / 1000.0,
          s.percentile(0.999) / 1000.0,
          s.percentile(1.0) / 1000.0);
    }
    Samples every = new Samples();
    for (Samples s : total) {
      every.addAll(s);
    }
    System.out.printf(
        Locale.ROOT,
        "all       %9d %8.0f %8d %9.2f %9.2f %9.2f %9.2f%n",
        all,
        all / (double) seconds,
        errs,
        every.percentile(0.50) / 1000.0,
        every.percentile(0.99) / 1000.0,
        every.percentile(0.999) / 1000.0,
        every.percentile(1.0) / 1000.0);
    System.out.printf(
        "records in batches: %d accepted, %d rejected by the intake's checks%n",
        acceptedRecords.get(), rejectedRecords.get());
    if (pid > 0) {
      System.out.printf(
          "server RSS: %s after warm-up, %s at most, %s at the end%n",
          mb(firstRss), mb(maxRss), mb(lastRss));
    }
    firstErrors.forEach(
        e -> System.out.println("error: " + e.substring(0, Math.min(300, e.length()))));
  }

  static long rss(long pid) {
    if (pid <= 0) {
      return 0;
    }
    try {
      for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (l.startsWith("VmRSS:")) {
          return Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return -1;
  }

  /** The server's live heap after its last collection, from its Prometheus metrics. */
  long live() {
    try {
      String m =
          http.send(
                  HttpRequest.newBuilder(URI.create(url + "/metrics")).GET().build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      for (String l : m.split("\n")) {
        if (l.startsWith("jvm_gc_live_data_size_bytes")) {
          return (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1));
        }
      }
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return -1;
  }

  static String mb(long bytes) {
    return bytes < 0 ? "?" : String.format(Locale.ROOT, "%,d MB", bytes >> 20);
  }

  /** Latencies in microseconds, appended from many threads. */
  static final class Samples {
    private long[] values = new long[1 << 16];
    private int size;

    synchronized void add(long v) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = v;
    }

    synchronized void addAll(Samples other) {
      long[] o;
      int n;
      synchronized (other) {
        o = Arrays.copyOf(other.values, other.size);
        n = other.size;
      }
      for (int i = 0; i < n; i++) {
        add(o[i]);
      }
    }

    synchronized int size() {
      return size;
    }

    synchronized void reset() {
      size = 0;
    }

    synchronized long percentile(double p) {
      if (size == 0) {
        return 0;
      }
      long[] sorted = Arrays.copyOf(values, size);
      Arrays.sort(sorted);
      int i = (int) Math.min(size - 1, Math.ceil(p * size) - 1);
      return sorted[Math.max(0, i)];
    }
  }
}
