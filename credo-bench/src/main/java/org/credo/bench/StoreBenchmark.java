package org.credo.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.credo.engine.Distribution;
import org.credo.engine.Engine;
import org.credo.generate.Population;
import org.credo.ingest.ImportSummary;
import org.credo.ingest.Importer;
import org.credo.policy.Policy;
import org.credo.records.SourceId;
import org.credo.store.Keys;
import org.credo.store.SourceRegistration;
import org.credo.store.Store;
import org.credo.subject.SubjectId;

/**
 * End-to-end store figures, run as a plain program (JMH suits microbenchmarks, not a minute-long
 * import): generate a population, import it durably into a fresh SQLite store and a fresh
 * PostgreSQL database, rescore everyone, and score single subjects.
 *
 * <pre>
 * java -cp credo-bench/target/credo-bench.jar org.credo.bench.StoreBenchmark [SUBJECTS] [sqlite|postgres|both]
 * </pre>
 */
public final class StoreBenchmark {
  private StoreBenchmark() {}

  public static void main(String[] args) throws Exception {
    long subjects = args.length > 0 ? Long.parseLong(args[0]) : 50_000;
    String which = args.length > 1 ? args[1] : "both";
    Path temp = Files.createTempDirectory("credo-bench-");
    Instant now = Instant.now();
    Path file = temp.resolve("population.ndjson");
    List<String> sample = new ArrayList<>();
    Population.Summary generated =
        Population.writeFile(
            subjects,
            1,
            now,
            file,
            line -> {
              if (sample.size() < 10_000 && line.contains("\"person:")) {
                int at = line.indexOf("\"subject\":\"") + 11;
                String s = line.substring(at, line.indexOf('"', at));
                if (sample.isEmpty() || !sample.get(sample.size() - 1).equals(s)) {
                  sample.add(s);
                }
              }
            });
    System.out.printf(
        Locale.ROOT,
        "population: %,d subjects, %,d records, %,d MB%n",
        generated.subjects(),
        generated.records(),
        Files.size(file) >> 20);
    try {
      if (!which.equals("postgres")) {
        try (Store store = Store.openFolder(temp.resolve("sqlite"), true)) {
          run("SQLite", store, file, sample, now);
        }
      }
      if (!which.equals("sqlite")) {
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
            Store store =
                Store.openPostgres(
                    pg.getJdbcUrl("postgres", "postgres"), "postgres", "", Keys.generate())) {
          run("PostgreSQL", store, file, sample, now);
        }
      }
    } finally {
      // A 10 M-record run leaves 3 GB: remove it.
      try (var walk = Files.walk(temp)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static void run(String name, Store store, Path file, List<String> sample, Instant now)
      throws Exception {
    Engine engine = new Engine(store);
    for (String policy : List.of("rongcheng-style", "sesame-style", "bureau-style")) {
      engine.activate(policy, BenchData.policyText(policy), now);
    }
    for (Population.Source s : Population.sources()) {
      store.sources().put(new SourceRegistration(SourceId.of(s.id()), s.typePrefixes(), now));
    }
    // The index is built (empty) before the import, and each committed batch updates it: scores
    // are current the moment the import ends.
    engine.buildIndex(now);
    long start = System.nanoTime();
    ImportSummary summary;
    // As credo import reads a file: bytes, each line decoded as UTF-8 on its own.
    try (java.io.InputStream reader = Files.newInputStream(file)) {
      summary =
          new Importer(
                  store,
                  engine.activePolicies(now),
                  Clock.systemUTC(),
                  Importer.Options.defaults(),
                  engine::accepted)
              .run(reader, Importer.Format.NDJSON, r -> {}, n -> {});
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        Locale.ROOT,
        "%s import: %s in %.1f s = %,.0f records/s (durable: every batch committed; index kept"
            + " current)%n",
        name,
        summary,
        seconds,
        summary.lines() / seconds);
    Engine.IndexFigures grown = engine.indexFigures().orElseThrow();
    Engine.IndexFigures trimmed = engine.trimIndex();
    System.out.printf(
        Locale.ROOT,
        "%s index after the import: %.1f bytes/record with room to grow, %.1f once trimmed%n",
        name,
        grown.bytesPerRecord(),
        trimmed.bytesPerRecord());
    Instant at = Instant.now();
    Policy rongcheng =
        engine.activePolicies(at).stream()
            .filter(p -> p.id().equals("rongcheng-style"))
            .findFirst()
            .orElseThrow();
    engine = null;
    System.gc();
    long scanStart = System.nanoTime();
    long[] scanned = {0};
    store.forEachIndexRow(type -> false, r -> scanned[0]++);
    System.out.printf(
        Locale.ROOT,
        "%s reading every row the index needs: %,d rows in %.1f s%n",
        name,
        scanned[0],
        (System.nanoTime() - scanStart) / 1e9);
    // Start-up: a fresh engine rebuilds the index from the store.
    Runtime rt = Runtime.getRuntime();
    long heapBefore = rt.totalMemory() - rt.freeMemory();
    start = System.nanoTime();
    Engine fresh = new Engine(store);
    Engine.IndexFigures f = fresh.buildIndex(at);
    seconds = (System.nanoTime() - start) / 1e9;
    System.gc();
    long heapAfter = rt.totalMemory() - rt.freeMemory();
    long others = 0;
    for (var ref : f.policies()) {
      if (!ref.equals(rongcheng.ref())) {
        others += fresh.indexPolicyBytes(ref);
      }
    }
    System.out.printf(
        Locale.ROOT,
        "%s start-up (rebuild the index from the store): %,d subjects, %,d records in %.1f s;"
            + " index %,d MB = %.1f bytes/record for %d policies, %.1f bytes/record with"
            + " rongcheng-style alone (heap grew by %,d MB)%n",
        name,
        f.subjects(),
        f.records(),
        seconds,
        f.bytes() >> 20,
        f.bytesPerRecord(),
        f.policies().size(),
        (double) (f.bytes() - others) / f.records(),
        (heapAfter - heapBefore) >> 20);
    for (int round = 0; round < 10; round++) {
      start = System.nanoTime();
      Distribution d = fresh.distribution(rongcheng, at);
      seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          Locale.ROOT,
          "%s rescoring over the index (rongcheng-style), round %d: %,d subjects, %,d records in"
              + " %.3f s = %,.0f records/s%n",
          name,
          round + 1,
          d.subjects(),
          d.records(),
          seconds,
          d.records() / seconds);
    }
    for (int round = 0; round < 20; round++) {
      start = System.nanoTime();
      for (String s : sample) {
        fresh.scores(SubjectId.parse(s), at, at);
      }
      seconds = (System.nanoTime() - start) / 1e9;
      if (round % 5 != 4) {
        continue; // the JIT settles over tens of thousands of calls: print every fifth round
      }
      System.out.printf(
          Locale.ROOT,
          "%s score one subject under %d policies from the index, in process, round %d: %.1f µs"
              + " on average over %d subjects%n",
          name,
          f.policies().size(),
          round + 1,
          seconds * 1e6 / sample.size(),
          sample.size());
    }
  }
}
