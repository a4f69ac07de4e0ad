package org.credo.audit;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.credo.store.Jdbc;
import org.credo.store.Store;
import org.credo.store.SubjectKeyIndex;

/**
 * The tamper-evident audit log: every write and read of subject data, appended to a hash chain.
 * Each entry's hash covers it and its predecessor's hash ({@link ChainHash}); checkpoints sign the
 * head with the bureau's key; {@link #verify} recomputes everything and names the first bad entry.
 *
 * <p>Appends are group-committed, like the inquiry log: one writer thread takes everything queued,
 * extends the chain in commit order inside one transaction and commits, and only then completes the
 * futures. An entry may bring {@linkplain Companion companion rows} (a decision's inquiry) that are
 * inserted in the same transaction, so a decision costs one commit for both. The writer reads the
 * head from the database inside each write transaction (SQLite's write lock, or a PostgreSQL
 * advisory lock, is held from the transaction's start), so a second writer on the same store — a
 * CLI command next to a running server — extends the same chain instead of forking it.
 *
 * <p>On SQLite the writer has a connection of its own to the database file (WAL lets reads go on
 * while it commits); on PostgreSQL it takes one from the store's pool.
 *
 * <p>Why this class is long (~740 lines): the writer thread, group commit, the hash chain read
 * inside the write transaction, signed checkpoints and the per-subject index sweeps are one
 * durability protocol; {@code AuditVerifier} and the entry codec are already apart.
 */
public final class AuditLog implements AutoCloseable {
  /** Thrown (through the future) when an entry cannot be written. */
  public static final class Unavailable extends RuntimeException {
    public Unavailable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** A row of another table to insert in the same transaction as an entry. */
  public record Companion(String sql, Object... args) {
    public Companion {
      requireNonNull(sql, "sql is null");
      args = args.clone();
    }
  }

  /**
   * How the log runs.
   *
   * @param capacity entries that may wait for their commit; above it appends fail at once
   * @param signer signs checkpoints; empty: none are written
   * @param checkpointEvery a checkpoint after this many entries since the last one
   * @param checkpointInterval a checkpoint when this long has passed since the last one (and new
   *     entries exist)
   * @param clock the time checkpoints are dated with
   * @param enabled false writes companions but no entries — only to measure the log's cost
   * @param indexCycle on SQLite, how long one sweep of the subject index takes when its rows are
   *     written in sweeps (what a long-running server wants, see {@link SubjectKeyIndex}); zero
   *     writes each entry's row with it (what a short command wants). PostgreSQL always indexes
   *     each entry with it.
   * @param groupCommitWait how long the writer waits for more entries before a commit while entries
   *     come from several callers at once (the last commit held more than one): fewer, larger
   *     commits spend less CPU on fsync and write fewer pages, for up to that much more latency;
   *     zero commits whatever has come
   */
  public record Options(
      int capacity,
      Optional<Signer> signer,
      long checkpointEvery,
      Duration checkpointInterval,
      Clock clock,
      boolean enabled,
      Duration indexCycle,
      Duration groupCommitWait) {
    /** The longest a commit may wait for more entries. */
    public static final Duration MAX_GROUP_COMMIT_WAIT = Duration.ofSeconds(1);

    public Options {
      requireNonNull(signer, "signer is null");
      requireNonNull(checkpointInterval, "checkpointInterval is null");
      requireNonNull(clock, "clock is null");
      requireNonNull(indexCycle, "indexCycle is null");
      if (capacity < 1 || checkpointEvery < 1 || checkpointInterval.isNegative()) {
        throw new IllegalArgumentException("capacity and checkpointEvery must be positive");
      }
      if (indexCycle.isNegative()) {
        throw new IllegalArgumentException("indexCycle must not be negative");
      }
      requireNonNull(groupCommitWait, "groupCommitWait is null");
      if (groupCommitWait.isNegative() || groupCommitWait.compareTo(MAX_GROUP_COMMIT_WAIT) > 0) {
        throw new IllegalArgumentException("groupCommitWait must be 0 to 1 s");
      }
    }

    /** No checkpoints; 100 000 entries may wait; each entry indexed with it; no wait. */
    public static Options defaults() {
      return new Options(
          100_000,
          Optional.empty(),
          10_000,
          Duration.ofMinutes(1),
          Clock.systemUTC(),
          true,
          Duration.ZERO,
          Duration.ZERO);
    }

    public Options withSigner(Signer s, long every, Duration interval) {
      return new Options(
          capacity, Optional.of(s), every, interval, clock, enabled, indexCycle, groupCommitWait);
    }

    /** The subject index written in sweeps of {@code cycle} (on SQLite). */
    public Options withIndexCycle(Duration cycle) {
      return new Options(
          capacity,
          signer,
          checkpointEvery,
          checkpointInterval,
          clock,
          enabled,
          cycle,
          groupCommitWait);
    }

    /** Commits wait up to {@code wait} for more entries under concurrent load. */
    public Options withGroupCommitWait(Duration wait) {
      return new Options(
          capacity, signer, checkpointEvery, checkpointInterval, clock, enabled, indexCycle, wait);
    }
  }

