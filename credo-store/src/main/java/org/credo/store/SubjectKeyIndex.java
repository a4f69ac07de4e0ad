package org.credo.store;

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

/**
 * An index by subject key on SQLite that a long-running server writes in sweeps: table {@code TABLE
 * (gen, subject_key, last_seq, seqs)} over the rows of a source table — the audit log's entries
 * (migration V6) or the records (migration V7) — and the rows not yet in it. Each row is a pack of
 * one subject's seqs as one sweep (or one append) wrote them (migration V8): a sweep writes a row
 * for each subject that has entries waiting, not one for each entry.
 *
 * <p>Subject keys are random, so an index row written with each row dirties a random page of the
 * index in every commit: 4 KB written to the log, and 4 KB more at the checkpoint, for a row of a
 * few hundred bytes. A server therefore <em>defers</em> them: a row's (key, seq) waits in memory,
 * and the writer sweeps the key space in {@value #SLICES} slices, one every few milliseconds,
 * inside its own transactions; a whole sweep takes the configured cycle. Each step writes a slice's
 * new rows together into the few pages that hold that slice. Rows are grouped in generations of
 * 2<sup>{@value #GEN_BITS}</sup> seqs ({@code gen = seq >> GEN_BITS}), the first column of the key:
 * sweeps write into the newest generation only, so what a cycle rewrites is bounded by a generation
 * (about 30 MB), not by the whole index, and older generations are never written again. A look-up
 * reads each generation, newest first: one seek per million rows.
 *
 * <p>Readers merge what waits in memory with the table, and take a row only when the key in the
 * source row is the one they asked for. Nothing is lost in a crash: row {@code MARK.below} says
 * from which seq on the table may lack rows, and it moves on only when a whole sweep has taken in
 * everything older. A deferring index reads that tail back into memory when it starts; one that
 * writes its rows at once (a CLI command beside a server) reads it with each look-up. A row queued
 * by a transaction that then rolled back points to a seq that holds nothing, or another subject's
 * row: readers skip it, and the sweep writes it as it is (a little garbage, instead of a look-up
 * for every row on the single writer). Only one process may defer at a time: the server.
 */
public final class SubjectKeyIndex {
  /**
   * Where an index's rows come from.
   *
   * @param index the index table {@code (gen, subject_key, last_seq, seqs)}: each row a pack of
   *     seqs (8 bytes each), {@code last_seq} the highest when it was written
   * @param mark the table whose one row holds {@code below}
   * @param source the table indexed, with a column {@code seq}
   * @param keyExpr the subject key of a source row, as SQL
   * @param cond which source rows are about a subject, as SQL
   */
  public record Table(String index, String mark, String source, String keyExpr, String cond) {}

  /** The audit log's entries about a subject (16-byte key at bytes 18–33 when byte 17 says 16). */
  public static final Table AUDIT_LOG =
      new Table(
          "audit_subject_packs",
          "audit_subjects_indexed",
          "audit_log",
          "substr(entry, 18, 16)",
          "substr(entry, 17, 1) = x'10'");

  /** The records. */
  public static final Table RECORDS =
      new Table(
          "record_subject_packs", "record_subjects_indexed", "records", "subject_key", "1 = 1");

  public static final int SLICE_BITS = 12;
  public static final int SLICES = 1 << SLICE_BITS;
  public static final int GEN_BITS = 20;
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

    /** Marks an entry as gone (seq 0) in place: a sweep's snapshot keeps its length. */
    synchronized void forget(long hi, long lo, long seq) {
      for (int i = 0; i < size; i++) {
        if (triples[3 * i + 2] == seq && triples[3 * i] == hi && triples[3 * i + 1] == lo) {
          triples[3 * i + 2] = 0;
        }
      }
    }

