package org.credo.cli;

import java.nio.file.Path;
import org.credo.engine.Engine;
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

  /** Opens the store, creating it on first use. */
  Store open() {
    try {
      return Store.openFolder(dir(), true);
    } catch (StoreException e) {
      throw new BadInput(e.getMessage());
    }
  }

  Engine engine() {
    return new Engine(open());
  }
}
