package org.credo.bench;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import org.credo.engine.Distribution;
import org.credo.engine.Engine;
import org.credo.store.Store;

/**
 * Start-up alone, on a store that already exists: open it and rebuild the in-memory index, several
 * times, so that the phases can be profiled without importing first.
 *
 * <pre>
 * java -Xmx14g -cp credo-bench/target/credo-bench.jar org.credo.bench.StartupBenchmark STORE-DIR [ROUNDS]
 * </pre>
 */
public final class StartupBenchmark {
  private StartupBenchmark() {}

  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    for (int round = 1; round <= rounds; round++) {
      long start = System.nanoTime();
      try (Store store = Store.openFolder(dir, false)) {
        long opened = System.nanoTime();
        Engine engine = new Engine(store);
        Engine.IndexFigures f = engine.buildIndex(Instant.now());
        long built = System.nanoTime();
        System.out.printf(
            Locale.ROOT,
            "round %d: open %.1f s, index %.1f s, together %.1f s: %,d subjects, %,d records,"
                + " %d policies%n",
            round,
            (opened - start) / 1e9,
            (built - opened) / 1e9,
            (built - start) / 1e9,
            f.subjects(),
            f.records(),
            f.policies().size());
        // Rescoring everyone under the first policy over the index just built.
        org.credo.policy.Policy policy = engine.activePolicies(Instant.now()).get(0);
        for (int r = 1; r <= 8; r++) {
          long t = System.nanoTime();
          Distribution d = engine.distribution(policy, Instant.now());
          double s = (System.nanoTime() - t) / 1e9;
          System.out.printf(
              Locale.ROOT,
              "  rescoring %s, round %d: %,d records in %.3f s = %,.0f records/s%n",
              policy.ref(),
              r,
              d.records(),
              s,
              d.records() / s);
        }
      }
      System.gc();
    }
  }
}
