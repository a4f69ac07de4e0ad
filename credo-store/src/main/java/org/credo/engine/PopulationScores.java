package org.credo.engine;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.BiConsumer;
import java.util.function.BinaryOperator;
import java.util.function.Supplier;
import org.credo.policy.Policy;
import org.credo.records.Record;
import org.credo.scoring.Score;
import org.credo.scoring.Scorer;
import org.credo.scoring.SubjectHistory;
import org.credo.store.Store;
import org.credo.store.StoreException;
import org.credo.subject.SubjectId;
import org.credo.subject.SubjectKind;

/**
 * Every stored subject scored in full (from the in-memory index when it holds every policy asked
 * for, else from one scan of the store) — itemized, with score-free mode and list due process
 * applied as {@link Engine#scores} applies them — under several policies at one instant, including
 * policies that are not active (a candidate under simulation). The store is read once, subjects are
 * scored on every core, and each part's results are folded into an accumulator the caller merges.
 */
public final class PopulationScores {
  /**
   * One subject's scores.
   *
   * @param scores one per policy asked, in that order; empty where the policy does not score the
   *     subject's kind
   */
  public record Scored(
      byte[] subjectKey, SubjectKind kind, int records, List<Optional<Score>> scores) {
    public Scored {
      requireNonNull(subjectKey, "subjectKey is null");
      requireNonNull(kind, "kind is null");
      scores = List.copyOf(scores);
    }

    /** The subject's pseudonym in hex, as reports name subjects. */
    public String pseudonym() {
      return java.util.HexFormat.of().formatHex(subjectKey);
    }
  }

  private static final int BATCH = 256;

  private PopulationScores() {}

  /**
   * Scores every subject under {@code policies} as of {@code at}, as known at {@code at}.
   *
   * @param fresh a new, empty accumulator (one per part of the work)
   * @param add folds one subject's scores into an accumulator (called on one thread per
   *     accumulator)
   * @param merge folds two accumulators into one; must not depend on the order of subjects
   */
  public static <A> A rescore(
      Engine engine,
      List<Policy> policies,
      Instant at,
      Supplier<A> fresh,
      BiConsumer<A, Scored> add,
      BinaryOperator<A> merge) {
    Store store = engine.store();
    Set<ByteBuffer> scoreFree = store.scoringModes().scoreFreeAt(at);
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    Optional<A> indexed = fromIndex(engine, policies, at, scoreFree, threads, fresh, add, merge);
    if (indexed.isPresent()) {
      return indexed.get();
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads, PopulationScores::daemon);
    Semaphore inFlight = new Semaphore(threads * 2);
    List<Future<A>> parts = new ArrayList<>();
    List<Map.Entry<byte[], List<Store.StoredRow>>> batch = new ArrayList<>(BATCH);
    try {
      store.forEachSubject(
          (key, rows) -> {
            batch.add(Map.entry(key, rows));
            if (batch.size() == BATCH) {
              parts.add(
                  submit(
                      pool,
                      inFlight,
                      List.copyOf(batch),
                      engine,
                      policies,
                      at,
                      scoreFree,
                      fresh,
                      add));
              batch.clear();
            }
          });
      if (!batch.isEmpty()) {
        parts.add(
            submit(
                pool, inFlight, List.copyOf(batch), engine, policies, at, scoreFree, fresh, add));
      }
      A total = fresh.get();
      for (Future<A> part : parts) {
        total = merge.apply(total, part.get());
      }
      return total;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("the rescoring was interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new StoreException("the rescoring failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * The same from the in-memory index when it is built and holds every policy (a server's active
   * ones): parts of the index scored on every core, no store read.
   */
  private static <A> Optional<A> fromIndex(
      Engine engine,
      List<Policy> policies,
      Instant at,
      Set<ByteBuffer> scoreFree,
      int threads,
      Supplier<A> fresh,
      BiConsumer<A, Scored> add,
      BinaryOperator<A> merge) {
    int subjects = engine.indexedSubjects();
    if (subjects == 0 || engine.indexedScores(policies, at, 0, 0, scoreFree).isEmpty()) {
      return Optional.empty();
    }
    List<java.util.concurrent.CompletableFuture<Optional<A>>> parts = new ArrayList<>();
    int chunk = 4096;
    ExecutorService pool = Executors.newFixedThreadPool(threads, PopulationScores::daemon);
    try {
      for (int from = 0; from < subjects; from += chunk) {
        int start = from;
        parts.add(
            java.util.concurrent.CompletableFuture.supplyAsync(
                () ->
                    engine
                        .indexedScores(policies, at, start, start + chunk, scoreFree)
                        .map(
                            list -> {
                              A acc = fresh.get();
                              list.forEach(s -> add.accept(acc, s));
                              return acc;
                            }),
                pool));
      }
      A total = fresh.get();
      for (var part : parts) {
        Optional<A> p = part.join();
        if (p.isEmpty()) {
          return Optional.empty(); // the index went away meanwhile: read the store instead
        }
        total = merge.apply(total, p.get());
      }
      return Optional.of(total);
    } finally {
      pool.shutdownNow();
    }
  }

  private static Thread daemon(Runnable r) {
    Thread t = new Thread(r, "credo-population");
    t.setDaemon(true);
    return t;
  }

  private static <A> Future<A> submit(
      ExecutorService pool,
      Semaphore inFlight,
      List<Map.Entry<byte[], List<Store.StoredRow>>> batch,
      Engine engine,
      List<Policy> policies,
      Instant at,
      Set<ByteBuffer> scoreFree,
      Supplier<A> fresh,
      BiConsumer<A, Scored> add) {
    inFlight.acquireUninterruptibly();
    return pool.submit(
        () -> {
          try {
            A acc = fresh.get();
            for (var subject : batch) {
              add.accept(
                  acc,
                  score(engine, policies, at, scoreFree, subject.getKey(), subject.getValue()));
            }
            return acc;
          } finally {
            inFlight.release();
          }
        });
  }

  private static Scored score(
      Engine engine,
      List<Policy> policies,
      Instant at,
      Set<ByteBuffer> scoreFree,
      byte[] key,
      List<Store.StoredRow> rows) {
    SubjectKind kind = rows.get(0).subjectKind();
    SubjectId pseudonym = SubjectId.pseudonym(kind, key);
    List<Record> records = new ArrayList<>(rows.size());
    rows.forEach(r -> records.add(r.toRecord(pseudonym)));
    boolean free = scoreFree.contains(ByteBuffer.wrap(key));
    List<Optional<Score>> scores = new ArrayList<>(policies.size());
    for (Policy policy : policies) {
      if (!policy.subjects().contains(kind)) {
        scores.add(Optional.empty());
        continue;
      }
      Score score = Scorer.score(SubjectHistory.prepare(policy, pseudonym, records), at, at);
      scores.add(Optional.of(engine.reviewed(key, score, free, at)));
    }
    return new Scored(key, kind, rows.size(), scores);
  }
}
