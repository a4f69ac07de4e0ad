package org.credo.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.credo.engine.Distribution;
import org.credo.engine.Engine;
import org.credo.generate.Population;
import org.credo.policy.Policy;
import org.credo.records.Record;
import org.credo.records.RecordJson;
import org.credo.store.Store;
import org.credo.subject.SubjectId;

/**
 * What the operator console's histogram costs: {@link Engine#distribution} (the code behind {@code
 * GET /v1/distribution}) over a population of {@code SUBJECTS} held in the engine's in-memory
 * index. The records go into the index the way an import adds them ({@link Engine#accepted}), but
 * are not written to the database, so a million subjects take minutes of generation, not an import.
 *
 * <pre>
 * ./mvnw -q -B -pl credo-bench -am package -DskipTests
 * java -Xmx8g -cp credo-bench/target/credo-bench.jar org.credo.bench.DistributionBenchmark 1000000
 * </pre>
 */
public final class DistributionBenchmark {
  private DistributionBenchmark() {}

  public static void main(String[] args) throws Exception {
    int subjects = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    Instant now = BenchData.NOW;
    Path folder = Files.createTempDirectory("credo-distribution-");
    try (Store store = Store.openFolder(folder, true)) {
      Engine engine = new Engine(store);
      for (String name : List.of("rongcheng-style", "sesame-style", "bureau-style")) {
        engine.activate(name + ".yaml", BenchData.policyText(name), now.minusSeconds(86400));
      }
      engine.buildIndex(now);
      Feed feed = new Feed(engine);
      // One learned instant for all, as one import batch would have (the index ranks them once).
      Instant learned = now.minusSeconds(60);
      long started = System.nanoTime();
      Population.write(
          subjects,
          1,
          now,
          line -> feed.line(RecordJson.parse(line, Optional.empty(), learned, now)));
      feed.flush();
      Engine.IndexFigures figures = engine.trimIndex();
      System.out.printf(
          Locale.ROOT,
          "index: %,d subjects, %,d records, %,d MB; generated and indexed in %.1f s%n",
          figures.subjects(),
          figures.records(),
          figures.bytes() >> 20,
          (System.nanoTime() - started) / 1e9);
      for (Policy policy : engine.activePolicies(now)) {
        double[] ms = new double[rounds];
        Distribution d = null;
        for (int round = 0; round < rounds; round++) {
          long t0 = System.nanoTime();
          d = engine.distribution(policy, now);
          ms[round] = (System.nanoTime() - t0) / 1e6;
        }
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        System.out.printf(
            Locale.ROOT,
            "distribution %s over %,d subjects (%,d records), %d threads: first %.0f ms, median"
                + " %.0f ms, best %.0f ms, worst %.0f ms; histogram sums to %,d%n",
            policy.ref(),
            d.subjects(),
            d.records(),
            Runtime.getRuntime().availableProcessors(),
            ms[0],
            sorted[rounds / 2],
            sorted[0],
            sorted[rounds - 1],
            Arrays.stream(d.histogram()).sum());
        // The shape: unscorable as their own count, band shares of the scored, the fullest bin.
        long top = Arrays.stream(d.histogram()).max().orElse(0);
        StringBuilder bands = new StringBuilder();
        Distribution shown = d;
        d.grades()
            .forEach(
                (grade, n) ->
                    bands.append(
                        String.format(
                            Locale.ROOT,
                            " %s %.1f%%",
                            grade,
                            shown.scored() == 0 ? 0 : 100.0 * n / shown.scored())));
        System.out.printf(
            Locale.ROOT,
            "  unscorable %,d (%.1f%% of %,d); of the %,d scored:%s; fullest histogram bin holds"
                + " %.1f%% of the scored%n",
            d.unscorable(),
            d.subjects() == 0 ? 0 : 100.0 * d.unscorable() / d.subjects(),
            d.subjects(),
            d.scored(),
            bands,
            d.scored() == 0 ? 0 : 100.0 * top / d.scored());
      }
    } finally {
      try (var files = Files.walk(folder)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /**
   * Hands records to the index in batches of whole subjects (so every same-instant tie is inside a
   * batch and no key is read back from the empty database), numbering rows as the store would.
   */
  private static final class Feed {
    final Engine engine;
    final List<Record> batch = new ArrayList<>();
    final List<Long> targets = new ArrayList<>();
    final Map<String, Long> rowOfKey = new HashMap<>();
    long next = 1;
    SubjectId current;

    Feed(Engine engine) {
      this.engine = engine;
    }

    void line(Record r) {
      if (!r.subject().equals(current)) {
        if (batch.size() >= 10_000) {
          flush();
        }
        rowOfKey.clear(); // corrections and retractions name a record of the same subject
        current = r.subject();
      }
      long row = next + batch.size();
      rowOfKey.put(r.source() + "/" + r.id(), row);
      Long target = r.targetKey().map(rowOfKey::get).orElse(null);
      batch.add(r);
      targets.add(target == null ? -1L : target);
    }

    void flush() {
      long[] rows = new long[batch.size()];
      long[] t = new long[batch.size()];
      for (int i = 0; i < rows.length; i++) {
        rows[i] = next + i;
        t[i] = targets.get(i);
      }
      engine.accepted(List.copyOf(batch), rows, t);
      next += rows.length;
      batch.clear();
      targets.clear();
    }
  }
}
