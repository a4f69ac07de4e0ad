package org.credo.flink;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.credo.app.wire.ApiWire;
import org.credo.records.Record;
import org.credo.records.RecordJson;

/**
 * A line of {@code credo.records} as the job takes it in: parsed once, where it is read, into
 * {@code (key, event time, bytes)}. The key is the Kafka key — the subject's pseudonym, which the
 * job keys its state by and the serving store files rows under — or the subject itself when there
 * is none; the event time is when Credo learned the record, rounded up to the millisecond the job's
 * timers count in. A line that does not parse, or names an identifier as an attribute value,
 * becomes a reject: key {@link #REJECT}, its bytes the reject's JSON with the reason and the line's
 * topic, partition and offset.
 */
final class Intake {
  /** The key of a rejected line. */
  static final String REJECT = "";

  static final TypeInformation<Tuple3<String, Long, byte[]>> TYPE =
      Types.TUPLE(Types.STRING, Types.LONG, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);

  private Intake() {}

  /** Parses one line: a record (with its origin) or a reject. */
  static Tuple3<String, Long, byte[]> parse(
      String key, String value, String origin, long timestamp) {
    try {
      Record r = RecordJson.parse(value, Optional.empty(), null, ScoringJob.END_OF_TIME);
      String subject = r.subject().toString();
      return Tuple3.of(
          key == null || key.isEmpty() ? subject : key,
          org.credo.scoring.ChangePoints.ceilMillis(r.learned()),
          RecordCodec.withOrigin(origin, RecordCodec.encode(r)));
    } catch (IllegalArgumentException e) {
      return Tuple3.of(
          REJECT,
          timestamp,
          reject(e.getMessage(), value, origin).getBytes(StandardCharsets.UTF_8));
    }
  }

  /** A reject as {@code credo.rejects} carries it. */
  static String reject(String reason, String input, String origin) {
    var node = ApiWire.MAPPER.createObjectNode();
    node.put("reason", reason);
    node.put("origin", origin);
    node.put("input", input.length() > 2_000 ? input.substring(0, 2_000) : input);
    return node.toString();
  }

  /** Reads {@code credo.records} into intake tuples. */
  static final class Deserializer
      implements KafkaRecordDeserializationSchema<Tuple3<String, Long, byte[]>> {
    @Override
    public void deserialize(
        ConsumerRecord<byte[], byte[]> record, Collector<Tuple3<String, Long, byte[]>> out) {
      String origin = record.topic() + "/" + record.partition() + "@" + record.offset();
      String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
      String value =
          record.value() == null ? "" : new String(record.value(), StandardCharsets.UTF_8);
      out.collect(parse(key, value, origin, record.timestamp()));
    }

    @Override
    public TypeInformation<Tuple3<String, Long, byte[]>> getProducedType() {
      return TYPE;
    }
  }
}
