package org.credo.scoring;

import java.util.Arrays;

/**
 * What scoring needs of each record that does not depend on a policy, one primitive array per
 * field, so that millions of records cost a few bytes each and a pass over them touches no object:
 * when it occurred (µs since the epoch), when Credo learned it (a rank among the distinct learned
 * instants), its type (an ordinal), whether it is a retraction or names another record, the
 * position of the record it names, and the row that stores it.
 *
 * <p>Positions are chosen by the owner: {@link SubjectHistory#prepare} fills a private instance for
 * one subject; {@link RecordIndex} keeps every subject's records here, each subject's in one slice
 * in canonical order. A record's link target is kept relative to the start of its subject's slice.
 * Not thread-safe.
 */
public final class RecordColumns {
  /** The record retracts the record it names (otherwise it supersedes it). */
  public static final byte RETRACTION = 1;

  /** The record names another record (it supersedes or retracts it). */
  public static final byte LINK = 2;

  /** Target value of a record that names no record held here. */
  public static final int NO_TARGET = -1;

  final RecordTypes types;
  long[] occurred;
  int[] learned;
  short[] type;
  byte[] flags;
  int[] target;
  int[] row;

  /**
   * The distinct learned instants, ascending, and the rank each is given: ranks ascend with the
   * instants but leave gaps, so an instant that arrives out of order (two imports committing in the
   * other order than they started) takes a rank in a gap instead of renumbering every record.
   * {@code learned[i]} holds a rank.
   */
  long[] learnedInstants = new long[16];

  int[] learnedRanks = new int[16];
  int learnedCount;

  /** The room left between consecutive ranks. */
  static final int GAP = 1 << 8;

  /** The first rank; lower values are never given, so {@link Integer#MIN_VALUE} means "none". */
  static final int FIRST_RANK = Integer.MIN_VALUE + GAP;

  public RecordColumns(RecordTypes types, int capacity) {
    this.types = types;
    occurred = new long[capacity];
    learned = new int[capacity];
    type = new short[capacity];
    flags = new byte[capacity];
    target = new int[capacity];
    row = new int[capacity];
  }

  public RecordTypes types() {
    return types;
  }

  public int capacity() {
    return occurred.length;
  }

  /** Grows every column to hold at least {@code capacity} records. */
  public void grow(int capacity) {
    if (capacity <= occurred.length) {
      return;
    }
    occurred = Arrays.copyOf(occurred, capacity);
    learned = Arrays.copyOf(learned, capacity);
    type = Arrays.copyOf(type, capacity);
    flags = Arrays.copyOf(flags, capacity);
    target = Arrays.copyOf(target, capacity);
    row = Arrays.copyOf(row, capacity);
  }

  /**
   * Copies {@code length} records from position {@code from} to {@code to} (ranges may overlap).
   */
  public void move(int from, int to, int length) {
    System.arraycopy(occurred, from, occurred, to, length);
    System.arraycopy(learned, from, learned, to, length);
    System.arraycopy(type, from, type, to, length);
    System.arraycopy(flags, from, flags, to, length);
    System.arraycopy(target, from, target, to, length);
    System.arraycopy(row, from, row, to, length);
  }

  /**
   * Sets position {@code i}.
   *
   * @param target the position of the named record relative to the slice start, or {@link
   *     #NO_TARGET}
   */
  public void set(
      int i,
      long occurredMicros,
      long learnedMicros,
      int typeOrdinal,
      byte flags,
      int target,
      int row) {
    occurred[i] = occurredMicros;
    learned[i] = learnedRank(learnedMicros);
    type[i] = (short) typeOrdinal;
    this.flags[i] = flags;
    this.target[i] = target;
    this.row[i] = row;
  }

  /**
   * A private copy of positions {@code [from, from + size)} at positions {@code [0, size)}, for a
   * caller that keeps it while the original changes.
   */
  public RecordColumns copyOf(int from, int size) {
    RecordColumns c = new RecordColumns(types, size);
    System.arraycopy(occurred, from, c.occurred, 0, size);
    System.arraycopy(type, from, c.type, 0, size);
    System.arraycopy(flags, from, c.flags, 0, size);
    System.arraycopy(target, from, c.target, 0, size);
    System.arraycopy(row, from, c.row, 0, size);
    // Rank the slice's instants in the copy in ascending order (appends only, so no respread),
    // then map each record's rank to the copy's.
    int[] distinct = Arrays.copyOfRange(learned, from, from + size);
    Arrays.sort(distinct);
    int d = 0;
    for (int i = 0; i < size; i++) {
      if (d == 0 || distinct[i] != distinct[d - 1]) {
        distinct[d++] = distinct[i];
        c.learnedRank(instantOfRank(distinct[d - 1]));
      }
    }
    for (int i = 0; i < size; i++) {
      c.learned[i] = c.learnedRanks[Arrays.binarySearch(distinct, 0, d, learned[from + i])];
    }
    return c;
  }

  /** Sets the learned-instant table to the distinct values among {@code learned[0, n)}. */
  void rankLearned(long[] learned, int n) {
    long[] sorted = Arrays.copyOf(learned, n);
    Arrays.sort(sorted);
    int distinct = 0;
    for (int i = 0; i < n; i++) {
      if (i == 0 || sorted[i] != sorted[i - 1]) {
        sorted[distinct++] = sorted[i];
      }
    }
    learnedInstants = Arrays.copyOf(sorted, Math.max(16, distinct));
    learnedRanks = new int[learnedInstants.length];
    learnedCount = distinct;
    spreadRanks();
  }

