package org.credo.flink;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.credo.store.Keys;

/**
 * {@code bench [--subjects N] [--parallelism N]}: the streaming job's figures on this machine
 * (BENCHMARKS.md, issue 20). A generated population (credo generate's, about 20 records a subject)
 * on an in-JVM broker; the job at parallelism 2 with exactly-once checkpoints every 10 s:
 *
 * <ol>
 *   <li>throughput: every record read and scored, outputs committed to Kafka, as records/s of the
 *       whole run (start-up included);
 *   <li>the same job left running until its source has committed the topic's end, then stopped with
 *       a savepoint: its keyed state's bytes (per subject, per record) and how long the savepoint
 *       took.
 * </ol>
 */
final class Bench {
  private Bench() {}

  static int run(String[] args) throws Exception {
    var o = Streaming.options(args, java.util.Set.of());
    Streaming.known(o, "--subjects", "--parallelism", "--latency-rate");
    long subjects = Long.parseLong(Streaming.one(o, "--subjects", "5000"));
    int parallelism = Integer.parseInt(Streaming.one(o, "--parallelism", "2"));
    Instant now = Streaming.GENERATED_UNTIL;
    Keys keys = Keys.generate();
    List<Map.Entry<String, String>> records = Streaming.generated(subjects, keys);
    SubjectScoring.Settings settings =
        new SubjectScoring.Settings(Streaming.millis("P30D"), now.toEpochMilli(), Long.MAX_VALUE);
    try (LocalKafka kafka = LocalKafka.start(parallelism)) {
      Streaming.publishShipped(kafka);
      kafka.send(StreamingJob.RECORDS, records);

      // 1. Throughput, bounded: read to the end, score, commit.
      StreamExecutionEnvironment env =
          StreamExecutionEnvironment.getExecutionEnvironment(
              StreamingJob.configuration(Duration.ofSeconds(10), parallelism));
      StreamingJob.build(
          env,
          new StreamingJob.Kafka(kafka.bootstrap(), "bench-a", true),
          Optional.empty(),
          settings,
          Duration.ZERO,
          "bench-a");
      long t0 = System.nanoTime();
      env.execute("credo bench: throughput");
      double seconds = (System.nanoTime() - t0) / 1e9;
      List<Tuple3<String, String, String>> out = kafka.readCommitted(LocalKafka.OUTPUTS);
      System.out.printf(
          Locale.ROOT,
          "bench streaming: %,d subjects, %,d records, parallelism %d, exactly once, checkpoints"
              + " every 10 s: %.1f s, %,.0f records/s; %,d outputs committed%n",
          subjects,
          records.size(),
          parallelism,
          seconds,
          records.size() / seconds,
          out.size());

      // 2. State: the job running until its source committed the end, then a savepoint.
      Path dir = Files.createTempDirectory("credo-bench-");
      StreamExecutionEnvironment env2 =
          StreamExecutionEnvironment.getExecutionEnvironment(
              StreamingJob.configuration(Duration.ofSeconds(2), parallelism));
      StreamingJob.build(
          env2,
          new StreamingJob.Kafka(kafka.bootstrap(), "bench-b", false),
          Optional.empty(),
          settings,
          Duration.ZERO,
          "bench-b");
      JobClient job = env2.executeAsync("credo bench: state");
      waitForEnd(kafka.bootstrap(), "bench-b");
      waitForQuiet(kafka.bootstrap());
      long s0 = System.nanoTime();
      String savepoint =
          job.stopWithSavepoint(false, dir.toUri().toString(), SavepointFormatType.CANONICAL).get();
      double savepointSeconds = (System.nanoTime() - s0) / 1e9;
      long bytes;
      try (Stream<Path> files = Files.walk(Path.of(java.net.URI.create(savepoint)))) {
        bytes = files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
      }
      System.out.printf(
          Locale.ROOT,
          "bench state: savepoint of %,d subjects' state: %,d bytes (%,.0f per subject, %,.0f per"
              + " record), written in %.2f s%n",
          subjects,
          bytes,
          (double) bytes / subjects,
          (double) bytes / records.size(),
          savepointSeconds);

      // 3. Latency at half the sustained rate: new records stamped now, scores read committed.
      double rate = Double.parseDouble(Streaming.one(o, "--latency-rate", "0"));
      if (rate <= 0) {
        rate = records.size() / seconds / 2;
      }
      latency(kafka, keys, parallelism, settings, rate);
    }
    return 0;
  }

