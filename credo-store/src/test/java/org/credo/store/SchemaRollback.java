package org.credo.store;

/** For tests that take an embedded store back to an older schema, to watch a migration run. */
public final class SchemaRollback {
  private SchemaRollback() {}

  /**
   * Undoes migration V9 (the change counters of {@code store_changes} and the triggers that move
   * them), so that Flyway applies it again after the earlier migrations a test undid.
   */
  public static void undoStoreChanges(Jdbc db) {
    for (String trigger :
        db.query(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%_changes'",
            rs -> rs.getString(1))) {
      db.update("DROP TRIGGER " + trigger);
    }
    db.update("DROP TABLE store_changes");
    db.update("DELETE FROM flyway_schema_history WHERE version = '9'");
  }
}
