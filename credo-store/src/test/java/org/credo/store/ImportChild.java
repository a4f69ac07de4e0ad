package org.credo.store;

import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.credo.engine.Engine;
import org.credo.ingest.Importer;

/**
 * Runs one import in its own process, printing "ACK n" each time a batch has been committed, so
 * that {@link CrashSafetyTest} can kill it with SIGKILL at chosen points.
 */
public final class ImportChild {
  private ImportChild() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    Path file = Path.of(args[1]);
    int batch = Integer.parseInt(args[2]);
    try (Store store = Store.openFolder(dir, false);
        Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      Engine engine = new Engine(store);
      new Importer(
              store,
              engine.activePolicies(Clock.systemUTC().instant()),
              Clock.systemUTC(),
              new Importer.Options(Optional.empty(), false, batch))
          .run(
              reader,
              Importer.Format.NDJSON,
              r -> {},
              lines -> {
                System.out.println("ACK " + lines);
                System.out.flush();
              });
    }
    System.out.println("DONE");
  }
}
