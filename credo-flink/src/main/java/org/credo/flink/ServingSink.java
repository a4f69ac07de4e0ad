package org.credo.flink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.api.java.tuple.Tuple3;
import org.credo.app.wire.ApiWire;

/**
 * The serving store's writer: the latest score, list entries and decision inputs of each subject,
 * upserted into PostgreSQL (tables {@code serving_scores}, {@code serving_lists}, {@code
 * serving_decisions}, migrated by the store) keyed by the subject's pseudonym, policy and purpose.
 * Rows are buffered, the newest per key, and committed when Flink flushes the writer — before every
 * checkpoint and at the end — so a checkpoint never completes with rows unwritten. After a failure
 * the job replays from the last checkpoint and writes the same rows again: an upsert replaces a row
 * only with one at the same or a later instant, so the replay is idempotent and never goes back.
 *
 * <p>Written here rather than with Flink's JDBC connector, which has no release for Flink 2.2: it
 * is one batched upsert per table.
 */
final class ServingSink implements Sink<Tuple3<String, String, String>> {
  private final String url;
  private final String user;
  private final String password;

  ServingSink(String url, String user, String password) {
    this.url = url;
    this.user = user;
    this.password = password;
  }

  @Override
  public SinkWriter<Tuple3<String, String, String>> createWriter(WriterInitContext context)
      throws IOException {
    try {
      return new Writer(DriverManager.getConnection(url, user, password));
    } catch (SQLException e) {
      throw new IOException("cannot reach the serving store at " + url + ": " + e.getMessage(), e);
    }
  }

  /** Whether an output goes to the serving store. */
  static boolean serves(Tuple3<String, String, String> t) {
    return t.f0.equals(SubjectScoring.SCORES)
        || t.f0.equals(SubjectScoring.LISTS)
        || t.f0.equals(SubjectScoring.DECISIONS)
        || t.f0.equals(SubjectScoring.HELD)
        || t.f0.equals(SubjectScoring.FORGOTTEN);
  }

  private record Row(String table, List<String> key, long asMs, String body) {}

  static final class Writer implements SinkWriter<Tuple3<String, String, String>> {
    private static final int BATCH = 2_000;
    private final Connection db;
    private final Map<String, PreparedStatement> upserts = new LinkedHashMap<>();
    private final Map<List<String>, Row> buffer = new LinkedHashMap<>();
    private PreparedStatement forget;
    private boolean dirty;

    Writer(Connection db) throws IOException {
      this.db = db;
      try {
        db.setAutoCommit(false);
        upserts.put("serving_scores", db.prepareStatement(upsert("serving_scores", "policy")));
        upserts.put("serving_lists", db.prepareStatement(upsert("serving_lists", "policy")));
        upserts.put(
            "serving_decisions",
            db.prepareStatement(upsert("serving_decisions", "policy, purpose")));
        upserts.put(
            "serving_records", db.prepareStatement(upsert("serving_records", "record_key")));
        forget = db.prepareStatement("DELETE FROM serving_records WHERE subject_key = ?");
      } catch (SQLException e) {
        throw new IOException(e);
      }
    }

    private static String upsert(String table, String keys) {
      String columns = "subject_key, " + keys + ", as_ms, body";
      int n = columns.split(",").length;
      return "INSERT INTO "
          + table
          + " ("
          + columns
          + ") VALUES ("
          + "?, ".repeat(n - 1)
          + "?) ON CONFLICT (subject_key, "
          + keys
          + ") DO UPDATE SET as_ms = excluded.as_ms, body = excluded.body WHERE "
          + table
          + ".as_ms <= excluded.as_ms";
    }

    @Override
    public void write(Tuple3<String, String, String> t, Context context) throws IOException {
      if (!serves(t)) {
        return;
      }
      if (t.f0.equals(SubjectScoring.FORGOTTEN)) {
        // In order: what is buffered for the subject is written, then their records go.
        flush(false);
        try {
          forget.setString(1, t.f1);
          forget.executeUpdate();
          dirty = true;
        } catch (SQLException e) {
          throw new IOException("the serving store refused a deletion: " + e.getMessage(), e);
        }
        return;
      }
      Row row = row(t);
      List<String> id = new java.util.ArrayList<>(row.key());
      id.add(0, row.table());
      Row before = buffer.get(id);
      if (before == null || before.asMs() <= row.asMs()) {
        buffer.put(id, row);
      }
      if (buffer.size() >= BATCH) {
        flush(false);
      }
    }

    /** The row for an output: its table, key, instant and body without the subject. */
    static Row row(Tuple3<String, String, String> t) throws IOException {
      ObjectNode node = (ObjectNode) ApiWire.MAPPER.readTree(t.f2);
      node.remove("subject");
      return switch (t.f0) {
        case SubjectScoring.SCORES -> {
          JsonNode score = node.path("scores").path(0);
          yield new Row(
              "serving_scores",
              List.of(t.f1, score.path("policy").asText()),
              millis(node.path("asOf").asText()),
              node.toString());
        }
        case SubjectScoring.LISTS ->
            new Row(
                "serving_lists",
                List.of(t.f1, node.path("policy").asText()),
                millis(node.path("asOf").asText()),
                node.toString());
        case SubjectScoring.HELD ->
            new Row(
                "serving_records",
                List.of(t.f1, node.path("source").asText() + "/" + node.path("id").asText()),
                millis(node.path("learned").asText()),
                node.toString());
        default ->
            new Row(
                "serving_decisions",
                List.of(t.f1, node.path("policy").asText(), node.path("purpose").asText()),
                millis(node.path("decidedAt").asText()),
                node.toString());
      };
    }

    private static long millis(String instant) {
      return Instant.parse(instant).toEpochMilli();
    }

    @Override
    public void flush(boolean endOfInput) throws IOException {
      if (buffer.isEmpty() && !dirty) {
        return;
      }
      try {
        for (Row row : buffer.values()) {
          PreparedStatement ps = upserts.get(row.table());
          int i = 1;
          for (String k : row.key()) {
            ps.setString(i++, k);
          }
          ps.setLong(i++, row.asMs());
          ps.setString(i, row.body());
          ps.addBatch();
        }
        for (PreparedStatement ps : upserts.values()) {
          ps.executeBatch();
        }
        db.commit();
        buffer.clear();
        dirty = false;
      } catch (SQLException e) {
        try {
          db.rollback();
        } catch (SQLException ignored) {
          // the connection is gone; the failure below restarts the task from its checkpoint
        }
        throw new IOException("the serving store refused a batch: " + e.getMessage(), e);
      }
    }

    @Override
    public void close() throws Exception {
      db.close();
    }
  }
}
