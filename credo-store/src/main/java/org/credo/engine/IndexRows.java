package org.credo.engine;

import java.util.ArrayList;
import java.util.List;
import org.credo.store.Store;
import org.credo.store.StoreException;

/**
 * Reads every row of the store for the in-memory index: a large store on two connections at once
 * (the other core decodes rows while the building thread adds them), a small one on the caller's
 * thread.
 */
final class IndexRows {
  private IndexRows() {}

  /**
   * Reads every row for the index: a large store on two connections at once (the other core decodes
   * rows while this thread adds them), a small one on this thread.
   */
  static void read(
      Store store,
      java.util.function.Predicate<String> withKeys,
      java.util.function.Consumer<Store.IndexRow> add) {
    long last = store.lastSeq();
    if (last < parallelReadFrom) {
      store.forEachIndexRow(withKeys, add);
      return;
    }
    java.util.concurrent.BlockingQueue<List<Store.IndexRow>> queue =
        new java.util.concurrent.ArrayBlockingQueue<>(8);
    List<Store.IndexRow> end = new ArrayList<>();
    java.util.concurrent.atomic.AtomicReference<RuntimeException> failure =
        new java.util.concurrent.atomic.AtomicReference<>();
    long[][] ranges = {{0, last / 2}, {last / 2, Long.MAX_VALUE}};
    for (long[] range : ranges) {
      Thread reader =
          new Thread(
              () -> {
                List<List<Store.IndexRow>> chunk = new ArrayList<>(List.of(new ArrayList<>()));
                try {
                  store.forEachIndexRow(
                      withKeys,
                      range[0],
                      range[1],
                      row -> {
                        chunk.get(0).add(row);
                        if (chunk.get(0).size() == 4096) {
                          put(queue, chunk.get(0));
                          chunk.set(0, new ArrayList<>(4096));
                        }
                      });
                  if (!chunk.get(0).isEmpty()) {
                    put(queue, chunk.get(0));
                  }
                } catch (RuntimeException e) {
                  failure.compareAndSet(null, e);
                } finally {
                  put(queue, end);
                }
              },
              "credo-index-reader");
      reader.setDaemon(true);
      reader.start();
    }
    int ended = 0;
    while (ended < ranges.length) {
      List<Store.IndexRow> rows;
      try {
        rows = queue.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StoreException("interrupted while building the index", e);
      }
      if (rows == end) {
        ended++;
      } else if (failure.get() == null) {
        rows.forEach(add);
      }
    }
    if (failure.get() != null) {
      throw failure.get();
    }
  }

  /** Stores with fewer rows are read on one thread (package-private so tests can lower it). */
  static long parallelReadFrom = 200_000;

  private static void put(
      java.util.concurrent.BlockingQueue<List<Store.IndexRow>> queue, List<Store.IndexRow> rows) {
    try {
      queue.put(rows);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while building the index", e);
    }
  }
}
