package org.credo.flink;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.credo.policy.TimeSpan;
import org.credo.records.RecordJson;
import org.credo.store.Keys;

/**
 * The streaming job's commands: {@code stream} runs it (on a cluster under {@code flink run}, or in
 * a local MiniCluster with {@code java -jar}), {@code publish} puts a catalogue or a policy version
 * on {@code credo.policies}, {@code produce} puts NDJSON records on {@code credo.records} keyed by
 * the subject's pseudonym, and {@code demo} does all of it on an in-JVM broker.
 */
final class Streaming {
  private Streaming() {}

  /** Options as {@code --name value} pairs; a flag without a value maps to "true". */
  static Map<String, List<String>> options(String[] args, java.util.Set<String> flags) {
    Map<String, List<String>> out = new java.util.LinkedHashMap<>();
    for (int i = 1; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument '" + a + "'");
      }
      if (flags.contains(a)) {
        out.computeIfAbsent(a, k -> new ArrayList<>()).add("true");
        continue;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(a + " needs a value");
      }
      out.computeIfAbsent(a, k -> new ArrayList<>()).add(args[++i]);
    }
    return out;
  }

  static String one(Map<String, List<String>> o, String name, String fallback) {
    List<String> v = o.get(name);
    if (v == null) {
      if (fallback == null) {
        throw new IllegalArgumentException(name + " is required");
      }
      return fallback;
    }
    return v.get(v.size() - 1);
  }

  static void known(Map<String, List<String>> o, String... names) {
    var allowed = java.util.Set.of(names);
    for (String k : o.keySet()) {
      if (!allowed.contains(k)) {
        throw new IllegalArgumentException("unknown option " + k);
      }
    }
  }

  /** A span's length in milliseconds, counted from the epoch (calendar spans in UTC). */
  static long millis(String span) {
    return TimeSpan.parse(span).addTo(Instant.EPOCH).toEpochMilli();
  }

  /**
   * {@code stream --bootstrap B [--group G] [--serving-url JDBC --serving-user U --serving-password
   * P] [--parallelism N] [--checkpoint-interval PT10S] [--checkpoints URI] [--out-of-order PT0S]
   * [--cadence P1D] [--retention-grace P1Y] [--bounded]}.
   */
  static int stream(String[] args) throws Exception {
    var o = options(args, java.util.Set.of("--bounded"));
    known(
        o,
        "--bootstrap",
        "--group",
        "--serving-url",
        "--serving-user",
        "--serving-password",
        "--parallelism",
        "--checkpoint-interval",
        "--checkpoints",
        "--out-of-order",
        "--cadence",
        "--retention-grace",
        "--bounded");
    StreamingJob.Kafka kafka =
        new StreamingJob.Kafka(
            one(o, "--bootstrap", null),
            one(o, "--group", "credo-scoring"),
            o.containsKey("--bounded"));
    Optional<StreamingJob.Serving> serving =
        o.containsKey("--serving-url")
            ? Optional.of(
                new StreamingJob.Serving(
                    one(o, "--serving-url", null),
                    one(o, "--serving-user", ""),
                    one(o, "--serving-password", "")))
            : Optional.empty();
    int parallelism =
        Integer.parseInt(
            one(o, "--parallelism", Integer.toString(Runtime.getRuntime().availableProcessors())));
    Duration checkpoint = Duration.parse(one(o, "--checkpoint-interval", "PT10S"));
    SubjectScoring.Settings settings =
        new SubjectScoring.Settings(
            millis(one(o, "--cadence", "P1D")),
            Long.MAX_VALUE,
            millis(one(o, "--retention-grace", "P1Y")));
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(
            StreamingJob.configuration(
                checkpoint,
                parallelism,
                Optional.ofNullable(o.get("--checkpoints")).map(l -> l.get(0))));
    StreamingJob.build(
        env,
        kafka,
        serving,
        settings,
        Duration.parse(one(o, "--out-of-order", "PT0S")),
        "credo-scoring");
    long started = System.nanoTime();
    env.execute("credo streaming");
    System.out.printf(
        Locale.ROOT,
        "credo-flink: the job ended after %.1f s%n",
        (System.nanoTime() - started) / 1e9);
    return 0;
  }

  /** {@code publish --bootstrap B (--catalogue FILE | --policy FILE) --active-from T}. */
  static int publish(String[] args) throws Exception {
    var o = options(args, java.util.Set.of());
    known(o, "--bootstrap", "--catalogue", "--policy", "--active-from");
    Instant from = RecordJson.parseTime("--active-from", one(o, "--active-from", null));
    List<String> messages = new ArrayList<>();
    for (String f : o.getOrDefault("--catalogue", List.of())) {
      messages.add(
          new Versions.Message(
                  "catalogue", from, Files.readString(Path.of(f), StandardCharsets.UTF_8))
              .json());
    }
    for (String f : o.getOrDefault("--policy", List.of())) {
      messages.add(
          new Versions.Message("policy", from, Files.readString(Path.of(f), StandardCharsets.UTF_8))
              .json());
    }
    if (messages.isEmpty()) {
      throw new IllegalArgumentException("--catalogue or --policy is required");
    }
    // Checked here as the job will check them, so that a typo is refused before it is published.
    Versions check = new Versions();
    for (String m : messages) {
      var msg = Versions.Message.parse(m);
      Optional<String> refused = check.add(msg.key(), msg);
      if (refused.isPresent() && msg.kind().equals("catalogue")) {
        throw new IllegalArgumentException(refused.get());
      }
    }
    LocalKafka.send(
        one(o, "--bootstrap", null),
        StreamingJob.POLICIES,
        messages.stream().map(m -> Map.entry(Versions.Message.parse(m).key(), m)).toList());
    System.out.println(
        "credo-flink: published " + messages.size() + " version(s) on credo.policies");
    return 0;
  }

  /** {@code produce --bootstrap B --data DIR --records FILE…}: keyed by pseudonym. */
  static int produce(String[] args) throws Exception {
    var o = options(args, java.util.Set.of());
    known(o, "--bootstrap", "--data", "--records");
    Keys keys = Keys.inFolder(Path.of(one(o, "--data", null)), false);
    List<Map.Entry<String, String>> out = new ArrayList<>();
    for (String f : o.getOrDefault("--records", List.of())) {
      for (String line : Files.readAllLines(Path.of(f), StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          out.add(new java.util.AbstractMap.SimpleEntry<>(key(keys, line), line));
        }
      }
    }
    LocalKafka.send(one(o, "--bootstrap", null), StreamingJob.RECORDS, out);
    System.out.println("credo-flink: produced " + out.size() + " records on credo.records");
    return 0;
  }

  /** The Kafka key of a line: its subject's pseudonym in hex; null when the line does not parse. */
  static String key(Keys keys, String line) {
    try {
      var r = RecordJson.parse(line, Optional.empty(), null, ScoringJob.END_OF_TIME);
      return HexFormat.of().formatHex(keys.pseudonym(r.subject()));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** The instant the demo's and the bench's populations end at. */
  static final Instant GENERATED_UNTIL = Instant.parse("2026-11-22T00:00:00Z");

  /**
   * A population from {@code credo generate}'s generator (seed 42), keyed by pseudonym under {@code
   * keys}, in the order Credo learned the records — as an intake writes them.
   */
  static List<Map.Entry<String, String>> generated(long subjects, Keys keys) {
    List<Map.Entry<String, String>> records = new ArrayList<>();
    org.credo.generate.Population.write(
        subjects,
        42,
        GENERATED_UNTIL,
        line -> records.add(new java.util.AbstractMap.SimpleEntry<>(key(keys, line), line)));
    records.sort(
        java.util.Comparator.comparing(
            (Map.Entry<String, String> e) ->
                RecordJson.parse(e.getValue(), Optional.empty(), null, ScoringJob.END_OF_TIME)
                    .learned()));
    return records;
  }

  /** Puts the shipped catalogue and policies on {@code credo.policies}, active since 2000. */
  static void publishShipped(LocalKafka kafka) throws IOException {
    List<Map.Entry<String, String>> control = new ArrayList<>();
    for (String c : shippedDefinitions(Instant.parse("2000-01-01T00:00:00Z"))) {
      control.add(Map.entry(Versions.Message.parse(c).key(), c));
    }
    kafka.send(StreamingJob.POLICIES, control);
  }

  /** The shipped catalogue and policies, as the embedded demo uses them. */
  static List<String> shippedDefinitions(Instant from) throws IOException {
    List<String> out = new ArrayList<>();
    out.add(
        new Versions.Message("catalogue", from, resource("/org/credo/catalogue/credo-default.yaml"))
            .json());
    for (String p : List.of("rongcheng-style", "bureau-style", "sesame-style")) {
      out.add(new Versions.Message("policy", from, resource("/policies/" + p + ".yaml")).json());
    }
    return out;
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = Streaming.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException(name + " is not in the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /**
   * {@code demo [--subjects N] [--parallelism N]}: an in-JVM broker, the shipped definitions, a
   * generated population streamed through the job in a local MiniCluster; prints throughput, lag
   * and a few scores.
   */
  static int demo(String[] args) throws Exception {
    var o = options(args, java.util.Set.of());
    known(o, "--subjects", "--parallelism");
    long subjects = Long.parseLong(one(o, "--subjects", "20000"));
    int parallelism = Integer.parseInt(one(o, "--parallelism", "2"));
    Instant now = GENERATED_UNTIL;
    List<Map.Entry<String, String>> records = generated(subjects, Keys.generate());
    System.out.printf(
        Locale.ROOT, "demo: %,d subjects, %,d records generated%n", subjects, records.size());
    try (LocalKafka kafka = LocalKafka.start(parallelism)) {
      System.out.println("demo: Kafka broker (KRaft, in this JVM) at " + kafka.bootstrap());
      publishShipped(kafka);
      long t0 = System.nanoTime();
      kafka.send(StreamingJob.RECORDS, records);
      double produced = (System.nanoTime() - t0) / 1e9;
      System.out.printf(
          Locale.ROOT,
          "demo: %,d records on credo.records in %.1f s; starting the job at parallelism %d%n",
          records.size(),
          produced,
          parallelism);
      StreamExecutionEnvironment env =
          StreamExecutionEnvironment.getExecutionEnvironment(
              StreamingJob.configuration(Duration.ofSeconds(10), parallelism));
      StreamingJob.build(
          env,
          new StreamingJob.Kafka(kafka.bootstrap(), "credo-demo", true),
          Optional.empty(),
          new SubjectScoring.Settings(millis("P30D"), now.toEpochMilli(), Long.MAX_VALUE),
          Duration.ZERO,
          "credo-demo");
      long t1 = System.nanoTime();
      env.execute("credo streaming demo");
      double ran = (System.nanoTime() - t1) / 1e9;
      List<Tuple3<String, String, String>> out = kafka.readCommitted(LocalKafka.OUTPUTS);
      Map<String, Long> byTopic = new java.util.TreeMap<>();
      out.forEach(t -> byTopic.merge(t.f0, 1L, Long::sum));
      System.out.printf(
          Locale.ROOT,
          "demo: the job read all %,d records in %.1f s (%,.0f records/s, including start-up);"
              + " lag at the end: 0 (the bounded run ends when it has read the topic's end)%n",
          records.size(),
          ran,
          records.size() / ran);
      System.out.println("demo: committed outputs " + byTopic);
      int shown = 0;
      Map<String, String> latest = new java.util.LinkedHashMap<>();
      for (var t : out) {
        if (t.f0.equals(SubjectScoring.SCORES)) {
          var n = org.credo.app.wire.ApiWire.MAPPER.readTree(t.f2);
          latest.put(
              n.path("subject").asText() + " " + n.path("scores").path(0).path("policy").asText(),
              t.f2);
        }
      }
      for (String json : latest.values()) {
        if (shown++ >= 6) {
          break;
        }
        var n = org.credo.app.wire.ApiWire.MAPPER.readTree(json);
        var s = n.path("scores").path(0);
        System.out.printf(
            Locale.ROOT,
            "demo: %-28s %-16s %8s %-10s as of %s%n",
            org.credo.subject.SubjectId.parse(n.path("subject").asText()).masked(),
            s.path("policy").asText(),
            s.path("score").isMissingNode() ? "-" : s.path("score").asText(),
            s.path("grade").isMissingNode()
                ? s.path("unscorable").path("code").asText()
                : s.path("grade").asText(),
            s.path("asOf").asText());
      }
    }
    return 0;
  }
}
