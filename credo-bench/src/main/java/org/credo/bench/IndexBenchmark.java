package org.credo.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.credo.generate.Population;
import org.credo.policy.Policy;
import org.credo.records.Record;
import org.credo.records.RecordJson;
import org.credo.scoring.RecordIndex;
import org.credo.scoring.Score;
import org.credo.scoring.Scorer;
import org.credo.scoring.SubjectHistory;
import org.credo.scoring.Summary;
import org.credo.store.Keys;
import org.credo.subject.SubjectId;

/**
 * The in-memory index alone, without a database: build it from a generated population, rescore
 * every subject on one core and on every core, and score single subjects in process. Run as a plain
 * program after {@code ./mvnw -q -B package -DskipTests}:
 *
 * <pre>
 * java -Xmx12g -cp credo-bench/target/credo-bench.jar org.credo.bench.IndexBenchmark [SUBJECTS]
 * </pre>
 */
public final class IndexBenchmark {
  private IndexBenchmark() {}

  public static void main(String[] args) throws Exception {
    int subjects = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    Instant now = BenchData.NOW;
    List<Policy> policies =
        List.of(
            BenchData.policy("rongcheng-style"),
            BenchData.policy("sesame-style"),
            BenchData.policy("bureau-style"));
    Keys keys = Keys.generate();
    RecordIndex.Builder builder = RecordIndex.builder(policies);
    Map<Integer, Record> rows = new HashMap<>();
    List<SubjectId> sample = new ArrayList<>();
    Map<String, Integer> rowOf = new HashMap<>();
    int[] next = {1};
    long started = System.nanoTime();
    Population.write(
        subjects,
        1,
        now,
        line -> {
          Record r = RecordJson.parse(line, Optional.empty(), null, now);
          int row = next[0]++;
          rows.put(row, r);
          rowOf.put(r.key(), row);
          Integer target = r.targetKey().map(rowOf::get).orElse(null);
          builder.add(
              keys.pseudonym(r.subject()),
              r.subject().kind(),
              r,
              row,
              target == null ? -1 : target);
          if (sample.size() < 10_000
              && r.subject().kind() == org.credo.subject.SubjectKind.PERSON
              && (sample.isEmpty() || !sample.get(sample.size() - 1).equals(r.subject()))) {
            sample.add(r.subject());
          }
        });
    double generated = (System.nanoTime() - started) / 1e9;
    started = System.nanoTime();
    RecordIndex index =
        builder.build(
            wanted -> {
              Map<Integer, String[]> out = new HashMap<>();
              for (int w : wanted) {
                Record r = rows.get(w);
                out.put(w, new String[] {r.source().value(), r.id()});
              }
              return out;
            });
    double built = (System.nanoTime() - started) / 1e9;
    System.out.printf(
        Locale.ROOT,
        "index: %,d subjects, %,d records; generated and staged in %.1f s, built in %.1f s;"
            + " %.1f bytes/record for %d policies%n",
        index.subjects(),
        index.records(),
        generated,
        built,
        (double) index.bytes() / index.records(),
        policies.size());
    for (Policy policy : policies) {
      for (int threads : new int[] {1, Runtime.getRuntime().availableProcessors()}) {
        double best = 0;
        for (int round = 0; round < 8; round++) {
          long t0 = System.nanoTime();
          long counted = rescore(index, policy, now, threads);
          double rate = index.records() / ((System.nanoTime() - t0) / 1e9);
          best = Math.max(best, rate);
          if (counted == 0) {
            throw new IllegalStateException("nothing scored");
          }
        }
        System.out.printf(
            Locale.ROOT,
            "rescoring %s on %d thread(s): best of 8 rounds %,.0f records/s%n",
            policy.ref(),
            threads,
            best);
      }
    }
    for (int round = 0; round < 5; round++) {
      long t0 = System.nanoTime();
      double sink = 0;
      for (SubjectId s : sample) {
        byte[] key = keys.pseudonym(s);
        for (Policy policy : policies) {
          SubjectHistory h =
              index.history(
                  policy.ref(),
                  key,
                  s,
                  wanted -> Arrays.stream(wanted).mapToObj(rows::get).toList(),
                  row -> null);
          Score score = Scorer.score(h, now, now);
          sink += score.value();
        }
      }
      System.out.printf(
          Locale.ROOT,
          "one subject under %d policies (keyed hash, copy, score): %.2f µs on average over %,d"
              + " subjects (%s)%n",
          policies.size(),
          (System.nanoTime() - t0) / 1e3 / sample.size(),
          sample.size(),
          sink > 0 ? "ok" : "?");
    }
  }

  static long rescore(RecordIndex index, Policy policy, Instant at, int threads) {
    int n = index.subjects();
    List<CompletableFuture<Long>> parts = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int from = (int) ((long) n * t / threads);
      int to = (int) ((long) n * (t + 1) / threads);
      parts.add(
          CompletableFuture.supplyAsync(
              () -> {
                long counted = 0;
                for (int s = from; s < to; s++) {
                  Optional<Summary> summary = index.summary(policy.ref(), s, at, at);
                  if (summary.isPresent() && summary.get().value() >= 0) {
                    counted++;
                  }
                }
                return counted;
              }));
    }
    return parts.stream().mapToLong(CompletableFuture::join).sum();
  }
}
