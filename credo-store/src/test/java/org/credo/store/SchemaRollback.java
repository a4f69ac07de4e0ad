package org.credo.store;

/** For tests that take an embedded store back to an older schema, to watch a migration run. */
public final class SchemaRollback {
  private SchemaRollback() {}

  /**
   * Undoes migrations V9 (the change counters of {@code store_changes} and the triggers that move
   * them) V10 (the record-type catalogue), V11 (source kinds), V12 (scoring modes, match evidence)
   * V13 (the serving store) and V14 (policy simulations) and V15 (fairness attributes), so that
   * Flyway applies them again after the earlier migrations a test undid.
   */
  public static void undoStoreChanges(Jdbc db) {
    for (String trigger :
        db.query(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%_changes'",
            rs -> rs.getString(1))) {
      db.update("DROP TRIGGER " + trigger);
    }
    db.update("DROP TABLE store_changes");
    db.update("DROP TABLE catalogue_activations");
    db.update("DROP TABLE catalogues");
    db.update("ALTER TABLE sources DROP COLUMN kind");
    db.update("DROP TABLE scoring_modes");
    db.update("ALTER TABLE records DROP COLUMN match_check");
    for (String table :
        java.util.List.of(
            "serving_scores",
            "serving_lists",
            "serving_decisions",
            "serving_records",
            "policy_simulations",
            "fairness_attributes")) {
      db.update("DROP TABLE " + table);
    }
    db.update(
        "DELETE FROM flyway_schema_history WHERE version IN ('9', '10', '11', '12', '13', '14', '15')");
  }
}
