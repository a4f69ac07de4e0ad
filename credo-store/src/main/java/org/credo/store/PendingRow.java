package org.credo.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * A row of another feature's table, worked out before a store transaction and written inside it:
 * the outbox's notice for a record, committed with the record it reports ({@link Store.Append}).
 * The feature that owns the table builds the statement and values, so the store needs to know
 * nothing of it, and depends on none of its users.
 */
public interface PendingRow {
  /** The INSERT statement, one {@code ?} per value. Consecutive rows of one statement batch. */
  String insertSql();

  /** The values to bind, in order (as {@link Jdbc#bind} takes them). */
  Object[] values();

  /** Writes rows in the caller's transaction, one batch per run of rows with the same statement. */
  static void insertAll(Connection c, List<? extends PendingRow> rows) throws SQLException {
    int from = 0;
    while (from < rows.size()) {
      String sql = rows.get(from).insertSql();
      int to = from;
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        while (to < rows.size() && rows.get(to).insertSql().equals(sql)) {
          Jdbc.bind(ps, rows.get(to).values());
          ps.addBatch();
          to++;
        }
        ps.executeBatch();
      }
      from = to;
    }
  }
}
