package org.credo.flink;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.credo.records.Record;
import org.credo.records.RecordType;
import org.credo.records.SourceId;
import org.credo.subject.SubjectId;

/**
 * A validated record as bytes, so that the job parses each input line once: the bytes travel
 * between operators and sit in keyed state as {@code byte[]} (Flink's own serializer, no Kryo), and
 * decode to the very same {@link Record} — attribute numbers as the doubles the parser made,
 * strings and booleans as they were, attribute order kept.
 */
final class RecordCodec {
  private static final byte NUMBER = 0;
  private static final byte TEXT = 1;
  private static final byte BOOL = 2;

  private RecordCodec() {}

  static byte[] encode(Record r) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(96);
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeUTF(r.source().value());
      out.writeUTF(r.id());
      out.writeUTF(r.subject().toString());
      out.writeUTF(r.type().value());
      out.writeLong(r.occurred().getEpochSecond());
      out.writeInt(r.occurred().getNano());
      out.writeLong(r.learned().getEpochSecond());
      out.writeInt(r.learned().getNano());
      out.writeShort(r.attributes().size());
      for (Map.Entry<String, Object> a : r.attributes().entrySet()) {
        out.writeUTF(a.getKey());
        if (a.getValue() instanceof Double d) {
          out.writeByte(NUMBER);
          out.writeDouble(d);
        } else if (a.getValue() instanceof Boolean b) {
          out.writeByte(BOOL);
          out.writeBoolean(b);
        } else {
          out.writeByte(TEXT);
          out.writeUTF((String) a.getValue());
        }
      }
      optional(out, r.evidence());
      optional(out, r.supersedes());
      optional(out, r.retracts());
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The record of {@code bytes}, whose subject is {@code subject} (the key it was kept under). */
  static Record decode(byte[] bytes, SubjectId subject) {
    try {
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
      SourceId source = SourceId.of(in.readUTF());
      String id = in.readUTF();
      String written = in.readUTF();
      if (!written.equals(subject.toString())) {
        throw new IllegalStateException(
            "record " + id + " is about " + written + ", not " + subject);
      }
      RecordType type = RecordType.of(in.readUTF());
      Instant occurred = Instant.ofEpochSecond(in.readLong(), in.readInt());
      Instant learned = Instant.ofEpochSecond(in.readLong(), in.readInt());
      int n = in.readShort();
      Map<String, Object> attributes = new LinkedHashMap<>();
      for (int i = 0; i < n; i++) {
        String name = in.readUTF();
        byte tag = in.readByte();
        attributes.put(
            name,
            tag == NUMBER
                ? (Object) in.readDouble()
                : tag == BOOL ? in.readBoolean() : in.readUTF());
      }
      Optional<String> evidence = optional(in);
      Optional<String> supersedes = optional(in);
      Optional<String> retracts = optional(in);
      return new Record(
          source, id, subject, type, occurred, learned, attributes, evidence, supersedes, retracts);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A record's bytes with where it was read from, as it waits to be checked. */
  static byte[] withOrigin(String origin, byte[] record) {
    byte[] o = origin.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] out = new byte[4 + o.length + record.length];
    java.nio.ByteBuffer.wrap(out).putInt(o.length).put(o).put(record);
    return out;
  }

  /** The origin of bytes made by {@link #withOrigin}. */
  static String origin(byte[] held) {
    int n = java.nio.ByteBuffer.wrap(held).getInt();
    return new String(held, 4, n, java.nio.charset.StandardCharsets.UTF_8);
  }

  /** The record's own bytes within bytes made by {@link #withOrigin}. */
  static byte[] record(byte[] held) {
    int n = java.nio.ByteBuffer.wrap(held).getInt();
    return java.util.Arrays.copyOfRange(held, 4 + n, held.length);
  }

  /** Whether a record's bytes are about {@code subject}, without parsing the identifier. */
  static boolean isAbout(byte[] bytes, SubjectId subject) {
    try {
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
      in.readUTF();
      in.readUTF();
      return in.readUTF().equals(subject.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The subject a record's bytes are about. */
  static SubjectId subject(byte[] bytes) {
    try {
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
      in.readUTF();
      in.readUTF();
      return SubjectId.parse(in.readUTF());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void optional(DataOutputStream out, Optional<String> s) throws IOException {
    out.writeBoolean(s.isPresent());
    if (s.isPresent()) {
      out.writeUTF(s.get());
    }
  }

  private static Optional<String> optional(DataInputStream in) throws IOException {
    return in.readBoolean() ? Optional.of(in.readUTF()) : Optional.empty();
  }
}