  /**
   * Sends records of fresh subjects at {@code rate} per second for 30 s to a running job (exactly
   * once, checkpoints every 10 s) and measures, per record, from its send to its subject's first
   * score on {@code credo.scores} as a {@code read_committed} consumer sees it.
   */
  private static void latency(
      LocalKafka kafka, Keys keys, int parallelism, SubjectScoring.Settings settings, double rate)
      throws Exception {
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(
            StreamingJob.configuration(Duration.ofSeconds(10), parallelism));
    StreamingJob.build(
        env,
        new StreamingJob.Kafka(kafka.bootstrap(), "bench-c", false, true),
        Optional.empty(),
        new SubjectScoring.Settings(settings.cadenceMillis(), Long.MAX_VALUE, Long.MAX_VALUE),
        Duration.ZERO,
        "bench-c");
    JobClient job = env.executeAsync("credo bench: latency");
    Map<String, Long> sent = new java.util.concurrent.ConcurrentHashMap<>();
    List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
    var props = new java.util.Properties();
    props.put("bootstrap.servers", kafka.bootstrap());
    props.put("key.deserializer", org.apache.kafka.common.serialization.StringDeserializer.class);
    props.put("value.deserializer", org.apache.kafka.common.serialization.StringDeserializer.class);
    props.put("isolation.level", "read_committed");
    props.put("group.id", "bench-latency-reader");
    props.put("auto.offset.reset", "latest");
    var stop = new java.util.concurrent.atomic.AtomicBoolean();
    Thread reader =
        new Thread(
            () -> {
              try (var consumer =
                  new org.apache.kafka.clients.consumer.KafkaConsumer<String, String>(props)) {
                consumer.subscribe(List.of(SubjectScoring.SCORES));
                while (!stop.get()) {
                  for (var r : consumer.poll(Duration.ofMillis(100))) {
                    Long at = sent.remove(r.key());
                    if (at != null) {
                      latencies.add(System.nanoTime() - at);
                    }
                  }
                }
              }
            });
    reader.start();
    Thread.sleep(5_000); // the job and the reader settle
    long total = (long) (rate * 30);
    try (var producer = kafka.producer()) {
      long start = System.nanoTime();
      for (long i = 0; i < total; i++) {
        long due = start + (long) (i * 1e9 / rate);
        long wait = due - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
        String subject = "person:L-" + i;
        String key =
            java.util.HexFormat.of()
                .formatHex(keys.pseudonym(org.credo.subject.SubjectId.parse(subject)));
        Instant now = Instant.now();
        String line =
            "{\"source\":\"bench\",\"id\":\"l"
                + i
                + "\",\"subject\":\""
                + subject
                + "\",\"type\":\"utility.bill_paid_on_time\",\"occurred\":\""
                + now
                + "\",\"learned\":\""
                + now
                + "\"}";
        sent.put(key, System.nanoTime());
        producer.send(
            new org.apache.kafka.clients.producer.ProducerRecord<>(
                StreamingJob.RECORDS, key, line));
      }
      producer.flush();
    }
    long deadline = System.nanoTime() + 40_000_000_000L;
    while (!sent.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    stop.set(true);
    reader.join();
    job.cancel().get();
    List<Long> sorted = new ArrayList<>(latencies);
    java.util.Collections.sort(sorted);
    if (sorted.isEmpty()) {
      System.out.println("bench latency: no score arrived");
      return;
    }
    System.out.printf(
        Locale.ROOT,
        "bench latency: %,d records at %.0f/s for 30 s, exactly once, checkpoints every 10 s:"
            + " record sent → its score committed on credo.scores p50 %.2f s, p99 %.2f s, max %.2f s"
            + " (%d never arrived)%n",
        total,
        rate,
        sorted.get(sorted.size() / 2) / 1e9,
        sorted.get((int) Math.min(sorted.size() - 1, Math.round(sorted.size() * 0.99))) / 1e9,
        sorted.get(sorted.size() - 1) / 1e9,
        sent.size());
  }

  /**
   * Waits until {@code credo.scores} has not grown for 12 s: the job has worked off what its source
   * read, so that the savepoint measures writing the state, not the backlog before it.
   */
  private static void waitForQuiet(String bootstrap) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      long last = -1;
      long since = System.nanoTime();
      while (System.nanoTime() - since < 12_000_000_000L) {
        Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
        admin
            .describeTopics(List.of(SubjectScoring.SCORES))
            .allTopicNames()
            .get()
            .get(SubjectScoring.SCORES)
            .partitions()
            .forEach(
                p ->
                    latest.put(
                        new TopicPartition(SubjectScoring.SCORES, p.partition()),
                        OffsetSpec.latest()));
        long total = 0;
        for (var e : admin.listOffsets(latest).all().get().values()) {
          total += e.offset();
        }
        if (total != last) {
          last = total;
          since = System.nanoTime();
        }
        Thread.sleep(1_000);
      }
    }
  }

  /** Waits until the job's source has committed the end of {@code credo.records}. */
  private static void waitForEnd(String bootstrap, String group) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      List<TopicPartition> parts = new ArrayList<>();
      admin
          .describeTopics(List.of(StreamingJob.RECORDS))
          .allTopicNames()
          .get()
          .get(StreamingJob.RECORDS)
          .partitions()
          .forEach(p -> parts.add(new TopicPartition(StreamingJob.RECORDS, p.partition())));
      Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
      parts.forEach(p -> latest.put(p, OffsetSpec.latest()));
      var ends = admin.listOffsets(latest).all().get();
      while (true) {
        var committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        boolean done = true;
        for (TopicPartition p : parts) {
          var c = committed.get(p);
          if (c == null || c.offset() < ends.get(p).offset()) {
            done = false;
          }
        }
        if (done) {
          return;
        }
        Thread.sleep(500);
      }
    }
  }
}
