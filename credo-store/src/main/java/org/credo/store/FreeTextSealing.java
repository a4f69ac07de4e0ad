package org.credo.store;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * The upgrade that seals, once, the free texts about subjects that stores written before sealing
 * kept in clear: disputes' statements and reasons, their history's notes, repairs' evidence and
 * reasons, and notices' messages and details. Each is sealed as {@link Keys#sealText} would have
 * sealed it when written (bound to the dispute's or repair's id, or the notice's subject), all in
 * one transaction: a crash leaves every text as it was, and the next open tries again.
 */
final class FreeTextSealing {
  private FreeTextSealing() {}

  /** A text column and the column naming what it is bound to. */
  private record Column(String table, String rowId, String column, String boundTo, boolean bytes) {}

  private static final List<Column> COLUMNS =
      List.of(
          new Column("disputes", "id", "statement", "id", false),
          new Column("disputes", "id", "reason", "id", false),
          new Column("dispute_events", "rowid", "note", "dispute_id", false),
          new Column("repairs", "id", "evidence", "id", false),
          new Column("repairs", "id", "reason", "id", false),
          new Column("notifications", "seq", "message", "subject_key", true),
          new Column("notifications", "seq", "details", "subject_key", true));

  /**
   * Seals every text not yet sealed.
   *
   * @return how many texts were sealed
   */
  static int run(Jdbc jdbc, Keys keys, boolean postgres) {
    return jdbc.transaction(
        c -> {
          int n = 0;
          for (Column col : COLUMNS) {
            n += seal(c, keys, col, postgres);
          }
          return n;
        });
  }

  private static int seal(Connection c, Keys keys, Column col, boolean postgres)
      throws SQLException {
    // PostgreSQL tables have no rowid; dispute_events rows are told apart by their ctid there.
    String rowId = col.rowId().equals("rowid") && postgres ? "ctid::text" : col.rowId();
    List<Object[]> clear =
        Jdbc.query(
            c,
            "SELECT "
                + rowId
                + ", "
                + col.column()
                + ", "
                + col.boundTo()
                + " FROM "
                + col.table()
                + " WHERE "
                + col.column()
                + " IS NOT NULL AND "
                + col.column()
                + " NOT LIKE '"
                + Keys.SEALED_TEXT
                + "%'",
            rs ->
                new Object[] {
                  rs.getObject(1),
                  rs.getString(2),
                  col.bytes() ? rs.getBytes(3) : rs.getString(3).getBytes(StandardCharsets.UTF_8)
                });
    String where = col.rowId().equals("rowid") && postgres ? "ctid = ?::tid" : rowId + " = ?";
    for (Object[] row : clear) {
      Jdbc.update(
          c,
          "UPDATE " + col.table() + " SET " + col.column() + " = ? WHERE " + where,
          keys.sealText((String) row[1], (byte[]) row[2]),
          row[0]);
    }
    return clear.size();
  }
}