  /** The rank of a learned instant already in the table. */
  int rankOf(long micros) {
    return learnedRanks[Arrays.binarySearch(learnedInstants, 0, learnedCount, micros)];
  }

  /** Takes over another instance's learned-instant table, so that ranks copied from it hold. */
  void adoptLearned(RecordColumns other) {
    learnedInstants = other.learnedInstants;
    learnedRanks = other.learnedRanks;
    learnedCount = other.learnedCount;
  }

  /**
   * Copies {@code length} positions of {@code src} (whose learned table this one adopted) from
   * {@code from} to {@code to}.
   */
  void copyFrom(RecordColumns src, int from, int to, int length) {
    if (length == 1) {
      occurred[to] = src.occurred[from];
      learned[to] = src.learned[from];
      type[to] = src.type[from];
      flags[to] = src.flags[from];
      target[to] = src.target[from];
      row[to] = src.row[from];
      return;
    }
    System.arraycopy(src.occurred, from, occurred, to, length);
    System.arraycopy(src.learned, from, learned, to, length);
    System.arraycopy(src.type, from, type, to, length);
    System.arraycopy(src.flags, from, flags, to, length);
    System.arraycopy(src.target, from, target, to, length);
    System.arraycopy(src.row, from, row, to, length);
  }

  /** The column flags of a record that supersedes and/or retracts another. */
  public static byte flags(boolean supersedes, boolean retracts) {
    return retracts ? (byte) (RETRACTION | LINK) : supersedes ? LINK : 0;
  }

  /** Bytes held by the columns (their capacity) and the learned-instant table. */
  public long bytes() {
    return (long) occurred.length * (8 + 4 + 2 + 1 + 4 + 4) + learnedInstants.length * 12L;
  }

  /** The learned instant given {@code rank}. */
  /** The instant (µs) Credo learned the record at position {@code i}. */
  long learnedMicros(int i) {
    return instantOfRank(learned[i]);
  }

  private long instantOfRank(int rank) {
    return learnedInstants[Arrays.binarySearch(learnedRanks, 0, learnedCount, rank)];
  }

  /** The rank of a learned instant, ranking it if new. */
  private int learnedRank(long micros) {
    int n = learnedCount;
    if (n > 0 && learnedInstants[n - 1] == micros) {
      return learnedRanks[n - 1];
    }
    int at = Arrays.binarySearch(learnedInstants, 0, n, micros);
    if (at >= 0) {
      return learnedRanks[at];
    }
    int insert = -at - 1;
    long rank;
    if (n == 0) {
      rank = FIRST_RANK;
    } else if (insert == n) {
      rank = (long) learnedRanks[n - 1] + GAP; // the usual case: a later instant
    } else {
      long below = insert == 0 ? Integer.MIN_VALUE : learnedRanks[insert - 1];
      long above = learnedRanks[insert];
      rank = Math.floorDiv(below + above, 2);
      if (rank <= below || rank >= above) {
        rank = Long.MAX_VALUE; // no room: respread below
      }
    }
    if (rank > Integer.MAX_VALUE) {
      // No room left where it belongs: give every instant a fresh, evenly spread rank.
      respread();
      return learnedRank(micros);
    }
    if (n == learnedInstants.length) {
      learnedInstants = Arrays.copyOf(learnedInstants, n * 2);
      learnedRanks = Arrays.copyOf(learnedRanks, n * 2);
    }
    System.arraycopy(learnedInstants, insert, learnedInstants, insert + 1, n - insert);
    System.arraycopy(learnedRanks, insert, learnedRanks, insert + 1, n - insert);
    learnedInstants[insert] = micros;
    learnedRanks[insert] = (int) rank;
    learnedCount = n + 1;
    return (int) rank;
  }

  /** Gives the instants evenly spread ranks and rewrites every record's rank to match. */
  private void respread() {
    int[] old = Arrays.copyOf(learnedRanks, learnedCount);
    spreadRanks();
    for (int i = 0; i < learned.length; i++) {
      int at = Arrays.binarySearch(old, learned[i]);
      if (at >= 0) {
        learned[i] = learnedRanks[at];
      }
    }
  }

  /** Ranks spread over the whole int range, so that gaps are as wide as they can be. */
  private void spreadRanks() {
    long step = Math.min(GAP, ((long) Integer.MAX_VALUE - FIRST_RANK) / (learnedCount + 1L));
    if (step < 2) {
      throw new IllegalStateException("too many distinct learned instants to rank");
    }
    for (int k = 0; k < learnedCount; k++) {
      learnedRanks[k] = (int) (FIRST_RANK + k * step);
    }
  }

  /**
   * The rank of the last learned instant at or before {@code knownAt}: records whose rank is higher
   * were not known then. {@link Integer#MIN_VALUE} when none was.
   */
  int knownRank(long knownAtMicros) {
    int at = Arrays.binarySearch(learnedInstants, 0, learnedCount, knownAtMicros);
    int last = at >= 0 ? at : -at - 2;
    return last < 0 ? Integer.MIN_VALUE : learnedRanks[last];
  }
}
