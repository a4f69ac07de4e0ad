package org.credo.flink;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The streaming job's dataflow (SPEC §6): records from {@code credo.records} (key: the subject's
 * pseudonym) and definitions from the compacted {@code credo.policies} (as broadcast state) in;
 * scores, list entries, notices, decision inputs and rejects out, as {@code (topic, key, JSON)}.
 * {@link #outputs} takes its inputs as streams, so that tests feed it from collections and the
 * command line from Kafka ({@link #fromKafka}, {@link #toKafka}).
 */
public final class StreamingJob {
  public static final String RECORDS = "credo.records";
  public static final String POLICIES = "credo.policies";

  /** The output's type: topic, key, JSON. */
  public static final TypeInformation<Tuple3<String, String, String>> OUT =
      Types.TUPLE(Types.STRING, Types.STRING, Types.STRING);

  /** Every keyed operator's state is spread over this many key groups, whatever the parallelism. */
  public static final int MAX_PARALLELISM = 4096;

  private StreamingJob() {}

  /**
   * The dataflow: intake tuples with event times and watermarks assigned, and the control messages.
   */
  static DataStream<Tuple3<String, String, String>> outputs(
      DataStream<Tuple3<String, Long, byte[]>> intake,
      DataStream<String> control,
      SubjectScoring.Settings settings) {
    DataStream<Tuple3<String, String, String>> rejects =
        intake
            .filter(t -> t.f0.equals(Intake.REJECT))
            .name("rejected lines")
            .map(
                t ->
                    Tuple3.of(SubjectScoring.REJECTS, "", new String(t.f2, StandardCharsets.UTF_8)))
            .returns(OUT)
            .name("to rejects");
    BroadcastStream<String> versions = control.broadcast(SubjectScoring.VERSIONS);
    DataStream<Tuple3<String, String, String>> scored =
        intake
            .filter(t -> !t.f0.equals(Intake.REJECT))
            .name("records")
            .keyBy(t -> t.f0, Types.STRING)
            .connect(versions)
            .process(new SubjectScoring(settings))
            .returns(OUT)
            .uid("credo-subjects")
            .name("score subjects");
    return scored.union(rejects);
  }

  /** Event time: when Credo learned the record; a reject carries none. */
  static WatermarkStrategy<Tuple3<String, Long, byte[]>> recordWatermarks(Duration outOfOrder) {
    return WatermarkStrategy.<Tuple3<String, Long, byte[]>>forBoundedOutOfOrderness(outOfOrder)
        .withTimestampAssigner((t, ts) -> t.f0.equals(Intake.REJECT) ? Long.MIN_VALUE : t.f1)
        .withIdleness(Duration.ofSeconds(30));
  }

  /**
   * The control topic's watermark follows its activation instants and, once it has been read, it
   * goes idle so that it never holds the records back.
   */
  static WatermarkStrategy<String> controlWatermarks() {
    return WatermarkStrategy.<String>forMonotonousTimestamps()
        .withTimestampAssigner(
            (json, ts) -> {
              try {
                return Versions.Message.parse(json).activeFrom().toEpochMilli();
              } catch (RuntimeException e) {
                return Long.MIN_VALUE;
              }
            })
        .withIdleness(Duration.ofSeconds(5));
  }

  /** Where the job reads and writes Kafka. */
  public record Kafka(String bootstrap, String group, boolean bounded, boolean fromLatest) {
    /** From the earliest records (a first start; a restart resumes from its checkpoint). */
    public Kafka(String bootstrap, String group, boolean bounded) {
      this(bootstrap, group, bounded, false);
    }
  }

  /** The job's inputs read from Kafka ({@code read_committed}), watermarked. */
  static DataStream<Tuple3<String, String, String>> fromKafka(
      StreamExecutionEnvironment env,
      Kafka kafka,
      Duration outOfOrder,
      SubjectScoring.Settings settings) {
    var records =
        KafkaSource.<Tuple3<String, Long, byte[]>>builder()
            .setBootstrapServers(kafka.bootstrap())
            .setTopics(RECORDS)
            .setGroupId(kafka.group())
            .setStartingOffsets(
                kafka.fromLatest() ? OffsetsInitializer.latest() : OffsetsInitializer.earliest())
            .setDeserializer(new Intake.Deserializer())
            .setProperty("isolation.level", "read_committed");
    var control =
        KafkaSource.<String>builder()
            .setBootstrapServers(kafka.bootstrap())
            .setTopics(POLICIES)
            .setGroupId(kafka.group() + "-policies")
            .setStartingOffsets(OffsetsInitializer.earliest())
            .setDeserializer(KafkaRecordDeserializationSchema.valueOnly(new SimpleStringSchema()))
            .setProperty("isolation.level", "read_committed");
    if (kafka.bounded()) {
      records.setBounded(OffsetsInitializer.latest());
      control.setBounded(OffsetsInitializer.latest());
    }
    DataStream<Tuple3<String, Long, byte[]>> intake =
        env.fromSource(records.build(), recordWatermarks(outOfOrder), "credo.records")
            .uid("credo-records-in");
    DataStream<String> definitions =
        env.fromSource(control.build(), controlWatermarks(), "credo.policies")
            .uid("credo-policies-in")
            .setParallelism(1);
    return outputs(intake, definitions, settings);
  }

  /**
   * The job's outputs written to their topics in Kafka transactions committed with each checkpoint
   * (exactly once); the transaction timeout stays under the broker's {@code
   * transaction.max.timeout.ms} (15 minutes by default) and above a checkpoint and a restart.
   */
  static KafkaSink<Tuple3<String, String, String>> toKafka(Kafka kafka, String transactionalId) {
    Properties producer = new Properties();
    producer.setProperty("transaction.timeout.ms", "600000");
    producer.setProperty("compression.type", "lz4");
    producer.setProperty("linger.ms", "20");
    return KafkaSink.<Tuple3<String, String, String>>builder()
        .setBootstrapServers(kafka.bootstrap())
        .setKafkaProducerConfig(producer)
        .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
        .setTransactionalIdPrefix(transactionalId)
        .setRecordSerializer(new ToTopic())
        .build();
  }

  /** Where the serving store is (PostgreSQL, migrated by {@code credo-store}). */
  public record Serving(String url, String user, String password) {}

  /**
   * The whole job on {@code env}: Kafka in, Kafka out exactly once, and the serving store.
   *
   * @param transactionalId the prefix of the sink's Kafka transactions; one per job
   */
  static void build(
      StreamExecutionEnvironment env,
      Kafka kafka,
      java.util.Optional<Serving> serving,
      SubjectScoring.Settings settings,
      Duration outOfOrder,
      String transactionalId) {
    DataStream<Tuple3<String, String, String>> out = fromKafka(env, kafka, outOfOrder, settings);
    out.filter(t -> !t.f0.startsWith("serving."))
        .name("topics")
        .sinkTo(toKafka(kafka, transactionalId))
        .uid("credo-kafka-out")
        .name("to Kafka");
    serving.ifPresent(
        s ->
            out.filter(ServingSink::serves)
                .name("served outputs")
                .sinkTo(new ServingSink(s.url(), s.user(), s.password()))
                .uid("credo-serving-out")
                .name("to the serving store"));
  }

  /**
   * The job's configuration: checkpoints every {@code checkpoint} (exactly once), no Kryo, a fixed
   * max parallelism, restarts after a failure.
   */
  static org.apache.flink.configuration.Configuration configuration(
      Duration checkpoint, int parallelism) {
    return configuration(checkpoint, parallelism, java.util.Optional.empty());
  }

  /**
   * @param checkpoints where checkpoints are written (a file system URI); none: a temporary folder
   */
  static org.apache.flink.configuration.Configuration configuration(
      Duration checkpoint, int parallelism, java.util.Optional<String> checkpoints) {
    var conf = new org.apache.flink.configuration.Configuration();
    // Keyed state outgrows the job manager's memory: checkpoints go to files (HDFS, S3 in a
    // cluster).
    conf.set(org.apache.flink.configuration.CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
    conf.set(
        org.apache.flink.configuration.CheckpointingOptions.CHECKPOINTS_DIRECTORY,
        checkpoints.orElseGet(
            () -> {
              try {
                java.nio.file.Path d =
                    java.nio.file.Files.createTempDirectory("credo-checkpoints-");
                d.toFile().deleteOnExit();
                return d.toUri().toString();
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            }));
    conf.set(org.apache.flink.configuration.PipelineOptions.GENERIC_TYPES, false);
    conf.set(org.apache.flink.configuration.PipelineOptions.MAX_PARALLELISM, MAX_PARALLELISM);
    conf.set(org.apache.flink.configuration.CoreOptions.DEFAULT_PARALLELISM, parallelism);
    conf.set(
        org.apache.flink.configuration.CheckpointingOptions.CHECKPOINTING_INTERVAL, checkpoint);
    conf.set(
        org.apache.flink.configuration.CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE,
        org.apache.flink.core.execution.CheckpointingMode.EXACTLY_ONCE);
    conf.set(org.apache.flink.configuration.RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
    conf.set(
        org.apache.flink.configuration.RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS,
        10);
    conf.set(
        org.apache.flink.configuration.RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY,
        Duration.ofMillis(200));
    return conf;
  }

  /** Each output to its topic, keyed by the subject's pseudonym. */
  static final class ToTopic
      implements KafkaRecordSerializationSchema<Tuple3<String, String, String>> {
    @Override
    public ProducerRecord<byte[], byte[]> serialize(
        Tuple3<String, String, String> t, KafkaSinkContext context, Long timestamp) {
      return new ProducerRecord<>(
          t.f0,
          null,
          null, // the broker's time: an event time years back would fall to the topic's retention
          t.f1.isEmpty() ? null : t.f1.getBytes(StandardCharsets.UTF_8),
          t.f2.getBytes(StandardCharsets.UTF_8));
    }
  }
}
