package org.credo.store.fairness;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.credo.fairness.ProtectedAttributes;
import org.credo.records.Record;
import org.credo.store.Keys;
import org.credo.store.Store;

/**
 * The segregated store of {@link ProtectedAttributes} (table {@code fairness_attributes}): written
 * at intake, in the transaction that stores a subject's first record, sealed under the fairness key
 * and bound to the subject's pseudonym; read by the fairness report alone. Nothing else in Credo
 * reads it — no policy, decision, export or the streaming job (the architecture tests fail the
 * build if one does).
 */
public final class FairnessVault {
  private final Store store;

  public FairnessVault(Store store) {
    this.store = requireNonNull(store, "store is null");
  }

  /**
   * Derives and seals the attributes of the subjects of {@code records} newly stored (a row in
   * {@code rows}), once per subject: called by the store's append, inside its transaction.
   */
  public static void derive(
      Connection c, Keys keys, List<Record> records, long[] rows, byte[][] subjectKeys)
      throws SQLException {
    Set<ByteBuffer> done = new HashSet<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO fairness_attributes (subject_key, sealed) VALUES (?, ?)"
                + " ON CONFLICT (subject_key) DO NOTHING")) {
      int batched = 0;
      for (int i = 0; i < records.size(); i++) {
        if (rows[i] <= 0 || !done.add(ByteBuffer.wrap(subjectKeys[i]))) {
          continue;
        }
        Optional<ProtectedAttributes> a = ProtectedAttributes.derive(records.get(i).subject());
        if (a.isEmpty()) {
          continue;
        }
        ps.setBytes(1, subjectKeys[i]);
        ps.setBytes(2, keys.sealFairness(a.get().encode(), subjectKeys[i]));
        ps.addBatch();
        batched++;
      }
      if (batched > 0) {
        ps.executeBatch();
      }
    }
  }

  /** Every subject's attributes, by pseudonym. */
  public Map<ByteBuffer, ProtectedAttributes> all() {
    Keys keys = store.keys();
    Map<ByteBuffer, ProtectedAttributes> out = new HashMap<>();
    store
        .jdbc()
        .query(
            "SELECT subject_key, sealed FROM fairness_attributes",
            rs -> {
              byte[] key = rs.getBytes(1);
              out.put(
                  ByteBuffer.wrap(key),
                  ProtectedAttributes.decode(keys.openFairness(rs.getBytes(2), key)));
              return null;
            });
    return out;
  }

  /** How many subjects have attributes on file. */
  public long count() {
    return store
        .jdbc()
        .one("SELECT COUNT(*) FROM fairness_attributes", rs -> rs.getLong(1))
        .orElse(0L);
  }

  /** Forgets a subject's attributes (an erasure). */
  public static int erase(Store store, byte[] subjectKey) {
    return store
        .jdbc()
        .update("DELETE FROM fairness_attributes WHERE subject_key = ?", (Object) subjectKey);
  }
}
