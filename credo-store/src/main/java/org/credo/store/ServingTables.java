package org.credo.store;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * The serving tables the streaming job's sink writes (migration V13), read for serving mode: bodies
 * of wire JSON, filed by the subject's pseudonym in hex.
 */
public final class ServingTables {
  private final Jdbc db;

  public ServingTables(Jdbc db) {
    this.db = requireNonNull(db, "db is null");
  }

  /** The decision inputs of a (subject, policy, purpose), if the job made any. */
  public Optional<String> decision(String subjectKey, String policy, String purpose) {
    return db
        .query(
            "SELECT body FROM serving_decisions WHERE subject_key = ? AND policy = ? AND"
                + " purpose = ?",
            rs -> rs.getString(1),
            subjectKey,
            policy,
            purpose)
        .stream()
        .findFirst();
  }

  /** The subject's latest scores, one body per policy, by policy. */
  public List<String> scores(String subjectKey) {
    return db.query(
        "SELECT body FROM serving_scores WHERE subject_key = ? ORDER BY policy",
        rs -> rs.getString(1),
        subjectKey);
  }

  /** The records the job holds for the subject, by record key. */
  public List<String> records(String subjectKey) {
    return db.query(
        "SELECT body FROM serving_records WHERE subject_key = ? ORDER BY record_key",
        rs -> rs.getString(1),
        subjectKey);
  }
}
