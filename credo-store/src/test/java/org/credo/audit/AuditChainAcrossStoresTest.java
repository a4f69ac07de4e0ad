package org.credo.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.credo.store.Keys;
import org.credo.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two processes appending to one audit chain — a server and a CLI command on the same store — as
 * two {@link Store} objects over one database, each with its own audit writer and its own writing
 * connection: the chain stays one chain. Each writer reads the head inside its write transaction
 * (SQLite's write lock, or a PostgreSQL advisory lock, held from the transaction's start); the log
 * keeps no head in memory between transactions and takes no lock in the JVM, so this is what two
 * processes do.
 */
class AuditChainAcrossStoresTest {
  static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
  static final int EACH = 300;

  @TempDir Path dir;

  @Test
  void sqlite() throws Exception {
    Path folder = dir.resolve("store");
    try (Store a = Store.openFolder(folder, true);
        Store b = Store.openFolder(folder, false)) {
      appendFromBoth(a, b);
    }
  }

  @Test
  void postgres() throws Exception {
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
      String url = pg.getJdbcUrl("postgres", "postgres");
      Keys keys = Keys.generate();
      try (Store a = Store.openPostgres(url, "postgres", null, keys);
          Store b = Store.openPostgres(url, "postgres", null, keys)) {
        appendFromBoth(a, b);
      }
    }
  }

  /**
   * Each store appends through its writer thread (group commit) and, at the same time, inside
   * transactions of its own writing connection ({@link AuditLog#appendWithin}, as records over HTTP
   * do): four writers on one chain.
   */
  private static void appendFromBoth(Store a, Store b) throws Exception {
    List<CompletableFuture<?>> all = new ArrayList<>();
    java.util.concurrent.ExecutorService threads =
        java.util.concurrent.Executors.newFixedThreadPool(4);
    java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(4);
    try (AuditLog logA = AuditLog.open(a);
        AuditLog logB = AuditLog.open(b)) {
      for (Store store : List.of(a, b)) {
        AuditLog log = store == a ? logA : logB;
        String who = store == a ? "server" : "cli";
        all.add(
            CompletableFuture.runAsync(
                () -> {
                  awaitAll(start);
                  // Small groups, each waited for: many commits, interleaved with the others'.
                  for (int i = 0; i < EACH; i += 3) {
                    List<CompletableFuture<Long>> group = new ArrayList<>();
                    for (int j = i; j < i + 3; j++) {
                      group.add(log.append(entry(who + ":writer", j)));
                    }
                    group.forEach(AuditLog::await);
                  }
                },
                threads));
        all.add(
            CompletableFuture.runAsync(
                () -> {
                  awaitAll(start);
                  for (int i = 0; i < EACH / 10; i++) {
                    int n = i;
                    store
                        .jdbc()
                        .transaction(
                            c -> {
                              log.appendWithin(
                                  c,
                                  List.of(
                                      entry(who + ":within", 2 * n),
                                      entry(who + ":within", 2 * n + 1)));
                              return null;
                            });
                  }
                },
                threads));
      }
      try {
        for (CompletableFuture<?> f : all) {
          f.get(120, TimeUnit.SECONDS);
        }
      } finally {
        threads.shutdownNow();
      }
    }
    Verification v = AuditLog.verify(a, Optional.empty());
    assertThat(v.ok()).as(v.reason()).isTrue();
    assertThat(v.entries()).isEqualTo(2L * EACH + 2L * 2 * (EACH / 10));
    Verification fromB = AuditLog.verify(b, Optional.empty());
    assertThat(fromB.ok()).as(fromB.reason()).isTrue();
  }

  private static void awaitAll(java.util.concurrent.CyclicBarrier start) {
    try {
      start.await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static AuditEntry entry(String actor, int i) {
    return new AuditEntry(T0.plusMillis(i), actor, "decision", null, "n=" + i);
  }
}
