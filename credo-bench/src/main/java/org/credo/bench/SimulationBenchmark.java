package org.credo.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import org.credo.app.AppSettings;
import org.credo.app.Caller;
import org.credo.app.CredoApplication;
import org.credo.app.policies.SimulationOutcome;
import org.credo.audit.AuditLog;
import org.credo.store.Store;

/**
 * What {@code credo policy simulate} costs in a running process: the same simulation made {@code
 * ROUNDS} times over a store (one made by {@code credo demo --subjects N --no-serve --data DIR}),
 * the first cold, the others as a server that has been running makes it; then the fairness report
 * of the active policies {@code ROUNDS} times from the in-memory index, as a server makes it.
 *
 * <pre>
 * ./mvnw -q -B -pl credo-bench -am package -DskipTests
 * java -jar credo-cli/target/credo.jar demo --subjects 100000 --no-serve --data /tmp/sim100k
 * java -cp credo-bench/target/credo-bench.jar org.credo.bench.SimulationBenchmark /tmp/sim100k CANDIDATE.yaml 3
 * </pre>
 */
public final class SimulationBenchmark {
  private SimulationBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path data = Path.of(args[0]);
    Path candidate = Path.of(args[1]);
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    String yaml = Files.readString(candidate);
    try (Store store = Store.openFolder(data, false);
        AuditLog log = AuditLog.open(store)) {
      CredoApplication app =
          new CredoApplication(store, log, AppSettings.DEFAULTS, Clock.systemUTC(), null);
      // What the store scan alone costs: rows read and grouped by subject, nothing scored.
      long s0 = System.nanoTime();
      long[] rows = {0, 0};
      store.forEachSubject(
          (key, list) -> {
            rows[0]++;
            rows[1] += list.size();
          });
      System.out.printf(
          Locale.ROOT,
          "store scan alone: %,d subjects, %,d rows in %.2f s%n",
          rows[0],
          rows[1],
          (System.nanoTime() - s0) / 1e9);
      for (int round = 1; round <= rounds; round++) {
        Instant now = Instant.now();
        long t0 = System.nanoTime();
        SimulationOutcome outcome =
            app.policies()
                .simulations()
                .simulate(
                    Caller.operator("bench"),
                    candidate.toString(),
                    yaml,
                    Optional.empty(),
                    now,
                    now);
        double s = (System.nanoTime() - t0) / 1e9;
        var done = (SimulationOutcome.Simulated) outcome;
        System.out.printf(
            Locale.ROOT,
            "round %d: %s against %s, %,d subjects, %,d records, %d threads: %.2f s (%,.0f"
                + " subjects/s, %,.0f records/s)%n",
            round,
            done.report().policy(),
            done.report().against(),
            done.report().subjects(),
            done.report().records(),
            Runtime.getRuntime().availableProcessors(),
            s,
            done.report().subjects() / s,
            done.report().records() / s);
      }
      // The fairness report as a server makes it: from the in-memory index of the active policies.
      long i0 = System.nanoTime();
      var figures = app.engine().buildIndex(Instant.now());
      System.out.printf(
          Locale.ROOT,
          "index built in %.2f s (%,d subjects)%n",
          (System.nanoTime() - i0) / 1e9,
          figures.subjects());
      for (int round = 1; round <= rounds; round++) {
        Instant now = Instant.now();
        long t0 = System.nanoTime();
        var report =
            ((org.credo.app.fairness.FairnessOutcome.Reported)
                    app.fairness().report(Caller.operator("bench"), Optional.empty(), now, now))
                .report();
        System.out.printf(
            Locale.ROOT,
            "fairness round %d: %d policies, %,d subjects, from the index: %.2f s%n",
            round,
            report.policies().size(),
            report.subjects(),
            (System.nanoTime() - t0) / 1e9);
      }
    }
  }
}
