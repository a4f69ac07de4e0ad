package org.credo.cli;

import java.nio.file.Path;
import org.credo.store.Store;
import org.credo.store.StoreException;
import picocli.CommandLine.Option;

/** The {@code --data DIR} option every store command takes. */
final class DataOption {
  @Option(
      names = "--data",
      paramLabel = "DIR",
      description =
          "the store folder (default: $CREDO_DATA, else ./credo-data); created on first use")
  Path data;

  Path dir() {
    if (data != null) {
      return data;
    }
    String env = System.getenv("CREDO_DATA");
    return env != null && !env.isBlank() ? Path.of(env) : Path.of("credo-data");
  }

  /**
   * Opens the store, creating it on first use: the embedded SQLite store in the folder, or — when
   * {@code CREDO_JDBC_URL} (or the system property {@code credo.jdbc.url}) is set — a PostgreSQL
   * database, with {@code CREDO_JDBC_USER} and {@code CREDO_JDBC_PASSWORD}; the keys are then kept
   * in the folder all the same.
   */
  Store open() {
    try {
      String url = setting("CREDO_JDBC_URL", "credo.jdbc.url");
      if (url != null) {
        java.nio.file.Files.createDirectories(dir());
        return Store.openPostgres(
            url,
            setting("CREDO_JDBC_USER", "credo.jdbc.user"),
            setting("CREDO_JDBC_PASSWORD", "credo.jdbc.password"),
            org.credo.store.Keys.inFolder(dir(), true));
      }
      return Store.openFolder(dir(), true);
    } catch (StoreException e) {
      throw new BadInput(e.getMessage());
    } catch (java.io.IOException e) {
      throw new BadInput("cannot create " + dir() + ": " + e.getMessage());
    }
  }

  private static String setting(String env, String property) {
    String value = System.getProperty(property);
    if (value == null || value.isBlank()) {
      value = System.getenv(env);
    }
    return value == null || value.isBlank() ? null : value;
  }
}
