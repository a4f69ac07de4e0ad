package org.credo.notify;

import static java.util.Objects.requireNonNull;
import static org.credo.store.Jdbc.instant;
import static org.credo.store.Jdbc.micros;
import static org.credo.store.Jdbc.optionalInstant;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.credo.store.Jdbc;
import org.credo.store.Keys;
import org.credo.store.PendingRow;
import org.credo.store.Store;
import org.credo.store.StoreException;
import org.credo.subject.SubjectId;

/**
 * The durable outbox of notices to subjects. A notice is written in the same transaction as the
 * change it reports (a record, a dispute's answer), so none is lost; {@link WebhookSender} delivers
 * them afterwards, with retries. The subject's identifier is kept only sealed (AES-GCM under the
 * store's data key, bound to the pseudonym), for the webhook receiver that must address them.
 */
public final class Outbox {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, String>> DETAILS = new TypeReference<>() {};

  /** A notice waiting for delivery, with whom it is for. */
  public record Due(long seq, SubjectId subject, Notification notification) {}

  private final Store store;
  private final Jdbc db;

  public Outbox(Store store) {
    this.store = requireNonNull(store, "store is null");
    this.db = store.jdbc();
  }

  /** Writes a notice in a transaction of its own. */
  public void add(SubjectId subject, Notice notice, Instant at) {
    db.transaction(
        c -> {
          insert(c, store.keys(), subject, notice, at);
          return null;
        });
  }

  /** Writes a notice inside the caller's transaction, due for delivery at once. */
  public static void insert(Connection c, Keys keys, SubjectId subject, Notice notice, Instant at)
      throws SQLException {
    insertRows(c, List.of(row(keys, subject, notice, at)));
  }

  /**
   * A notice as the row the outbox stores: the subject's pseudonym and its sealed identifier, the
   * details as JSON. Worked out before a transaction, so that the single writer only stores it.
   */
  public record Row(
      byte[] subjectKey,
      byte[] recipient,
      String kind,
      String message,
      String details,
      long atMicros)
      implements PendingRow {
    @Override
    public String insertSql() {
      return INSERT;
    }

    @Override
    public Object[] values() {
      return Outbox.values(this);
    }
  }

  /** The row of a notice for {@code subject} written at {@code at}. */
  public static Row row(Keys keys, SubjectId subject, Notice notice, Instant at) {
    byte[] key = keys.pseudonym(subject);
    return new Row(
        key,
        keys.sealSubject(subject),
        notice.kind(),
        keys.sealText(notice.message(), key),
        keys.sealText(json(notice.details()), key),
        micros(at));
  }

  /** Writes notices' rows inside the caller's transaction, due for delivery at once. */
  public static void insertRows(Connection c, List<Row> rows) throws SQLException {
    PendingRow.insertAll(c, rows);
  }

  private static Object[] values(Row row) {
    return new Object[] {
      row.subjectKey(),
      row.recipient(),
      row.kind(),
      row.message(),
      row.details(),
      row.atMicros(),
      row.atMicros()
    };
  }

  /**
   * A notice as a row to write in the audit log's transaction (see {@link
   * org.credo.audit.AuditLog.Companion}): a denial's notice commits with its inquiry.
   */
  public static org.credo.audit.AuditLog.Companion companion(
      Keys keys, SubjectId subject, Notice notice, Instant at) {
    return new org.credo.audit.AuditLog.Companion(INSERT, values(row(keys, subject, notice, at)));
  }

  private static final String INSERT =
      "INSERT INTO notifications (subject_key, recipient, kind, message, details, created_us,"
          + " attempts, next_attempt_us) VALUES (?, ?, ?, ?, ?, ?, 0, ?)";

  /** The subject's notices, newest first. */
  public List<Notification> forSubject(SubjectId subject, int limit) {
    return db.query(
        "SELECT " + COLUMNS + " FROM notifications WHERE subject_key = ? ORDER BY seq DESC LIMIT ?",
        this::notification,
        store.keys().pseudonym(subject),
        limit);
  }

  /** Notices due for delivery at {@code now}, oldest first. */
  public List<Due> due(Instant now, int limit) {
    return db.query(
        "SELECT "
            + COLUMNS
            + ", recipient FROM notifications"
            + " WHERE next_attempt_us IS NOT NULL AND next_attempt_us <= ? ORDER BY seq LIMIT ?",
        rs -> {
          Notification n = notification(rs);
          byte[] key = rs.getBytes(10);
          SubjectId subject = store.keys().openSubject(rs.getBytes(11), key);
          return new Due(n.seq(), subject, n);
        },
        micros(now),
        limit);
  }

  /** Notices not yet delivered (pending or given up). */
  public long undelivered() {
    return db.one(
            "SELECT COUNT(*) FROM notifications WHERE delivered_us IS NULL", rs -> rs.getLong(1))
        .orElse(0L);
  }

  public void delivered(long seq, int attempts, Instant at) {
    db.update(
        "UPDATE notifications SET delivered_us = ?, attempts = ?, next_attempt_us = NULL,"
            + " last_error = NULL WHERE seq = ?",
        micros(at),
        attempts,
        seq);
  }

  /** Records a failed delivery; {@code next} empty gives up. */
  public void failed(long seq, int attempts, Optional<Instant> next, String error) {
    db.update(
        "UPDATE notifications SET attempts = ?, next_attempt_us = ?, last_error = ? WHERE seq = ?",
        attempts,
        next.map(Jdbc::micros).orElse(null),
        error.length() > 500 ? error.substring(0, 500) : error,
        seq);
  }

  private static final String COLUMNS =
      "seq, kind, message, details, created_us, attempts, delivered_us, next_attempt_us,"
          + " last_error, subject_key";

  private Notification notification(ResultSet rs) throws SQLException {
    Map<String, String> details;
    byte[] key = rs.getBytes(10);
    try {
      String text = store.keys().openText(rs.getString(4), key);
      details = text == null ? Map.of() : JSON.readValue(text, DETAILS);
    } catch (JsonProcessingException e) {
      throw new StoreException("a notification's details are not JSON: " + e.getMessage(), e);
    }
    return new Notification(
        rs.getLong(1),
        new Notice(rs.getString(2), store.keys().openText(rs.getString(3), key), details),
        instant(rs.getLong(5)),
        rs.getInt(6),
        optionalInstant(rs, 7),
        optionalInstant(rs, 8),
        Optional.ofNullable(rs.getString(9)));
  }

  private static String json(Map<String, String> details) {
    try {
      return details.isEmpty() ? null : JSON.writeValueAsString(details);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
