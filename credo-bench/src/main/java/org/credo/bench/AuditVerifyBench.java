package org.credo.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.credo.audit.AuditEntry;
import org.credo.audit.AuditLog;
import org.credo.audit.Verification;
import org.credo.store.Store;

/**
 * How fast {@code credo audit verify} checks a large audit log: fills an embedded (SQLite) store
 * with N entries through the real {@link AuditLog} writer (group commit, one transaction per 5 000
 * entries) — decisions about 100 000 subjects, shaped as the server writes them — then times the
 * verification, which reads the chain in two ranges on two connections.
 *
 * <pre>
 * java -cp credo-bench/target/credo-bench.jar org.credo.bench.AuditVerifyBench \
 *     [--entries 10000000] [--data DIR] [--runs 3]
 * </pre>
 *
 * With {@code --data} an existing store is reused when it already holds the entries.
 */
public final class AuditVerifyBench {
  private AuditVerifyBench() {}

  public static void main(String[] args) throws Exception {
    long entries = 10_000_000;
    Path dir = null;
    int runs = 3;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--entries" -> entries = Long.parseLong(args[i + 1]);
        case "--data" -> dir = Path.of(args[i + 1]);
        case "--runs" -> runs = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (dir == null) {
      dir = Files.createTempDirectory("credo-audit-bench-");
    }
    try (Store store = Store.openFolder(dir, true)) {
      long held;
      try (AuditLog log = AuditLog.open(store)) {
        held = log.entries(1, 1).isEmpty() ? 0 : lastSeq(store);
      }
      if (held < entries) {
        fill(store, held, entries);
      }
      System.out.printf(
          Locale.ROOT,
          "store %s: %,d entries, %,d MB%n",
          dir,
          lastSeq(store),
          Files.size(dir.resolve("credo.db")) >> 20);
      for (int r = 1; r <= runs; r++) {
        Verification v = AuditLog.verify(store, Optional.empty());
        System.out.printf(
            Locale.ROOT,
            "verify run %d: %s, %,d entries in %.2f s = %,.0f entries/s%n",
            r,
            v.ok() ? "intact" : "BROKEN at " + v.firstBad().getAsLong() + ": " + v.reason(),
            v.entries(),
            v.seconds(),
            v.rate());
      }
    }
  }

  static long lastSeq(Store store) {
    return new org.credo.store.Jdbc(store.dataSource())
        .one("SELECT COALESCE(MAX(seq), 0) FROM audit_log", rs -> rs.getLong(1))
        .orElse(0L);
  }

  static void fill(Store store, long from, long to) {
    Random random = new Random(42);
    byte[][] subjects = new byte[100_000][16];
    for (byte[] s : subjects) {
      random.nextBytes(s);
    }
    String[] outcomes = {"allow", "deny", "refer"};
    Instant t0 = Instant.parse("2026-11-22T00:00:00Z");
    long started = System.nanoTime();
    try (AuditLog log =
        AuditLog.open(
            store,
            new AuditLog.Options(
                200_000,
                Optional.empty(),
                1_000_000,
                java.time.Duration.ofHours(1),
                java.time.Clock.systemUTC(),
                true,
                java.time.Duration.ZERO,
                java.time.Duration.ZERO))) {
      CompletableFuture<Long> window = null;
      for (long i = from + 1; i <= to; i++) {
        AuditEntry e =
            new AuditEntry(
                t0.plusMillis(i),
                "relying_party:tok-" + Long.toHexString(0x1000_0000_0000L + (i % 50)),
                "decision",
                subjects[random.nextInt(subjects.length)],
                "party=airline purpose=air_travel outcome="
                    + outcomes[(int) (i % 3)]
                    + " policy=rongcheng-style@1 id=dec-"
                    + Long.toHexString(random.nextLong()));
        CompletableFuture<Long> f = log.append(e);
        if (i % 50_000 == 0) {
          // At most about 100 000 entries in flight: the queue holds 200 000.
          if (window != null) {
            AuditLog.await(window);
          }
          window = f;
          if (i % 1_000_000 == 0) {
            double s = (System.nanoTime() - started) / 1e9;
            System.out.printf(
                Locale.ROOT, "  filled %,d entries, %,.0f entries/s%n", i, (i - from) / s);
          }
        }
      }
    }
    double s = (System.nanoTime() - started) / 1e9;
    System.out.printf(
        Locale.ROOT,
        "filled %,d entries in %.1f s (%,.0f entries/s)%n",
        to - from,
        s,
        (to - from) / s);
  }
}
