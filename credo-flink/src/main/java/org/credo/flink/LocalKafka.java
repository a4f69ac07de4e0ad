package org.credo.flink;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A Kafka broker in this JVM (KRaft, one combined broker and controller), with Credo's topics: for
 * the demo and the tests. A real deployment points the job at its cluster instead ({@code
 * docs/scale.md}).
 */
public final class LocalKafka implements AutoCloseable {
  /** The job's output topics. */
  public static final List<String> OUTPUTS =
      List.of(
          SubjectScoring.SCORES,
          SubjectScoring.LISTS,
          SubjectScoring.NOTICES,
          SubjectScoring.DECISIONS,
          SubjectScoring.REJECTS);

  private final KafkaClusterTestKit cluster;

  private LocalKafka(KafkaClusterTestKit cluster) {
    this.cluster = cluster;
  }

  /** Starts a broker and creates the topics, {@code credo.records} with {@code partitions}. */
  public static LocalKafka start(int partitions) throws Exception {
    KafkaClusterTestKit cluster =
        new KafkaClusterTestKit.Builder(
                new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .build())
            .setConfigProp("transaction.state.log.replication.factor", "1")
            .setConfigProp("transaction.state.log.min.isr", "1")
            .setConfigProp("offsets.topic.replication.factor", "1")
            .setConfigProp("group.initial.rebalance.delay.ms", "0")
            .setConfigProp("log.flush.interval.messages", Long.toString(Long.MAX_VALUE))
            .build();
    cluster.format();
    cluster.startup();
    cluster.waitForReadyBrokers();
    LocalKafka kafka = new LocalKafka(cluster);
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
      List<NewTopic> topics = new ArrayList<>();
      topics.add(new NewTopic(StreamingJob.RECORDS, partitions, (short) 1));
      topics.add(
          new NewTopic(StreamingJob.POLICIES, 1, (short) 1)
              .configs(Map.of("cleanup.policy", "compact")));
      for (String t : OUTPUTS) {
        topics.add(new NewTopic(t, partitions, (short) 1));
      }
      admin.createTopics(topics).all().get();
    }
    return kafka;
  }

  public String bootstrap() {
    return cluster.bootstrapServers();
  }

  /** A producer of string keys and values (idempotent, batched). */
  public KafkaProducer<String, String> producer() {
    return producer(bootstrap());
  }

  static KafkaProducer<String, String> producer(String bootstrap) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("key.serializer", StringSerializer.class.getName());
    p.put("value.serializer", StringSerializer.class.getName());
    p.put("enable.idempotence", "true");
    p.put("linger.ms", "20");
    p.put("batch.size", "262144");
    p.put("compression.type", "lz4");
    return new KafkaProducer<>(p);
  }

  /** Sends {@code (key, value)} pairs to {@code topic} and waits until all are written. */
  public void send(String topic, List<Map.Entry<String, String>> messages) {
    send(bootstrap(), topic, messages);
  }

  /** Sends {@code (key, value)} pairs to {@code topic} of any cluster and waits for them. */
  static void send(String bootstrap, String topic, List<Map.Entry<String, String>> messages) {
    try (KafkaProducer<String, String> producer = producer(bootstrap)) {
      for (Map.Entry<String, String> m : messages) {
        producer.send(new ProducerRecord<>(topic, m.getKey(), m.getValue()));
      }
      producer.flush();
    }
  }

  /**
   * Every committed message now on {@code topics}, as {@code (topic, key, value)} ({@code
   * read_committed}: what an exactly-once job wrote in transactions that committed).
   */
  public List<Tuple3<String, String, String>> readCommitted(List<String> topics) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap());
    p.put("key.deserializer", ByteArrayDeserializer.class.getName());
    p.put("value.deserializer", ByteArrayDeserializer.class.getName());
    p.put("isolation.level", "read_committed");
    p.put("max.poll.records", "10000");
    p.put("fetch.max.bytes", "67108864");
    List<Tuple3<String, String, String>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
      List<TopicPartition> parts = new ArrayList<>();
      for (String t : topics) {
        consumer.partitionsFor(t).forEach(i -> parts.add(new TopicPartition(t, i.partition())));
      }
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      Map<TopicPartition, Long> end = consumer.endOffsets(parts);
      while (true) {
        boolean done = true;
        for (TopicPartition tp : parts) {
          if (consumer.position(tp) < end.get(tp)) {
            done = false;
          }
        }
        if (done) {
          break;
        }
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          out.add(
              Tuple3.of(
                  r.topic(),
                  r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8),
                  new String(r.value(), StandardCharsets.UTF_8)));
        }
      }
    }
    return out;
  }

  @Override
  public void close() throws Exception {
    cluster.close();
  }
}
