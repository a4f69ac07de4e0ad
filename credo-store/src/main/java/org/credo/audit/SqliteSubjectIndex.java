package org.credo.audit;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.credo.store.Jdbc;

/**
 * The audit log's index by subject on SQLite: table {@code audit_subjects (gen, subject_key, seq)}
 * (migration V6), and the entries not yet in it.
 *
 * <p>Subject keys are random, so an index row written with each entry dirties a random page of the
 * index in every commit: 4 KB written to the log, and 4 KB more at the checkpoint, for an entry of
 * 200 bytes. A long-running server therefore <em>defers</em> them: an entry's (key, seq) waits in
 * memory, and the writer thread sweeps the key space in {@value #SLICES} slices, one a few
 * milliseconds, inside its own transactions; a whole sweep takes the configured cycle. Each step
 * writes a slice's new rows together into the few pages that hold that slice. Rows are grouped in
 * generations of 2<sup>{@value #GEN_BITS}</sup> seqs ({@code gen = seq >> GEN_BITS}), the first
 * column of the key: sweeps write into the newest generation only, so what a cycle rewrites is
 * bounded by a generation (about 30 MB), not by the whole index, and older generations are never
 * written again. A look-up reads each generation, newest first: one seek per million entries.
 *
 * <p>Readers merge what waits in memory with the table. Nothing is lost in a crash: row {@code
 * audit_subjects_indexed.below} says from which seq on the table may lack entries, and it moves on
 * only when a whole sweep has taken in everything older. A deferring log reads that tail back into
 * memory when it opens; a log that writes its rows at once (a CLI command beside a server) reads it
 * with each look-up. An entry queued by a transaction that then rolled back is found missing (its
 * seq holds nothing, or another subject's entry) and is dropped, by readers and by the sweep.
 */
final class SqliteSubjectIndex {
  static final int SLICE_BITS = 12;
  static final int SLICES = 1 << SLICE_BITS;
  static final int GEN_BITS = 20;
  private static final int SLICES_PER_STEP = 64;

  /**
   * The entries of one slice that wait for their rows: (key's first 8 bytes, last 8, seq) triples
   * in one array, in the order they came. Arrays rather than an object an entry: a few hundred
   * thousand entries wait for up to a cycle, and as objects each would be copied from survivor
   * space to survivor space until promoted; the arrays also need no comparator to find a slice.
   */
  private static final class Waiting {
    long[] triples = new long[24];
    int size; // entries

    synchronized void add(long hi, long lo, long seq) {
      if (3 * size + 3 > triples.length) {
        triples = Arrays.copyOf(triples, triples.length * 2);
      }
      triples[3 * size] = hi;
      triples[3 * size + 1] = lo;
      triples[3 * size + 2] = seq;
      size++;
    }

    synchronized long[] snapshot() {
      return Arrays.copyOf(triples, 3 * size);
    }

    /** Forgets the first {@code n} entries (those of a snapshot; later ones come after them). */
    synchronized void drop(int n) {
      System.arraycopy(triples, 3 * n, triples, 0, 3 * (size - n));
      size -= n;
      if (size == 0 && triples.length > 96) {
        triples = new long[24];
      }
    }

