package org.credo.server;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.credo.store.Keys;
import org.credo.store.Store;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The same journeys on a real PostgreSQL server started from Maven artifacts. */
class PostgresApiTest extends ApiContract {
  static EmbeddedPostgres postgres;
  static int databases;
  @TempDir Path dir;

  @BeforeAll
  static void startPostgres() throws IOException {
    postgres = EmbeddedPostgres.builder().start();
  }

  @AfterAll
  static void stopPostgres() throws IOException {
    postgres.close();
  }

  @Override
  Fixture start() throws Exception {
    String name = "credo_api_" + databases++;
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    Store store =
        Store.openPostgres(postgres.getJdbcUrl("postgres", name), "postgres", "", Keys.generate());
    return new Fixture(store, dir, Fixture.config(dir));
  }
}