  private sealed interface Job permits Append, CheckpointRequest {}

  private record Append(AuditEntry entry, List<Companion> companions, CompletableFuture<Long> done)
      implements Job {}

  private record CheckpointRequest(Signer signer, CompletableFuture<Optional<Checkpoint>> done)
      implements Job {}

  private static final int MAX_BATCH = 5_000;
  private static final long PG_LOCK = 0x637265646f61L; // "credoa": one chain writer at a time

  private final Store store;
  private final Jdbc db;
  private final Options options;
  private final DataSource writerSource;
  private final boolean ownConnection;
  private final BlockingQueue<Job> queue;
  private final Thread writer;
  private final LongAdder written = new LongAdder();
  private final LongAdder batches = new LongAdder();
  private final LongAdder commitNanos = new LongAdder();
  private final ChainHash hasher = new ChainHash(); // the writer thread's
  private final SubjectKeyIndex subjects; // null on PostgreSQL
  private long lastCheckpointSeq = -1; // writer thread only; -1: not read yet
  private Instant lastCheckpointAt = Instant.EPOCH;
  private int lastBatch; // writer thread only: entries its last transaction held
  private volatile boolean closing;

  private AuditLog(Store store, Options options) {
    this.store = requireNonNull(store, "store is null");
    this.options = requireNonNull(options, "options is null");
    this.db = new Jdbc(store.dataSource());
    this.ownConnection = store.kind() == Store.Kind.SQLITE;
    this.writerSource = ownConnection ? sqliteWriter(store) : store.dataSource();
    this.queue = new ArrayBlockingQueue<>(options.capacity());
    this.subjects =
        ownConnection ? new SubjectKeyIndex(SubjectKeyIndex.AUDIT_LOG, options.indexCycle()) : null;
    if (subjects != null && subjects.deferred()) {
      try (Connection c = store.dataSource().getConnection()) {
        subjects.load(c);
      } catch (SQLException e) {
        throw new IllegalStateException("cannot read the audit log: " + e.getMessage(), e);
      }
    }
    this.writer = new Thread(this::writeLoop, "credo-audit-writer");
    writer.setDaemon(true);
    writer.start();
  }

  /** Starts the log's writer over {@code store}'s audit tables. Close it to flush. */
  public static AuditLog open(Store store, Options options) {
    return new AuditLog(store, options);
  }

  /** {@link #open(Store, Options)} with the defaults: no checkpoints. */
  public static AuditLog open(Store store) {
    return open(store, Options.defaults());
  }

  private static DataSource sqliteWriter(Store store) {
    // The subject index takes random keys: a larger page cache keeps its inner pages in memory.
    return new org.credo.store.SqliteSource(java.nio.file.Path.of(store.location()), 65_536);
  }

  // ---- writing ------------------------------------------------------------------------------

