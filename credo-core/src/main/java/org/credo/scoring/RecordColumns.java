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

  /** The distinct learned instants, ascending; {@code learned[i]} is an index into them. */
  long[] learnedInstants = new long[16];

  int learnedCount;

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
    for (int i = 0; i < size; i++) {
      c.learned[i] = c.learnedRank(learnedInstants[learned[from + i]]);
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
    learnedCount = distinct;
  }

  /** The rank of a learned instant already in the table. */
  int rankOf(long micros) {
    return Arrays.binarySearch(learnedInstants, 0, learnedCount, micros);
  }

  /** Takes over another instance's learned-instant table, so that ranks copied from it hold. */
  void adoptLearned(RecordColumns other) {
    learnedInstants = other.learnedInstants;
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

  public long occurred(int i) {
    return occurred[i];
  }

  public long learned(int i) {
    return learnedInstants[learned[i]];
  }

  public int typeOrdinal(int i) {
    return type[i];
  }

  public byte flags(int i) {
    return flags[i];
  }

  public int target(int i) {
    return target[i];
  }

  public void setTarget(int i, int target) {
    this.target[i] = target;
  }

  public int row(int i) {
    return row[i];
  }

  /** Bytes held by the columns (their capacity) and the learned-instant table. */
  public long bytes() {
    return (long) occurred.length * (8 + 4 + 2 + 1 + 4 + 4) + learnedInstants.length * 8L;
  }

  /**
   * The rank of a learned instant, numbering it if new. Instants normally arrive in increasing
   * order (Credo sets them); one that arrives out of order renumbers the records after it.
   */
  private int learnedRank(long micros) {
    int n = learnedCount;
    if (n > 0 && learnedInstants[n - 1] == micros) {
      return n - 1;
    }
    int at = Arrays.binarySearch(learnedInstants, 0, n, micros);
    if (at >= 0) {
      return at;
    }
    int insert = -at - 1;
    if (n == learnedInstants.length) {
      learnedInstants = Arrays.copyOf(learnedInstants, n * 2);
    }
    System.arraycopy(learnedInstants, insert, learnedInstants, insert + 1, n - insert);
    learnedInstants[insert] = micros;
    learnedCount = n + 1;
    if (insert < n) {
      for (int i = 0; i < learned.length; i++) {
        if (learned[i] >= insert) {
          learned[i]++;
        }
      }
    }
    return insert;
  }

  /** How many learned instants are at or before {@code knownAt}: ranks below it are known. */
  int knownRanks(long knownAtMicros) {
    int at = Arrays.binarySearch(learnedInstants, 0, learnedCount, knownAtMicros);
    return at >= 0 ? at + 1 : -at - 1;
  }
}
