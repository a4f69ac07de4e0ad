package org.credo.access;

import static java.util.Objects.requireNonNull;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.credo.policy.Purpose;
import org.credo.store.Jdbc;
import org.credo.store.Store;
import org.credo.subject.SubjectId;

/** Consents, stored against the subject's pseudonym key. */
public final class Consents {
  /** What revoking did. */
  public enum Revocation {
    REVOKED,
    ALREADY_ENDED,
    NOT_FOUND
  }

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Store store;
  private final Jdbc db;

  public Consents(Store store) {
    this.store = requireNonNull(store, "store is null");
    this.db = new Jdbc(store.dataSource());
  }

  /**
   * Grants {@code party} consent to ask about {@code subject} for {@code purpose} until {@code
   * until}.
   *
   * @throws IllegalArgumentException when {@code until} is not after {@code now}
   */
  public Consent grant(
      SubjectId subject, String party, Purpose purpose, Instant until, Instant now) {
    if (!until.isAfter(now)) {
      throw new IllegalArgumentException("'until' " + until + " is not in the future");
    }
    byte[] idBytes = new byte[8];
    RANDOM.nextBytes(idBytes);
    Consent c =
        new Consent(
            "con-" + HexFormat.of().formatHex(idBytes),
            party,
            purpose,
            now,
            until,
            Optional.empty());
    db.update(
        "INSERT INTO consents (id, subject_key, party_id, purpose, granted_us, until_us)"
            + " VALUES (?, ?, ?, ?, ?, ?)",
        c.id(),
        key(subject),
        party,
        purpose.name(),
        Jdbc.micros(now),
        Jdbc.micros(until));
    return c;
  }

  /** Revokes one of the subject's consents; another subject's consent is "not found". */
  public Revocation revoke(SubjectId subject, String id, Instant now) {
    Optional<Consent> c = find(subject, id);
    if (c.isEmpty()) {
      return Revocation.NOT_FOUND;
    }
    if (!c.get().liveAt(now)) {
      return Revocation.ALREADY_ENDED;
    }
    db.update(
        "UPDATE consents SET revoked_us = ? WHERE id = ? AND subject_key = ?",
        Jdbc.micros(now),
        id,
        key(subject));
    return Revocation.REVOKED;
  }

  public Optional<Consent> find(SubjectId subject, String id) {
    return db.one(SELECT + " WHERE id = ? AND subject_key = ?", Consents::row, id, key(subject));
  }

  /** True when the subject has a live consent for this party and purpose at {@code at}. */
  public boolean live(SubjectId subject, String party, Purpose purpose, Instant at) {
    long us = Jdbc.micros(at);
    return db.one(
            "SELECT 1 FROM consents WHERE subject_key = ? AND party_id = ? AND purpose = ?"
                + " AND granted_us <= ? AND until_us > ? AND (revoked_us IS NULL OR revoked_us > ?)",
            rs -> 1,
            key(subject),
            party,
            purpose.name(),
            us,
            us,
            us)
        .isPresent();
  }

  /** Every consent the subject ever gave, newest first. */
  public List<Consent> list(SubjectId subject) {
    return db.query(
        SELECT + " WHERE subject_key = ? ORDER BY granted_us DESC, id",
        Consents::row,
        key(subject));
  }

  private static final String SELECT =
      "SELECT id, party_id, purpose, granted_us, until_us, revoked_us FROM consents";

  private static Consent row(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new Consent(
        rs.getString(1),
        rs.getString(2),
        Purpose.of(rs.getString(3)),
        Jdbc.instant(rs.getLong(4)),
        Jdbc.instant(rs.getLong(5)),
        Jdbc.optionalInstant(rs, 6));
  }

  private byte[] key(SubjectId subject) {
    return store.keys().pseudonym(subject);
  }
}