  /**
   * Queues an entry. The future completes with its seq once it is committed, or fails with {@link
   * Unavailable} if the log is full, closed, or the database refused it.
   */
  public CompletableFuture<Long> append(AuditEntry entry) {
    return append(entry, List.of());
  }

  /** Queues an entry with rows of other tables to insert in the same transaction. */
  public CompletableFuture<Long> append(AuditEntry entry, List<Companion> companions) {
    requireNonNull(entry, "entry is null");
    CompletableFuture<Long> done = new CompletableFuture<>();
    offer(new Append(entry, List.copyOf(companions), done), done);
    return done;
  }

  /**
   * Appends and waits for the commit.
   *
   * @return the entry's seq (0 when the log is disabled)
   * @throws Unavailable when it cannot be written within 30 seconds
   */
  public long appendAndWait(AuditEntry entry) {
    return await(append(entry));
  }

  /** Waits for a future of {@link #append}, turning failures into {@link Unavailable}. */
  public static long await(CompletableFuture<Long> f) {
    try {
      return f.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Unavailable u
          ? u
          : new Unavailable("cannot write the audit log: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new Unavailable("the audit log did not commit within 30 s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Unavailable("interrupted", e);
    }
  }

  /**
   * Signs the head as it is once everything queued before is committed.
   *
   * @return the new checkpoint, or empty when the head is already checkpointed (or the log empty)
   */
  public Optional<Checkpoint> checkpoint(Signer signer) {
    requireNonNull(signer, "signer is null");
    CompletableFuture<Optional<Checkpoint>> done = new CompletableFuture<>();
    offer(new CheckpointRequest(signer, done), done);
    try {
      return done.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new Unavailable("cannot write a checkpoint: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new Unavailable("the checkpoint was not committed within 30 s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Unavailable("interrupted", e);
    }
  }

  private void offer(Job job, CompletableFuture<?> done) {
    if (closing) {
      done.completeExceptionally(new Unavailable("the audit log is closed", null));
    } else if (!queue.offer(job)) {
      done.completeExceptionally(new Unavailable("the audit log is full", null));
    }
  }

  /** Entries committed since start. */
  public long written() {
    return written.sum();
  }

  /** Commits since start. */
  public long batches() {
    return batches.sum();
  }

  /** Time spent writing and committing, in seconds, since start. */
  public double commitSeconds() {
    return commitNanos.sum() / 1e9;
  }

  /** Entries waiting for their commit. */
  public int waiting() {
    return queue.size();
  }

  private void writeLoop() {
    List<Job> batch = new ArrayList<>(MAX_BATCH);
    Connection connection = null;
    try {
      while (true) {
        Job first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          boolean stop = closing && queue.isEmpty();
          boolean sweep = subjects != null && subjects.waiting() > 0;
          if (stop ? options.signer().isPresent() || sweep : checkpointDue(0) || sweep) {
            // Idle: a time-based checkpoint, index rows, or the last of both before stopping.
            try {
              connection = connection(connection);
              write(connection, batch, stop);
            } catch (SQLException | RuntimeException e) {
              connection = Jdbc.closeQuietly(connection);
            }
          }
          if (stop) {
            return;
          }
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, MAX_BATCH - 1);
        if (lastBatch > 1 && batch.size() < MAX_BATCH && !options.groupCommitWait().isZero()) {
          // Several callers at once: let more entries join this commit. A lone caller (the last
          // commit held one entry) is never kept waiting.
          LockSupport.parkNanos(options.groupCommitWait().toNanos());
          queue.drainTo(batch, MAX_BATCH - batch.size());
        }
        lastBatch = batch.size();
        try {
          connection = connection(connection);
          write(connection, batch, false);
          if (!ownConnection) {
            connection = Jdbc.closeQuietly(connection);
          }
        } catch (SQLException | RuntimeException e) {
          Unavailable failure = new Unavailable("cannot write the audit log: " + e.getMessage(), e);
          for (Job j : batch) {
            if (j instanceof Append a) {
              a.done().completeExceptionally(failure);
            } else if (j instanceof CheckpointRequest c) {
              c.done().completeExceptionally(failure);
            }
          }
          connection = Jdbc.closeQuietly(connection);
        }
        batch.clear();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      Jdbc.closeQuietly(connection);
    }
  }

  private Connection connection(Connection c) throws SQLException {
    return c == null || c.isClosed() ? writerSource.getConnection() : c;
  }

  /** Whether a checkpoint is due with the chain at {@code head} (by count or by time). */
  private boolean checkpointDue(long head) {
    if (options.signer().isEmpty() || lastCheckpointSeq < 0) {
      return false;
    }
    Instant now = options.clock().instant();
    return !now.isBefore(lastCheckpointAt.plus(options.checkpointInterval()))
        || head - lastCheckpointSeq >= options.checkpointEvery();
  }

  /** The chain's last entry: its row and hash (0 and the genesis hash for an empty log). */
  private record Head(long seq, byte[] hash) {}

  /**
   * Inside the caller's transaction: holds the chain (a PostgreSQL advisory lock; on SQLite the
   * transaction's write lock already does) and reads its head.
   */
  private Head lockAndReadHead(Connection c) throws SQLException {
    if (store.kind() == Store.Kind.POSTGRESQL) {
      try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
        ps.setLong(1, PG_LOCK);
        ps.executeQuery().close();
      }
    }
    try (PreparedStatement ps =
            c.prepareStatement("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1");
        ResultSet rs = ps.executeQuery()) {
      long seq = rs.next() ? rs.getLong(1) : 0;
      return new Head(seq, seq > 0 ? rs.getBytes(2) : ChainHash.GENESIS);
    }
  }

  /**
   * Appends entries to the chain inside a write transaction the caller holds on {@code c} (on
   * SQLite an {@code IMMEDIATE} one, as every store connection's), so that they commit — or not —
   * with the caller's own rows: records accepted and the entries that say so cannot part. Nothing
   * is written while the log is disabled. The writer thread's next batch reads the new head.
   */
  public void appendWithin(Connection c, List<AuditEntry> entries) throws SQLException {
    if (!options.enabled() || entries.isEmpty()) {
      return;
    }
    Head h = lockAndReadHead(c);
    long seq = h.seq();
    byte[] head = h.hash();
    long[] seqs = new long[entries.size()];
    byte[][] keys = new byte[entries.size()][];
    ChainHash own = new ChainHash(); // not the writer thread's
    try (PreparedStatement ins =
        c.prepareStatement("INSERT INTO audit_log (seq, entry, hash) VALUES (?, ?, ?)")) {
      for (int i = 0; i < entries.size(); i++) {
        AuditEntry e = entries.get(i);
        seq++;
        byte[] entry = ChainHash.encode(seq, e);
        head = own.hash(entry, head);
        ins.setLong(1, seq);
        ins.setBytes(2, entry);
        ins.setBytes(3, head);
        ins.addBatch();
        seqs[i] = seq;
        keys[i] = e.subjectKey();
      }
      ins.executeBatch();
    }
    if (subjects != null) {
      subjects.written(c, h.seq(), seq, seqs, keys);
    }
  }

  private void write(Connection c, List<Job> batch, boolean closingCheckpoint) throws SQLException {
    long started = System.nanoTime();
    long seq;
    byte[] head;
    int entries = 0;
    c.setAutoCommit(false);
    try {
      Head h = lockAndReadHead(c);
      seq = h.seq();
      head = h.hash();
      if (lastCheckpointSeq < 0) {
        try (PreparedStatement ps =
                c.prepareStatement(
                    "SELECT seq, at_us FROM audit_checkpoints ORDER BY seq DESC LIMIT 1");
            ResultSet rs = ps.executeQuery()) {
          lastCheckpointSeq = rs.next() ? rs.getLong(1) : 0;
          lastCheckpointAt =
              lastCheckpointSeq > 0 ? Jdbc.instant(rs.getLong(2)) : options.clock().instant();
        }
      }
      long first = seq;
      byte[][] keys = new byte[batch.size()][];
      long[] seqs = new long[batch.size()];
      Map<String, PreparedStatement> companions = new LinkedHashMap<>();
      List<Checkpoint> checkpoints = new ArrayList<>();
      List<CheckpointRequest> asked = new ArrayList<>();
      try (PreparedStatement ins =
          c.prepareStatement("INSERT INTO audit_log (seq, entry, hash) VALUES (?, ?, ?)")) {
        for (int i = 0; i < batch.size(); i++) {
          Job j = batch.get(i);
          if (j instanceof Append a) {
            if (options.enabled()) {
              AuditEntry e = a.entry();
              seq++;
              byte[] entry = ChainHash.encode(seq, e);
              byte[] hash = hasher.hash(entry, head);
              ins.setLong(1, seq);
              ins.setBytes(2, entry);
              ins.setBytes(3, hash);
              ins.addBatch();
              head = hash;
              seqs[i] = seq;
              keys[i] = e.subjectKey();
              entries++;
            }
            for (Companion comp : a.companions()) {
              PreparedStatement ps = companions.get(comp.sql());
              if (ps == null) {
                ps = c.prepareStatement(comp.sql());
                companions.put(comp.sql(), ps);
              }
              Jdbc.bind(ps, comp.args());
              ps.addBatch();
            }
          } else if (j instanceof CheckpointRequest r) {
            // Everything queued before the request is in the chain by now.
            asked.add(r);
            checkpoints.add(seq > lastCheckpointSeq ? sign(r.signer(), seq, head) : null);
            if (seq > lastCheckpointSeq) {
              lastCheckpointSeq = seq;
            }
          }
        }
        if (entries > 0) {
          ins.executeBatch();
        }
        if (subjects != null && entries > 0) {
          subjects.written(c, first, seq, seqs, keys);
        }
        for (PreparedStatement ps : companions.values()) {
          ps.executeBatch();
        }
      } finally {
        for (PreparedStatement ps : companions.values()) {
          ps.close();
        }
      }
      boolean due = closingCheckpoint ? seq > lastCheckpointSeq : checkpointDue(seq);
      if (options.signer().isPresent() && due && seq > lastCheckpointSeq) {
        Checkpoint cp = sign(options.signer().get(), seq, head);
        checkpoints.add(cp);
        lastCheckpointSeq = seq;
      } else if (due) {
        lastCheckpointAt = options.clock().instant(); // nothing new: wait another interval
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              // Another writer may have signed the same head already.
              "INSERT INTO audit_checkpoints (seq, head_hash, at_us, key_id, signature)"
                  + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (seq) DO NOTHING")) {
        boolean any = false;
        for (Checkpoint cp : checkpoints) {
          if (cp != null) {
            Jdbc.bind(
                ps, cp.seq(), cp.headHash(), Jdbc.micros(cp.at()), cp.keyId(), cp.signature());
            ps.addBatch();
            any = true;
            lastCheckpointAt = cp.at();
          }
        }
        if (any) {
          ps.executeBatch();
        }
      }
      SubjectKeyIndex.Sweep swept =
          subjects == null ? null : subjects.sweep(c, seq, batch.isEmpty(), closingCheckpoint);
      c.commit();
      if (subjects != null) {
        subjects.committed(swept);
      }
      commitNanos.add(System.nanoTime() - started);
      written.add(entries);
      batches.increment();
      for (int i = 0; i < batch.size(); i++) {
        if (batch.get(i) instanceof Append a) {
          a.done().complete(seqs[i]);
        }
      }
      for (int i = 0; i < asked.size(); i++) {
        asked.get(i).done().complete(Optional.ofNullable(checkpoints.get(i)));
      }
    } catch (SQLException | RuntimeException e) {
      lastCheckpointSeq = -1; // read it again with the next transaction
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }

  private Checkpoint sign(Signer signer, long seq, byte[] head) {
    Instant at = Jdbc.instant(Jdbc.micros(options.clock().instant()));
    byte[] signature = signer.sign(Checkpoint.message(seq, head, at));
    return new Checkpoint(seq, head.clone(), at, signer.keyId(), signature);
  }

  /**
   * Stops taking entries, commits everything queued (and a last checkpoint, with a signer), and
   * stops the writer.
   */
  @Override
  public void close() {
    closing = true;
    try {
      writer.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---- erasure ------------------------------------------------------------------------------

  /**
   * Erases the content of every entry about a subject (GDPR Art. 17): each keeps its seq and its
   * hash, loses its time, actor, action and detail, and no longer names the subject; the chain
   * still verifies. Returns how many entries were erased.
   */
  public long erase(byte[] subjectKey) {
    List<Long> seqs = new ArrayList<>();
    about(
        subjectKey,
        e -> {
          seqs.add(e.seq());
          return true;
        });
    for (int from = 0; from < seqs.size(); from += 500) {
      List<Long> part = seqs.subList(from, Math.min(seqs.size(), from + 500));
      db.transaction(
          c -> {
            for (long seq : part) {
              Jdbc.update(
                  c, "UPDATE audit_log SET entry = ? WHERE seq = ?", ChainHash.erased(seq), seq);
            }
            // The subject index may still point at these seqs: an erased entry names nobody, so
            // reading it for the subject finds nothing.
            return null;
          });
    }
    return seqs.size();
  }

  // ---- reading ------------------------------------------------------------------------------

  /**
   * The entries about a subject (by its 16-byte pseudonym key), newest first, at most {@code
   * limit}.
   */
  public List<LoggedEntry> about(byte[] subjectKey, int limit) {
    List<LoggedEntry> out = new ArrayList<>();
    if (limit > 0) {
      about(
          subjectKey,
          e -> {
            out.add(e);
            return out.size() < limit;
          });
    }
    return out;
  }

  /**
   * Visits the entries about a subject, newest first, until {@code visitor} returns false or none
   * is left; they are read a page at a time, so a visitor that stops early reads little.
   */
  public void about(byte[] subjectKey, java.util.function.Predicate<LoggedEntry> visitor) {
    requireNonNull(subjectKey, "subjectKey is null");
    if (subjectKey.length != 16) {
      throw new IllegalArgumentException("a subject key has 16 bytes");
    }
    if (subjects != null) {
      aboutOnSqlite(subjectKey, visitor);
      return;
    }
    // The same expressions as the index (migration V4), so the planner uses it.
    long before = Long.MAX_VALUE;
    while (true) {
      List<LoggedEntry> page =
          db.query(
              "SELECT entry FROM audit_log WHERE get_byte(entry, 16) = 16"
                  + " AND substring(entry FROM 18 FOR 16) = ? AND seq < ?"
                  + " ORDER BY seq DESC LIMIT 200",
              AuditLog::loggedEntry,
              subjectKey,
              before);
      for (LoggedEntry e : page) {
        if (!visitor.test(e)) {
          return;
        }
        before = e.seq();
      }
      if (page.size() < 200) {
        return;
      }
    }
  }

  /**
   * On SQLite: the entries that may not be in {@code audit_subjects} yet, merged with the table's,
   * newest first. The recent ones are read first: an entry the sweep moves meanwhile is in the
   * table by the time the table is read.
   */
  private void aboutOnSqlite(byte[] key, java.util.function.Predicate<LoggedEntry> visitor) {
    List<Long> waiting = subjects.recent(db, key);
    Map<Long, LoggedEntry> found = entriesAbout(key, waiting);
    List<LoggedEntry> recent =
        waiting.stream().map(found::get).filter(java.util.Objects::nonNull).toList();
    int r = 0;
    long before = Long.MAX_VALUE;
    while (true) {
      List<Long> page = subjects.page(db, key, before, 200);
      Map<Long, LoggedEntry> entries = entriesAbout(key, page);
      for (long seq : page) {
        for (; r < recent.size() && recent.get(r).seq() >= seq; r++) {
          if (recent.get(r).seq() > seq && !visitor.test(recent.get(r))) {
            return;
          }
        }
        before = seq;
        LoggedEntry e = entries.get(seq); // none when a row points elsewhere
        if (e != null && !visitor.test(e)) {
          return;
        }
      }
      if (page.size() < 200) {
        break;
      }
    }
    for (; r < recent.size(); r++) {
      if (!visitor.test(recent.get(r))) {
        return;
      }
    }
  }

  /** The entries of {@code seqs} that are there and about the subject, by seq. */
  private Map<Long, LoggedEntry> entriesAbout(byte[] key, List<Long> seqs) {
    Map<Long, LoggedEntry> out = new java.util.HashMap<>();
    if (!seqs.isEmpty()) {
      for (LoggedEntry e :
          db.query(
              "SELECT entry FROM audit_log WHERE seq IN (" + Jdbc.marks(seqs.size()) + ")",
              AuditLog::loggedEntry,
              seqs.toArray())) {
        if (java.util.Arrays.equals(e.entry().subjectKey(), key)) {
          out.put(e.seq(), e);
        }
      }
    }
    return out;
  }

  /** Whether entries are written (when not, companion rows still are). */
  public boolean enabled() {
    return options.enabled();
  }

  /** The entries from {@code fromSeq} on, oldest first, at most {@code limit}. */
  public List<LoggedEntry> entries(long fromSeq, int limit) {
    return db.query(
        "SELECT entry FROM audit_log WHERE seq >= ? ORDER BY seq LIMIT ?",
        AuditLog::loggedEntry,
        fromSeq,
        limit);
  }

  /**
   * The newest entries that {@code wanted} accepts, newest first, at most {@code limit}, looking at
   * no more than {@code scanAtMost} entries back from the head (entries are sealed blobs: a filter
   * by action reads them).
   */
  public List<LoggedEntry> newest(
      java.util.function.Predicate<LoggedEntry> wanted, int limit, long scanAtMost) {
    List<LoggedEntry> out = new java.util.ArrayList<>();
    long before = Long.MAX_VALUE;
    long scanned = 0;
    while (out.size() < limit && scanned < scanAtMost) {
      List<LoggedEntry> page =
          db.query(
              "SELECT entry FROM audit_log WHERE seq < ? ORDER BY seq DESC LIMIT 1000",
              AuditLog::loggedEntry,
              before);
      if (page.isEmpty()) {
        break;
      }
      for (LoggedEntry e : page) {
        scanned++;
        if (wanted.test(e) && out.size() < limit) {
          out.add(e);
        }
      }
      before = page.get(page.size() - 1).seq();
    }
    return out;
  }

  /** Every checkpoint, oldest first. */
  public List<Checkpoint> checkpoints() {
    return db.query(
        "SELECT seq, head_hash, at_us, key_id, signature FROM audit_checkpoints ORDER BY seq",
        rs ->
            new Checkpoint(
                rs.getLong(1),
                rs.getBytes(2),
                Jdbc.instant(rs.getLong(3)),
                rs.getString(4),
                rs.getBytes(5)));
  }

  private static LoggedEntry loggedEntry(ResultSet rs) throws SQLException {
    return ChainHash.decode(rs.getBytes(1));
  }

  /**
   * Recomputes the whole chain and checks every checkpoint; see {@link AuditVerifier}.
   *
   * @param signatures checks checkpoint signatures; empty: only their heads are checked
   */
  public Verification verify(Optional<SignatureCheck> signatures) {
    return AuditVerifier.verify(store, signatures, 2, 100_000);
  }

  /** Verifies without a writer: for read-only checks such as {@code credo audit verify}. */
  public static Verification verify(Store store, Optional<SignatureCheck> signatures) {
    return AuditVerifier.verify(store, signatures, 2, 100_000);
  }
}
