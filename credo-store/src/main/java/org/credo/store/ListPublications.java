package org.credo.store;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.credo.subject.SubjectId;

/**
 * Subjects who chose to appear on a public red list (table {@code list_publication}, migration V5):
 * stored against the subject's pseudonym with its identifier sealed, so that only a list's public
 * page, which names those who opted in, ever opens it.
 */
public final class ListPublications {
  private final Jdbc db;
  private final Keys keys;

  public ListPublications(Store store) {
    requireNonNull(store, "store is null");
    this.db = store.jdbc();
    this.keys = store.keys();
  }

  /** The subjects who opted in to {@code list}: pseudonym (lower-case hex) to identifier. */
  public Map<String, SubjectId> optedIn(String list) {
    Map<String, SubjectId> out = new HashMap<>();
    db.query(
            "SELECT subject_key, subject_sealed FROM list_publication WHERE list_name = ?",
            rs -> Map.entry(rs.getBytes(1), rs.getBytes(2)),
            list)
        .forEach(
            e ->
                out.put(
                    HexFormat.of().formatHex(e.getKey()),
                    keys.openSubject(e.getValue(), e.getKey())));
    return out;
  }

  /** Opts {@code subject} in to {@code list} (again, from {@code now}) or out of it. */
  public void set(SubjectId subject, String list, boolean optIn, Instant now) {
    byte[] key = keys.pseudonym(subject);
    db.update("DELETE FROM list_publication WHERE subject_key = ? AND list_name = ?", key, list);
    if (optIn) {
      db.update(
          "INSERT INTO list_publication (subject_key, list_name, subject_sealed, opted_in_us)"
              + " VALUES (?, ?, ?, ?)",
          key,
          list,
          keys.sealSubject(subject),
          Jdbc.micros(now));
    }
  }
}
