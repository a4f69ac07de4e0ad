package org.credo.audit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.credo.store.Keys;
import org.credo.store.Store;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The audit log contract on a real PostgreSQL server started from Maven artifacts. */
class PostgresAuditLogTest extends AuditLogContract {
  static EmbeddedPostgres postgres;
  static int databases;

  @BeforeAll
  static void startPostgres() throws IOException {
    postgres = EmbeddedPostgres.builder().start();
  }

  @AfterAll
  static void stopPostgres() throws IOException {
    postgres.close();
  }

  @Override
  Store freshStore() {
    String name = "credo_audit_" + databases++;
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return Store.openPostgres(
        postgres.getJdbcUrl("postgres", name), "postgres", "", Keys.generate());
  }
}