    synchronized List<Long> seqsOf(long hi, long lo) {
      List<Long> out = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        if (triples[3 * i] == hi && triples[3 * i + 1] == lo) {
          out.add(triples[3 * i + 2]);
        }
      }
      return out;
    }
  }

  /** What one sweep moved into the table (entries of each slice), forgotten once it commits. */
  record Sweep(Map<Integer, long[]> moved, int nextSlice, long cycleHead) {}

  private final boolean deferred;
  private final long stepNanos;
  private final Waiting[] slices = new Waiting[SLICES];
  private final AtomicLong waiting = new AtomicLong();
  // The writer thread's: where the sweep is, and the head when its cycle began (-1: not begun).
  private int nextSlice;
  private long cycleHead = -1;
  private long lastStep = System.nanoTime();

  /**
   * @param cycle how long a whole sweep takes; zero writes each entry's row with it
   */
  SqliteSubjectIndex(Duration cycle) {
    this.deferred = !cycle.isZero();
    this.stepNanos = Math.max(1, cycle.toNanos() / SLICES);
    for (int i = 0; i < SLICES; i++) {
      slices[i] = new Waiting();
    }
  }

  private void queue(byte[] key, long seq) {
    ByteBuffer b = ByteBuffer.wrap(key);
    long hi = b.getLong(0);
    slices[slice(hi)].add(hi, b.getLong(8), seq);
    waiting.incrementAndGet();
  }

  private static int slice(long hi) {
    return (int) (hi >>> (64 - SLICE_BITS));
  }

  boolean deferred() {
    return deferred;
  }

  /** Entries that wait for their row. */
  int waiting() {
    return (int) Math.min(Integer.MAX_VALUE, waiting.get());
  }

  /** On opening a deferring log: the entries the table may lack wait in memory again. */
  void load(Connection c) throws SQLException {
    if (!deferred) {
      return;
    }
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT seq, substr(entry, 18, 16) FROM audit_log"
                    + " WHERE seq >= (SELECT below FROM audit_subjects_indexed WHERE id = 1)"
                    + " AND substr(entry, 17, 1) = x'10'");
        var rs = ps.executeQuery()) {
      while (rs.next()) {
        queue(rs.getBytes(2), rs.getLong(1));
      }
    }
  }

  /**
   * Inside the transaction that appended entries {@code headBefore + 1 …} ({@code keys[i]} is entry
   * {@code headBefore + 1 + i}'s subject key, or null): writes their rows, or queues them.
   */
  void written(Connection c, long headBefore, List<byte[]> keys) throws SQLException {
    if (deferred) {
      for (int i = 0; i < keys.size(); i++) {
        byte[] k = keys.get(i);
        if (k != null && k.length == 16) {
          queue(k, headBefore + 1 + i);
        }
      }
      return;
    }
    try (PreparedStatement ins =
        c.prepareStatement(
            "INSERT INTO audit_subjects (gen, subject_key, seq) VALUES (?, ?, ?)"
                + " ON CONFLICT DO NOTHING")) {
      boolean any = false;
      for (int i = 0; i < keys.size(); i++) {
        byte[] k = keys.get(i);
        if (k != null && k.length == 16) {
          long seq = headBefore + 1 + i;
          ins.setLong(1, seq >> GEN_BITS);
          ins.setBytes(2, k);
          ins.setLong(3, seq);
          ins.addBatch();
          any = true;
        }
      }
      if (any) {
        ins.executeBatch();
      }
    }
    // The table stays complete if it was: no deferred entry lies before these.
    Jdbc.update(
        c,
        "UPDATE audit_subjects_indexed SET below = ? WHERE id = 1 AND below = ?",
        headBefore + keys.size() + 1,
        headBefore + 1);
  }

  /**
   * Inside the writer's transaction, with the chain at {@code head}: writes the rows of the slices
   * that are due, or of everything when {@code all} (the log closes), or of a few slices when
   * {@code idle}.
   *
   * @return what to forget once the transaction commits; null when nothing was due
   */
  Sweep sweep(Connection c, long head, boolean idle, boolean all) throws SQLException {
    if (!deferred) {
      return null;
    }
    if (all) {
      Map<Integer, long[]> everything = new HashMap<>();
      for (int i = 0; i < SLICES; i++) {
        everything.put(i, slices[i].snapshot());
      }
      insert(c, everything);
      setBelow(c, head + 1);
      return new Sweep(everything, 0, -1);
    }
    int steps =
        idle
            ? (waiting.get() == 0 ? 0 : SLICES_PER_STEP)
            : (int) Math.min(SLICES_PER_STEP, (System.nanoTime() - lastStep) / stepNanos);
    if (steps == 0) {
      return null;
    }
    int slice = nextSlice;
    long begun = cycleHead;
    long below = -1;
    Map<Integer, long[]> moved = new HashMap<>();
    for (int i = 0; i < steps; i++) {
      if (slice == 0) {
        // Every entry up to the head is queued or in the table: this cycle takes them all in.
        begun = head;
      }
      moved.put(slice, slices[slice].snapshot());
      slice = (slice + 1) % SLICES;
      if (slice == 0) {
        below = begun + 1;
      }
    }
    insert(c, moved);
    if (below > 0) {
      setBelow(c, below);
    }
    return new Sweep(moved, slice, begun);
  }

  private static void setBelow(Connection c, long below) throws SQLException {
    Jdbc.update(c, "UPDATE audit_subjects_indexed SET below = MAX(below, ?) WHERE id = 1", below);
  }

  /** The sweep's transaction committed. */
  void committed(Sweep s) {
    if (s == null) {
      return;
    }
    s.moved()
        .forEach(
            (slice, taken) -> {
              slices[slice].drop(taken.length / 3);
              waiting.addAndGet(-taken.length / 3);
            });
    nextSlice = s.nextSlice();
    cycleHead = s.cycleHead();
    lastStep = System.nanoTime();
  }

  private static void insert(Connection c, Map<Integer, long[]> rows) throws SQLException {
    if (rows.values().stream().allMatch(t -> t.length == 0)) {
      return;
    }
    // Only for an entry that is there: one whose transaction rolled back is not.
    try (PreparedStatement ins =
        c.prepareStatement(
            "INSERT INTO audit_subjects (gen, subject_key, seq) SELECT ?, ?, seq FROM audit_log"
                + " WHERE seq = ? AND substr(entry, 17, 17) = ? ON CONFLICT DO NOTHING")) {
      for (long[] t : rows.values()) {
        for (int i = 0; i < t.length; i += 3) {
          byte[] key = ByteBuffer.allocate(16).putLong(t[i]).putLong(t[i + 1]).array();
          ins.setLong(1, t[i + 2] >> GEN_BITS);
          ins.setBytes(2, key);
          ins.setLong(3, t[i + 2]);
          ins.setBytes(4, tagged(key));
          ins.addBatch();
        }
      }
      ins.executeBatch();
    }
  }

  /**
   * The seqs of a subject's entries that may be missing from the table, newest first: those that
   * wait in memory, or (not deferring) those from {@code below} on, read with {@code db}.
   */
  List<LoggedEntry> recent(Jdbc db, byte[] key) {
    if (!deferred) {
      return db.query(
          "SELECT entry FROM audit_log WHERE seq >= (SELECT below FROM audit_subjects_indexed"
              + " WHERE id = 1) AND substr(entry, 17, 17) = ? ORDER BY seq DESC",
          rs -> ChainHash.decode(rs.getBytes(1)),
          (Object) tagged(key));
    }
    ByteBuffer b = ByteBuffer.wrap(key);
    long hi = b.getLong(0);
    List<Long> seqs =
        new ArrayList<>(new java.util.TreeSet<>(slices[slice(hi)].seqsOf(hi, b.getLong(8))));
    java.util.Collections.reverse(seqs);
    List<LoggedEntry> out = new ArrayList<>();
    for (long seq : seqs) {
      db.one(
              "SELECT entry FROM audit_log WHERE seq = ?",
              rs -> ChainHash.decode(rs.getBytes(1)),
              seq)
          .filter(e -> Arrays.equals(e.entry().subjectKey(), key))
          .ifPresent(out::add);
    }
    return out;
  }

  /** A row of the table and its entry (null when the entry is not there). */
  record Indexed(long seq, byte[] entry) {}

  /**
   * The table's rows for a subject below seq {@code before}, newest first, at most {@code limit}
   * (fewer only when no more are there), with their entries.
   */
  static List<Indexed> page(Jdbc db, byte[] key, long before, int limit) {
    List<Indexed> out = new ArrayList<>();
    long top =
        before == Long.MAX_VALUE
            ? db.one("SELECT MAX(gen) FROM audit_subjects", rs -> rs.getLong(1)).orElse(0L)
            : (before - 1) >> GEN_BITS;
    for (long gen = top; gen >= 0 && out.size() < limit; gen--) {
      out.addAll(
          db.query(
              "SELECT s.seq, a.entry FROM audit_subjects s LEFT JOIN audit_log a ON a.seq = s.seq"
                  + " WHERE s.gen = ? AND s.subject_key = ? AND s.seq < ?"
                  + " ORDER BY s.seq DESC LIMIT ?",
              rs -> new Indexed(rs.getLong(1), rs.getBytes(2)),
              gen,
              key,
              before,
              limit - out.size()));
    }
    return out;
  }

  /** The bytes 17–33 of an entry about the subject: the key's length (16) and the key. */
  static byte[] tagged(byte[] key) {
    byte[] t = new byte[17];
    t[0] = 16;
    System.arraycopy(key, 0, t, 1, 16);
    return t;
  }
}