    synchronized List<Long> seqsOf(long hi, long lo) {
      List<Long> out = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        if (triples[3 * i] == hi && triples[3 * i + 1] == lo && triples[3 * i + 2] > 0) {
          out.add(triples[3 * i + 2]);
        }
      }
      return out;
    }
  }

  /** What one sweep moved into the table (entries of each slice), forgotten once it commits. */
  public record Sweep(Map<Integer, long[]> moved, int nextSlice, long cycleHead) {}

  private final Table t;
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
  public SubjectKeyIndex(Table table, Duration cycle) {
    this.t = java.util.Objects.requireNonNull(table, "table is null");
    this.deferred = !cycle.isZero();
    this.stepNanos = Math.max(1, cycle.toNanos() / SLICES);
    for (int i = 0; i < SLICES; i++) {
      slices[i] = new Waiting();
    }
  }

  private void queue(long hi, long lo, long seq) {
    slices[slice(hi)].add(hi, lo, seq);
    waiting.incrementAndGet();
  }

  private static int slice(long hi) {
    return (int) (hi >>> (64 - SLICE_BITS));
  }

  public boolean deferred() {
    return deferred;
  }

  /** Entries that wait for their row. */
  public int waiting() {
    return (int) Math.min(Integer.MAX_VALUE, waiting.get());
  }

  /** On starting to defer: the rows the table may lack wait in memory again. */
  public void load(Connection c) throws SQLException {
    if (!deferred) {
      return;
    }
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT seq, "
                    + t.keyExpr()
                    + " FROM "
                    + t.source()
                    + " WHERE seq >= (SELECT below FROM "
                    + t.mark()
                    + " WHERE id = 1) AND "
                    + t.cond());
        var rs = ps.executeQuery()) {
      while (rs.next()) {
        ByteBuffer key = ByteBuffer.wrap(rs.getBytes(2));
        queue(key.getLong(0), key.getLong(8), rs.getLong(1));
      }
    }
  }

  /**
   * Inside the transaction that wrote source rows {@code seqs} (0: none) about {@code keys}, the
   * rows of seqs {@code headBefore + 1 … headAfter} (the others are older): writes their index
   * rows, or queues them.
   */
  public void written(Connection c, long headBefore, long headAfter, long[] seqs, byte[][] keys)
      throws SQLException {
    long[] rows = new long[3 * seqs.length]; // the triples of rows about a subject
    int n = 0;
    for (int i = 0; i < seqs.length; i++) {
      if (seqs[i] > 0 && keys[i] != null && keys[i].length == 16) {
        ByteBuffer b = ByteBuffer.wrap(keys[i]);
        rows[n++] = b.getLong(0);
        rows[n++] = b.getLong(8);
        rows[n++] = seqs[i];
      }
    }
    if (deferred) {
      for (int i = 0; i < n; i += 3) {
        queue(rows[i], rows[i + 1], rows[i + 2]);
      }
      return;
    }
    insert(c, Map.of(0, Arrays.copyOf(rows, n)));
    // The table stays complete if it was: no deferred row lies before these.
    Jdbc.update(
        c,
        "UPDATE " + t.mark() + " SET below = MAX(below, ?) WHERE id = 1 AND below >= ?",
        headAfter + 1,
        headBefore + 1);
  }

  /** Source rows {@code seqs} about {@code keys} are deleted: none of them is to be indexed. */
  public void forget(long[] seqs, byte[][] keys) {
    for (int i = 0; i < seqs.length; i++) {
      ByteBuffer b = ByteBuffer.wrap(keys[i]);
      long hi = b.getLong(0);
      slices[slice(hi)].forget(hi, b.getLong(8), seqs[i]);
    }
  }

  /**
   * Inside the writer's transaction, with every source row up to {@code head} committed or in this
   * transaction: writes the rows of the slices that are due, or of everything when {@code all} (the
   * writer stops), or of a few slices when {@code idle}.
   *
   * @return what to forget once the transaction commits; null when nothing was due
   */
  public synchronized Sweep sweep(Connection c, long head, boolean idle, boolean all)
      throws SQLException {
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

  private void setBelow(Connection c, long below) throws SQLException {
    Jdbc.update(c, "UPDATE " + t.mark() + " SET below = MAX(below, ?) WHERE id = 1", below);
  }

  /** The sweep's transaction committed. */
  public synchronized void committed(Sweep s) {
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

  /**
   * Writes the entries of {@code rows} (triples; seq 0 for one forgotten) as packs: one row for
   * each generation and key, holding its seqs. A pack whose (generation, key, last seq) is there
   * already — a sweep repeated after a crash — is added to; readers drop repeated seqs.
   */
  private void insert(Connection c, Map<Integer, long[]> rows) throws SQLException {
    if (rows.values().stream().allMatch(t -> t.length == 0)) {
      return;
    }
    // Not checked against the source table: a row of a transaction that rolled back points to a
    // seq that holds nothing, or another subject's row, and readers take only rows about the
    // subject they asked for. Checking here cost a look-up a row on the single writer.
    try (PreparedStatement ins =
        c.prepareStatement(
            "INSERT INTO "
                + t.index()
                + " (gen, subject_key, last_seq, seqs) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT (gen, subject_key, last_seq) DO UPDATE SET seqs = seqs ||"
                + " excluded.seqs")) {
      for (long[] r : rows.values()) {
        Integer[] order = new Integer[r.length / 3];
        int n = 0;
        for (int i = 0; i < r.length / 3; i++) {
          if (r[3 * i + 2] != 0) { // else forgotten: its row was deleted
            order[n++] = i;
          }
        }
        // By key, then seq: each key's seqs of one generation lie together.
        Arrays.sort(
            order,
            0,
            n,
            (a, b) -> {
              int k = Long.compare(r[3 * a], r[3 * b]);
              if (k == 0) {
                k = Long.compare(r[3 * a + 1], r[3 * b + 1]);
              }
              return k != 0 ? k : Long.compare(r[3 * a + 2], r[3 * b + 2]);
            });
        for (int from = 0; from < n; ) {
          int first = 3 * order[from];
          long gen = r[first + 2] >> GEN_BITS;
          int to = from + 1;
          while (to < n
              && r[3 * order[to]] == r[first]
              && r[3 * order[to] + 1] == r[first + 1]
              && r[3 * order[to] + 2] >> GEN_BITS == gen) {
            to++;
          }
          long[] seqs = new long[to - from];
          for (int i = from; i < to; i++) {
            seqs[i - from] = r[3 * order[i] + 2];
          }
          ins.setLong(1, gen);
          ins.setBytes(2, ByteBuffer.allocate(16).putLong(r[first]).putLong(r[first + 1]).array());
          ins.setLong(3, seqs[seqs.length - 1]);
          ins.setBytes(4, pack(seqs));
          ins.addBatch();
          from = to;
        }
      }
      ins.executeBatch();
    }
  }

  /**
   * Inside the transaction that deletes source rows {@code seqs} about {@code keys}: takes them out
   * of the table's packs (a pack left empty goes). Once it commits, {@link #forget} them.
   */
  public void remove(Connection c, long[] seqs, byte[][] keys) throws SQLException {
    record Packs(long gen, byte[] key, java.util.Set<Long> gone) {}
    Map<String, Packs> byPacks = new HashMap<>();
    for (int i = 0; i < seqs.length; i++) {
      long gen = seqs[i] >> GEN_BITS;
      byte[] key = keys[i];
      byPacks
          .computeIfAbsent(
              gen + "/" + java.util.HexFormat.of().formatHex(key),
              x -> new Packs(gen, key, new java.util.HashSet<>()))
          .gone()
          .add(seqs[i]);
    }
    for (Packs p : byPacks.values()) {
      Object[] genKey = {p.gen(), p.key()};
      for (Object[] pack :
          Jdbc.query(
              c,
              "SELECT last_seq, seqs FROM " + t.index() + " WHERE gen = ? AND subject_key = ?",
              rs -> new Object[] {rs.getLong(1), rs.getBytes(2)},
              genKey)) {
        long[] held = seqs((byte[]) pack[1]);
        long[] kept = Arrays.stream(held).filter(s -> !p.gone().contains(s)).toArray();
        if (kept.length == held.length) {
          continue;
        }
        if (kept.length == 0) {
          Jdbc.update(
              c,
              "DELETE FROM " + t.index() + " WHERE gen = ? AND subject_key = ? AND last_seq = ?",
              genKey[0],
              genKey[1],
              pack[0]);
        } else {
          Jdbc.update(
              c,
              "UPDATE "
                  + t.index()
                  + " SET seqs = ? WHERE gen = ? AND subject_key = ? AND last_seq = ?",
              pack(kept),
              genKey[0],
              genKey[1],
              pack[0]);
        }
      }
    }
  }

  /** A pack of seqs as stored: 8 bytes each, big-endian. */
  static byte[] pack(long[] seqs) {
    ByteBuffer b = ByteBuffer.allocate(8 * seqs.length);
    for (long s : seqs) {
      b.putLong(s);
    }
    return b.array();
  }

  /** The seqs of a pack (8 bytes each, big-endian). */
  static long[] seqs(byte[] pack) {
    ByteBuffer b = ByteBuffer.wrap(pack);
    long[] out = new long[pack.length / 8];
    for (int i = 0; i < out.length; i++) {
      out[i] = b.getLong();
    }
    return out;
  }

  /**
   * The seqs of a subject's rows that may be missing from the table, newest first, not yet checked
   * against the source table: those that wait in memory, or (not deferring) those from {@code
   * below} on.
   */
  public List<Long> recent(Jdbc db, byte[] key) {
    if (!deferred) {
      return db.query(
          "SELECT seq FROM "
              + t.source()
              + " WHERE seq >= (SELECT below FROM "
              + t.mark()
              + " WHERE id = 1) AND "
              + t.cond()
              + " AND "
              + t.keyExpr()
              + " = ? ORDER BY seq DESC",
          rs -> rs.getLong(1),
          (Object) key);
    }
    ByteBuffer b = ByteBuffer.wrap(key);
    long hi = b.getLong(0);
    return new ArrayList<>(
        new java.util.TreeSet<>(slices[slice(hi)].seqsOf(hi, b.getLong(8))).descendingSet());
  }

  /**
   * The table's seqs for a subject below {@code before}, newest first, at most {@code limit} (fewer
   * only when no more are there), not yet checked against the source table.
   */
  public List<Long> page(Jdbc db, byte[] key, long before, int limit) {
    List<Long> out = new ArrayList<>();
    long top =
        before == Long.MAX_VALUE
            ? db.one("SELECT MAX(gen) FROM " + t.index(), rs -> rs.getLong(1)).orElse(0L)
            : (before - 1) >> GEN_BITS;
    for (long gen = top; gen >= 0 && out.size() < limit; gen--) {
      java.util.TreeSet<Long> found = new java.util.TreeSet<>();
      for (byte[] pack :
          db.query(
              "SELECT seqs FROM " + t.index() + " WHERE gen = ? AND subject_key = ?",
              rs -> rs.getBytes(1),
              gen,
              key)) {
        for (long seq : seqs(pack)) {
          if (seq < before) {
            found.add(seq);
          }
        }
      }
      for (java.util.Iterator<Long> newest = found.descendingIterator();
          newest.hasNext() && out.size() < limit; ) {
        out.add(newest.next());
      }
    }
    return out;
  }
}
