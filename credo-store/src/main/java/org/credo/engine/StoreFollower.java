package org.credo.engine;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.credo.policy.Policy;
import org.credo.policy.PolicyRef;
import org.credo.records.Record;
import org.credo.store.Activation;
import org.credo.store.Jdbc;
import org.credo.store.Store;
import org.credo.subject.SubjectId;
import org.credo.subject.SubjectKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a long-running process (a server) current with what other processes write to its store: a
 * {@code credo import}, {@code credo policy activate}, {@code credo dispute expire}, {@code credo
 * source suspend|resume}, {@code credo token revoke}, or another server on the same PostgreSQL
 * database.
 *
 * <p>Every tick (500 ms) it reads the store's high-water marks in one small query: the records'
 * last row ({@code MAX(seq)}, read from the end of the primary key) and one counter per topic in
 * {@code store_changes}, which triggers move in the transaction that changes a table (migration
 * V9). When nothing moved that is all it does. When the records moved, it asks which of the new
 * rows this process's importers did not already tell the engine of, reads those, and adds them to
 * the engine's index (links resolved by the row the store recorded at acceptance, as the importer
 * does; rows held because their source is suspended are left out). When the policy activations
 * moved, it drops the engine's activation history and rebuilds the index if it no longer covers the
 * active policies. When the sources moved, it reads the held rows again and rebuilds the index if
 * another process released some. For the other topics it runs what it was given: forgetting cached
 * tokens or parties, reading disputes or repairs again.
 *
 * <p>On SQLite rows are numbered under the write lock, so they commit in order and a row below the
 * mark never appears later. On PostgreSQL rows take numbers from a sequence and may commit out of
 * order: a number missing below the mark is watched for {@link #GAP_WAIT} (a duplicate record burns
 * a number for good), and at the first tick the last {@link #START_WINDOW} rows before the index's
 * build are read again. The engine adds a row it holds already only once.
 */
public final class StoreFollower implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StoreFollower.class);

  /** What other processes change besides records, each with a counter in {@code store_changes}. */
  public enum Topic {
    POLICIES("policies"),
    SOURCES("sources"),
    TOKENS("tokens"),
    PARTIES("parties"),
    DISPUTES("disputes"),
    REPAIRS("repairs");

    final String name;

    Topic(String name) {
      this.name = name;
    }
  }

  /** How often a started follower looks. */
  public static final Duration EVERY = Duration.ofMillis(500);

  /** PostgreSQL: how long a missing row number is watched for a transaction still to commit it. */
  static final Duration GAP_WAIT = Duration.ofSeconds(60);

  /** PostgreSQL: how many rows before the index's build are read again at the first tick. */
  static final long START_WINDOW = 65_536;

  /** Rows read and added to the index at a time. */
  private static final int CHUNK = 10_000;

  private static final String MARKS =
      "SELECT topic, n FROM store_changes UNION ALL SELECT 'records', (SELECT MAX(seq) FROM"
          + " records)";

  private record Reaction(Runnable run, LongSupplier own) {}

  private final Engine engine;
  private final Store store;
  private final Jdbc db;
  private final Clock clock;
  private final boolean gapsMayFill;
  private final Map<Topic, List<Reaction>> reactions = new EnumMap<>(Topic.class);

  // guarded by this
  private Map<String, Long> counters; // null until the first tick
  private final Map<Reaction, long[]> explained = new HashMap<>();
  private long mark;
  private final TreeMap<Long, Long> gaps = new TreeMap<>(); // row → when first missed (nanos)
  private Instant nextActivation;
  private long ticks;
  private long tickNanos;

  private final CountDownLatch stop = new CountDownLatch(1);
  private volatile Thread thread;

  public StoreFollower(Engine engine, Clock clock) {
    this.engine = requireNonNull(engine, "engine is null");
    this.store = engine.store();
    this.db = store.jdbc();
    this.clock = requireNonNull(clock, "clock is null");
    this.gapsMayFill = store.kind() == Store.Kind.POSTGRESQL;
  }

  /**
   * Runs {@code reaction} whenever another process changed {@code topic} (and at the first tick).
   */
  public StoreFollower on(Topic topic, Runnable reaction) {
    return on(topic, reaction, null);
  }

  /**
   * As {@link #on(Topic, Runnable)}, for a topic this process changes often itself: {@code
   * ownChanges} counts the changes it committed (one statement on one row each, counted before the
   * commit). A move of the topic's counter that these explain runs nothing.
   */
  public synchronized StoreFollower on(Topic topic, Runnable reaction, LongSupplier ownChanges) {
    reactions
        .computeIfAbsent(topic, t -> new ArrayList<>())
        .add(new Reaction(requireNonNull(reaction, "reaction is null"), ownChanges));
    return this;
  }

  /** Looks every {@code every} on a daemon thread of its own until {@link #close}. */
  public synchronized StoreFollower start(Duration every) {
    if (thread != null) {
      throw new IllegalStateException("already started");
    }
    engine.follow();
    long millis = Math.max(1, every.toMillis());
    thread =
        new Thread(
            () -> {
              try {
                while (!stop.await(millis, TimeUnit.MILLISECONDS)) {
                  try {
                    tick();
                  } catch (RuntimeException e) {
                    if (stop.getCount() > 0) {
                      LOG.warn("following the store failed (trying again): {}", e.getMessage(), e);
                    }
                  }
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "credo-store-follower");
    thread.setDaemon(true);
    thread.start();
    return this;
  }

  /**
   * Looks once: reads the marks and catches up with whatever moved. A started follower calls it
   * every tick; a test may call it directly.
   *
   * @return whether anything had moved
   */
  public synchronized boolean tick() {
    long started = System.nanoTime();
    try {
      return look();
    } finally {
      ticks++;
      tickNanos += System.nanoTime() - started;
    }
  }

  /** Ticks so far and the average time one took, in microseconds. */
  public synchronized double[] tickFigures() {
    return new double[] {ticks, ticks == 0 ? 0 : tickNanos / 1e3 / ticks};
  }

  private boolean look() {
    Map<String, Long> now = new HashMap<>();
    for (Object[] row : db.query(MARKS, rs -> new Object[] {rs.getString(1), rs.getLong(2)})) {
      now.put((String) row[0], (Long) row[1]);
    }
    boolean first = counters == null;
    if (first) {
      mark = engine.builtThrough();
      if (gapsMayFill && engine.indexFigures().isPresent()) {
        // Read again: rows of that range may have committed after the build read it.
        mark = Math.max(0, mark - START_WINDOW);
      }
    }
    boolean moved = first;
    long last = now.getOrDefault("records", 0L);
    if (last > mark || !gaps.isEmpty()) {
      moved |= followRecords(last);
    }
    Instant at = clock.instant();
    for (Topic topic : Topic.values()) {
      long n = now.getOrDefault(topic.name, 0L);
      boolean changed = first || n != counters.get(topic.name);
      if (topic == Topic.POLICIES
          && (changed || (nextActivation != null && !at.isBefore(nextActivation)))) {
        followPolicies(at);
      }
      if (topic == Topic.SOURCES && changed) {
        followSources(at);
      }
      for (Reaction r : reactions.getOrDefault(topic, List.of())) {
        if (others(r, n, changed, first)) {
          try {
            r.run().run();
          } catch (RuntimeException e) {
            LOG.warn("catching up with {} failed: {}", topic.name, e.getMessage(), e);
          }
        }
      }
      moved |= changed;
    }
    counters = now;
    return moved;
  }

  /**
   * Whether the topic's counter, now {@code n}, moved beyond what this process's own changes
   * explain. Own changes are counted before they commit (and uncounted if they do not), and the
   * counter is read before them: the difference of the two, since the start, is the other
   * processes' changes less this process's changes in flight — so it may lag a change by a tick,
   * never lose one.
   */
  private boolean others(Reaction r, long n, boolean changed, boolean first) {
    if (r.own() == null) {
      return changed;
    }
    long own = r.own().getAsLong();
    long[] e = explained.get(r);
    if (first || e == null) {
      explained.put(r, new long[] {n, own, 0});
      return true;
    }
    long d = (n - e[0]) - (own - e[1]);
    if (d > e[2]) {
      e[2] = d;
      return true;
    }
    return false;
  }

  // ---- records --------------------------------------------------------------------------------

  /**
   * Reads the rows after the mark (and in watched gaps) and adds those the engine was not told of.
   */
  private boolean followRecords(long last) {
    long nowNanos = System.nanoTime();
    boolean any = false;
    long from = mark;
    while (from < last) {
      List<Long> seqs =
          db.query(
              "SELECT seq FROM records WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT " + CHUNK,
              rs -> rs.getLong(1),
              from,
              last);
      if (seqs.isEmpty()) {
        break;
      }
      if (gapsMayFill) {
        long expected = from + 1;
        for (long seq : seqs) {
          gaps(expected - 1, seq - 1, nowNanos);
          expected = seq + 1;
        }
      }
      any |= index(seqs.stream().mapToLong(Long::longValue).toArray());
      from = seqs.get(seqs.size() - 1);
      mark = from; // each chunk once, even when a later one fails
    }
    if (gapsMayFill && from < last) {
      gaps(from, last, nowNanos); // rows deleted meanwhile, or not yet committed
    }
    mark = Math.max(mark, last);
    if (!gaps.isEmpty()) {
      gaps.values().removeIf(since -> nowNanos - since > GAP_WAIT.toNanos());
      any |= fillGaps();
    }
    return any;
  }

  /** Watches the rows {@code from} (exclusive) to {@code to} (inclusive) as missing. */
  private void gaps(long from, long to, long nowNanos) {
    if (to - from > START_WINDOW) {
      return; // not numbers in flight: rows deleted (a purge), or numbers never used
    }
    for (long s = from + 1; s <= to; s++) {
      gaps.putIfAbsent(s, nowNanos);
    }
  }

  /** Reads the watched gaps: a row committed late (PostgreSQL) fills one. */
  private boolean fillGaps() {
    List<Long> found = new ArrayList<>();
    if (gaps.size() <= 2_000) {
      List<Long> wanted = new ArrayList<>(gaps.keySet());
      for (int i = 0; i < wanted.size(); i += 500) {
        List<Long> part = wanted.subList(i, Math.min(wanted.size(), i + 500));
        found.addAll(
            db.query(
                "SELECT seq FROM records WHERE seq IN (" + Jdbc.marks(part.size()) + ")",
                rs -> rs.getLong(1),
                part.toArray()));
      }
    } else {
      for (Long seq :
          db.query(
              "SELECT seq FROM records WHERE seq >= ? AND seq <= ?",
              rs -> rs.getLong(1),
              gaps.firstKey(),
              gaps.lastKey())) {
        if (gaps.containsKey(seq)) {
          found.add(seq);
        }
      }
    }
    if (found.isEmpty()) {
      return false;
    }
    found.forEach(gaps::remove);
    return index(found.stream().mapToLong(Long::longValue).sorted().toArray());
  }

  /** Adds the rows {@code seqs} (ascending) to the index, but those the engine was told of. */
  private boolean index(long[] seqs) {
    if (engine.indexFigures().isEmpty()) {
      return false; // no index to keep current (scores read the store)
    }
    long[] unknown = engine.notTold(seqs);
    if (unknown.length == 0) {
      return false;
    }
    String select =
        "SELECT r.seq, r.subject_key, r.subject_kind, r.source_id, r.record_id, r.type,"
            + " r.occurred_us, r.learned_us, r.attributes, r.evidence, r.supersedes, r.retracts,"
            + " r.target_seq, h.seq FROM records r LEFT JOIN held_records h ON h.seq = r.seq";
    Jdbc.Row<Object[]> row =
        rs -> {
          byte[] key = rs.getBytes(2);
          SubjectKind kind = SubjectKind.values()[rs.getInt(3)];
          Record record =
              new Store.StoredRow(
                      key,
                      kind,
                      rs.getString(4),
                      rs.getString(5),
                      rs.getString(6),
                      rs.getLong(7),
                      rs.getLong(8),
                      rs.getString(9),
                      rs.getString(10),
                      rs.getString(11),
                      rs.getString(12))
                  .toRecord(SubjectId.pseudonym(kind, key));
          long target = rs.getLong(13);
          rs.getLong(14);
          boolean held = !rs.wasNull();
          return new Object[] {rs.getLong(1), key, record, target, held};
        };
    List<Object[]> rows = new ArrayList<>(unknown.length);
    long first = unknown[0];
    long lastSeq = unknown[unknown.length - 1];
    if (lastSeq - first + 1 == unknown.length) {
      rows.addAll(
          db.query(
              select + " WHERE r.seq >= ? AND r.seq <= ? ORDER BY r.seq", row, first, lastSeq));
    } else {
      for (int i = 0; i < unknown.length; i += 500) {
        int to = Math.min(unknown.length, i + 500);
        Object[] args = new Object[to - i];
        for (int j = i; j < to; j++) {
          args[j - i] = unknown[j];
        }
        rows.addAll(
            db.query(
                select + " WHERE r.seq IN (" + Jdbc.marks(args.length) + ") ORDER BY r.seq",
                row,
                args));
      }
    }
    List<Record> records = new ArrayList<>(rows.size());
    List<byte[]> keys = new ArrayList<>(rows.size());
    long[] seqs2 = new long[rows.size()];
    long[] targets = new long[rows.size()];
    boolean held = false;
    for (Object[] r : rows) {
      if ((Boolean) r[4]) {
        held = true; // a suspended source's: kept, not scored
        continue;
      }
      seqs2[records.size()] = (Long) r[0];
      targets[records.size()] = (Long) r[3];
      keys.add((byte[]) r[1]);
      records.add((Record) r[2]);
    }
    if (held) {
      store.sources().reloadHeld(); // so that a rebuild leaves them out too
    }
    if (records.isEmpty()) {
      return held;
    }
    int n = records.size();
    engine.accepted(
        records,
        keys.toArray(byte[][]::new),
        java.util.Arrays.copyOf(seqs2, n),
        java.util.Arrays.copyOf(targets, n));
    LOG.debug("indexed {} records another process wrote", n);
    return true;
  }

  // ---- policies and sources -------------------------------------------------------------------

  /** Drops the engine's activation history and rebuilds the index if it misses an active policy. */
  private void followPolicies(Instant at) {
    engine.forgetPolicies();
    List<Activation> history = store.policies().activations();
    nextActivation =
        history.stream()
            .map(Activation::at)
            .filter(a -> a.isAfter(at))
            .min(Instant::compareTo)
            .orElse(null);
    Optional<Engine.IndexFigures> figures = engine.indexFigures();
    if (figures.isEmpty()) {
      return;
    }
    Set<PolicyRef> active = new HashSet<>();
    for (Policy p : engine.activePolicies(at)) {
      active.add(p.ref());
    }
    if (!active.equals(new HashSet<>(figures.get().policies()))) {
      Engine.IndexFigures built = engine.buildIndex(at);
      LOG.info(
          "policies activated elsewhere: index rebuilt for {} ({} records, {} s)",
          built.policies(),
          built.records(),
          String.format(java.util.Locale.ROOT, "%.1f", built.seconds()));
    }
  }

  /** Reads the held rows again; rows another process released join the index by a rebuild. */
  private void followSources(Instant at) {
    Set<Long> released = store.sources().reloadHeld();
    if (!released.isEmpty() && engine.indexFigures().isPresent()) {
      Engine.IndexFigures built = engine.buildIndex(at);
      LOG.info(
          "{} held records released elsewhere: index rebuilt ({} records, {} s)",
          released.size(),
          built.records(),
          String.format(java.util.Locale.ROOT, "%.1f", built.seconds()));
    }
  }

  /** Stops looking (a tick under way finishes). */
  @Override
  public void close() {
    stop.countDown();
    Thread t = thread;
    if (t != null) {
      try {
        t.join(30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
