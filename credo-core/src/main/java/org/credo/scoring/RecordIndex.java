package org.credo.scoring;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.credo.policy.Policy;
import org.credo.policy.PolicyRef;
import org.credo.records.Record;
import org.credo.records.RecordType;
import org.credo.subject.SubjectId;
import org.credo.subject.SubjectKind;

/**
 * Every subject's records in memory, in the few bytes scoring needs: one {@link RecordColumns} for
 * what does not depend on a policy and one {@link PolicyColumns} per policy, each subject's records
 * in one slice, in canonical order. Subjects are known by their 16-byte pseudonym key. Scoring a
 * subject reads its slice and no record; a population-wide rescoring is a scan of these arrays.
 *
 * <p>Build it with a {@link Builder} from the store's rows, then {@link #add} each record the store
 * accepts. A subject's slice has room to grow; when it is full the slice moves to the end of the
 * arrays, and the arrays are compacted when moved-out slices waste more than they hold.
 *
 * <p>Not thread-safe: one writer at a time, and no reader while it writes (the engine guards it
 * with a read-write lock). Histories from {@link #history} are private copies, safe to keep.
 *
 * <p>Why this class is long (~870 lines): it is one data structure — columns, slices per subject,
 * growth, compaction, canonical tie order, the pseudonym table — whose invariants (a slice is
 * contiguous and sorted; a moved slice leaves a hole that compaction reclaims) span all of it;
 * splitting it would make those invariants cross class boundaries.
 */
public final class RecordIndex {
  /**
   * Reads the source and id of stored records, to put records that occurred at the same instant
   * into canonical order.
   */
  @FunctionalInterface
  public interface Keys {
    /** For each row, its source and id: {@code {source, id}}. */
    Map<Integer, String[]> of(int[] rows);
  }

  private final RecordTypes types;
  private final Map<PolicyRef, PolicyColumns> policies = new LinkedHashMap<>();
  private RecordColumns rc;

  // subjects: an open-addressing table from key to subject number, and per subject its key,
  // kind and slice
  private int[] slotSubject = new int[1 << 10]; // subject number + 1; 0: empty
  private int subjects;
  private long[] keyHi = new long[256];
  private long[] keyLo = new long[256];
  private int[] start = new int[256];
  private int[] size = new int[256];
  private int[] room = new int[256];
  private byte[] kind = new byte[256];

  private int length; // positions in use, including moved-out slices
  private long records;
  private long garbage;

  private RecordIndex(RecordTypes types, List<Policy> policies, int capacity) {
    this.types = types;
    this.rc = new RecordColumns(types, capacity);
    for (Policy p : policies) {
      this.policies.put(p.ref(), new PolicyColumns(p, types, capacity));
    }
  }

  /** An empty index for these policies. */
  public static RecordIndex empty(List<Policy> policies) {
    return new RecordIndex(new RecordTypes(), policies, 1024);
  }

  /** Starts building an index from stored rows, in any order. */
  public static Builder builder(List<Policy> policies) {
    return new Builder(policies, 1024);
  }

  /**
   * As {@link #builder(List)}, with room for {@code expectedRecords} from the start: a store that
   * knows its size spares the builder growing (and copying) its columns as rows come.
   */
  public static Builder builder(List<Policy> policies, int expectedRecords) {
    return new Builder(policies, Math.max(1024, expectedRecords));
  }

  /** The policies this index holds columns for. */
  public List<PolicyRef> policies() {
    return List.copyOf(policies.keySet());
  }

  public boolean holds(PolicyRef policy) {
    return policies.containsKey(policy);
  }

  /** Number of subjects. */
  public int subjects() {
    return subjects;
  }

  /** Number of records. */
  public long records() {
    return records;
  }

  /** Bytes held by the columns and the subject table (array capacities). */
  public long bytes() {
    long b = rc.bytes();
    for (PolicyColumns pc : policies.values()) {
      b += pc.bytes();
    }
    b += (long) slotSubject.length * 4;
    b += (long) start.length * (8 + 8 + 4 + 4 + 4 + 1);
    return b;
  }

  /** Bytes of the columns of one policy alone. */
  public long policyBytes(PolicyRef policy) {
    return policies.get(policy).bytes();
  }

  /** The number of the subject with this key, or -1. */
  public int subject(byte[] key) {
    return find(hi(key), lo(key));
  }

  /** The 16-byte key of subject number {@code subject}. */
  public byte[] key(int subject) {
    return java.nio.ByteBuffer.allocate(16).putLong(keyHi[subject]).putLong(keyLo[subject]).array();
  }

  public SubjectKind kind(int subject) {
    return KINDS[kind[subject]];
  }

  private static final SubjectKind[] KINDS = SubjectKind.values();

  /**
   * A private copy of the subject's history under {@code policy}.
   *
   * @param load reads the records of the given rows, in that order, when an itemized result needs
   *     them
   * @param keys the {@code {source/id, evidence}} of a row if known without reading it, else null
   */
  public SubjectHistory history(
      PolicyRef policy,
      byte[] key,
      SubjectId subject,
      Function<int[], List<Record>> load,
      java.util.function.IntFunction<String[]> keys) {
    PolicyColumns pc = columns(policy);
    int s = subject(key);
    int from = s < 0 ? 0 : start[s];
    int n = s < 0 ? 0 : size[s];
    RecordColumns copy = rc.copyOf(from, n);
    int[] rows = Arrays.copyOf(copy.row, n);
    return SubjectHistory.over(
        pc.copyOf(from, n),
        copy,
        0,
        n,
        subject,
        () -> n == 0 ? List.of() : load.apply(rows),
        position -> keys.apply(rows[position]));
  }

  /**
   * The summary of subject number {@code subject} under {@code policy}, or empty when the policy
   * does not score its kind. Reads the columns in place: no writer may run meanwhile.
   */
  public Optional<Summary> summary(PolicyRef policy, int subject, Instant asOf, Instant knownAt) {
    PolicyColumns pc = columns(policy);
    if (!pc.policy.subjects().contains(kind(subject))) {
      return Optional.empty();
    }
    SubjectHistory h = SubjectHistory.forSummary(pc, rc, start[subject], size[subject]);
    return Optional.of(Scorer.summary(h, asOf, knownAt));
  }

  /** The number of records of subject number {@code subject}. */
  public int size(int subject) {
    return size[subject];
  }

  private PolicyColumns columns(PolicyRef policy) {
    PolicyColumns pc = policies.get(policy);
    if (pc == null) {
      throw new IllegalArgumentException("the index holds no columns for policy " + policy);
    }
    return pc;
  }

  /**
   * The rows of the subject's records that occurred at exactly {@code occurred}: those whose keys
   * {@link #add} will ask for when a record of that instant is added. Lets a caller read the keys
   * of a whole batch's ties at once.
   */
  public int[] tiedRows(byte[] subjectKey, Instant occurred) {
    int s = find(hi(subjectKey), lo(subjectKey));
    if (s < 0) {
      return new int[0];
    }
    long at = Scorer.micros(occurred);
    int st = start[s];
    int count = 0;
    for (int j = 0; j < size[s]; j++) {
      if (rc.occurred[st + j] == at) {
        count++;
      }
    }
    int[] out = new int[count];
    for (int j = 0, k = 0; j < size[s] && k < count; j++) {
      if (rc.occurred[st + j] == at) {
        out[k++] = rc.row[st + j];
      }
    }
    return out;
  }

  /**
   * Adds a record the store has just accepted.
   *
   * @param row the row that stores it
   * @param targetRow the row of the record it supersedes or retracts, or -1
   * @param keys reads stored records' keys when records occurred at the same instant
   */
  public void add(
      byte[] subjectKey,
      SubjectKind subjectKind,
      Record record,
      int row,
      int targetRow,
      Keys keys) {
    long hi = hi(subjectKey);
    long lo = lo(subjectKey);
    int s = find(hi, lo);
    if (s < 0) {
      s = newSubject(hi, lo, subjectKind);
    }
    long occurred = Scorer.micros(record.occurred());
    int n = size[s];
    int st = start[s];
    int p = n;
    while (p > 0 && rc.occurred[st + p - 1] > occurred) {
      p--;
    }
    int tie = p;
    while (tie > 0 && rc.occurred[st + tie - 1] == occurred) {
      tie--;
    }
    if (tie < p) {
      int[] tied = Arrays.copyOfRange(rc.row, st + tie, st + p);
      Map<Integer, String[]> known = keys.of(tied);
      String[] mine = {record.source().value(), record.id()};
      p = tie;
      for (int r : tied) {
        if (compare(known.get(r), mine) < 0) {
          p++;
        }
      }
    }
    if (n == room[s]) {
      relocate(s, n + Math.max(2, n / 2));
      st = start[s];
    }
    rc.move(st + p, st + p + 1, n - p);
    for (PolicyColumns pc : policies.values()) {
      pc.move(st + p, st + p + 1, n - p);
    }
    int target = RecordColumns.NO_TARGET;
    for (int j = 0; j <= n; j++) {
      if (j == p) {
        continue;
      }
      int t = rc.target[st + j];
      if (t >= p) {
        rc.target[st + j] = t + 1;
      }
      if (targetRow >= 0 && rc.row[st + j] == targetRow) {
        target = j;
      }
    }
    int typesBefore = types.size();
    rc.set(
        st + p,
        occurred,
        Scorer.micros(record.learned()),
        types.ordinal(record.type()),
        SubjectHistory.flags(record),
        target,
        row);
    for (PolicyColumns pc : policies.values()) {
      if (types.size() != typesBefore) {
        pc.refreshTypes();
      }
      pc.set(st + p, record, occurred);
    }
    size[s] = n + 1;
    records++;
  }

  /**
   * Removes the record stored in {@code row} from the subject's records, as if it had never been
   * added (retention purges it). A record that corrected or retracted it no longer names anything;
   * remove those too, as the purge does.
   *
   * @return whether the index held the record
   */
  public boolean remove(byte[] subjectKey, int row) {
    int s = find(hi(subjectKey), lo(subjectKey));
    if (s < 0) {
      return false;
    }
    int st = start[s];
    int n = size[s];
    int p = -1;
    for (int j = 0; j < n; j++) {
      if (rc.row[st + j] == row) {
        p = j;
        break;
      }
    }
    if (p < 0) {
      return false;
    }
    rc.move(st + p + 1, st + p, n - p - 1);
    for (PolicyColumns pc : policies.values()) {
      pc.move(st + p + 1, st + p, n - p - 1);
    }
    for (int j = 0; j < n - 1; j++) {
      int t = rc.target[st + j];
      if (t == p) {
        rc.target[st + j] = RecordColumns.NO_TARGET;
      } else if (t > p) {
        rc.target[st + j] = t - 1;
      }
    }
    size[s] = n - 1;
    records--;
    return true;
  }

  /** Moves a subject's slice to the end of the arrays with room for {@code capacity} records. */
  private void relocate(int s, int capacity) {
    if (garbage > 1024 && garbage > records) {
      compact();
    }
    ensure(length + capacity);
    int n = size[s];
    rc.move(start[s], length, n);
    for (PolicyColumns pc : policies.values()) {
      pc.move(start[s], length, n);
    }
    garbage += room[s];
    start[s] = length;
    room[s] = capacity;
    length += capacity;
  }

  private void ensure(int capacity) {
    if (capacity > rc.capacity()) {
      int grown = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(capacity, rc.capacity() * 3L / 2));
      rc.grow(grown);
      for (PolicyColumns pc : policies.values()) {
        pc.grow(grown);
      }
    }
  }

  /**
   * Gives back the room slices were given to grow in: rewrites the arrays at exactly their size.
   * Worth it after a bulk import; the next record a subject gets moves its slice again.
   */
  public void trim() {
    compact((int) Math.max(16, records));
    subjectCapacity(Math.max(16, subjects));
  }

  /** Rewrites the arrays with every slice exactly its size, dropping moved-out slices. */
  private void compact() {
    int total = (int) records;
    compact(Math.max(1024, total + total / 4));
  }

  private void compact(int capacity) {
    RecordColumns fresh = new RecordColumns(types, capacity);
    fresh.adoptLearned(rc);
    Map<PolicyRef, PolicyColumns> freshPolicies = new LinkedHashMap<>();
    policies.forEach(
        (ref, pc) -> {
          PolicyColumns f = new PolicyColumns(pc.policy, types, capacity);
          freshPolicies.put(ref, f);
        });
    int at = 0;
    for (int s = 0; s < subjects; s++) {
      int n = size[s];
      fresh.copyFrom(rc, start[s], at, n);
      for (Map.Entry<PolicyRef, PolicyColumns> e : freshPolicies.entrySet()) {
        e.getValue().copyFrom(policies.get(e.getKey()), start[s], at, n);
      }
      start[s] = at;
      room[s] = n;
      at += n;
    }
    rc = fresh;
    policies.putAll(freshPolicies);
    length = at;
    garbage = 0;
  }

  /** Tie keys stop being kept past this many bytes; later records are then read back. */
  private static final int MAX_TIE_POOL = Integer.MAX_VALUE - 16;

  /**
   * A record's tie key: its source, a space, its id, in UTF-8. Sources hold no character below '-',
   * so keys in byte order are in (source, id) order.
   */
  public static byte[] tieKey(String source, String id) {
    return (source + ' ' + id).getBytes(StandardCharsets.UTF_8);
  }

  private static String[] splitTieKey(String key) {
    int space = key.indexOf(' ');
    return new String[] {key.substring(0, space), key.substring(space + 1)};
  }

  private static int compare(String[] a, String[] b) {
    int c = a[0].compareTo(b[0]);
    return c != 0 ? c : a[1].compareTo(b[1]);
  }

  // ---- subjects ---------------------------------------------------------------------------------

  private static long hi(byte[] key) {
    return longAt(key, 0);
  }

  private static long lo(byte[] key) {
    return longAt(key, 8);
  }

  private static long longAt(byte[] key, int at) {
    if (key.length != 16) {
      throw new IllegalArgumentException("a subject key has 16 bytes");
    }
    long v = 0;
    for (int b = 0; b < 8; b++) {
      v = (v << 8) | (key[at + b] & 0xff);
    }
    return v;
  }

  private int slotOf(long hi, long lo) {
    long h = (hi ^ (lo * 0x9E3779B97F4A7C15L)) * 0xC2B2AE3D27D4EB4FL;
    return (int) (h >>> 40) & (slotSubject.length - 1);
  }

  private int find(long hi, long lo) {
    int mask = slotSubject.length - 1;
    for (int i = slotOf(hi, lo); ; i = (i + 1) & mask) {
      int v = slotSubject[i];
      if (v == 0) {
        return -1;
      }
      if (keyHi[v - 1] == hi && keyLo[v - 1] == lo) {
        return v - 1;
      }
    }
  }

  private int newSubject(long hi, long lo, SubjectKind k) {
    if ((subjects + 1) * 4L > slotSubject.length * 3L) {
      rehash(slotSubject.length * 2);
    }
    int s = subjects++;
    if (s == start.length) {
      subjectCapacity(s + s / 2);
    }
    keyHi[s] = hi;
    keyLo[s] = lo;
    place(hi, lo, s);
    kind[s] = (byte) k.ordinal();
    start[s] = length;
    size[s] = 0;
    room[s] = 0;
    return s;
  }

  private void subjectCapacity(int n) {
    keyHi = Arrays.copyOf(keyHi, n);
    keyLo = Arrays.copyOf(keyLo, n);
    start = Arrays.copyOf(start, n);
    size = Arrays.copyOf(size, n);
    room = Arrays.copyOf(room, n);
    kind = Arrays.copyOf(kind, n);
  }

  private void place(long hi, long lo, int subject) {
    int mask = slotSubject.length - 1;
    int i = slotOf(hi, lo);
    while (slotSubject[i] != 0) {
      i = (i + 1) & mask;
    }
    slotSubject[i] = subject + 1;
  }

  private void rehash(int slots) {
    slotSubject = new int[slots];
    for (int s = 0; s < subjects; s++) {
      place(keyHi[s], keyLo[s], s);
    }
  }

  /**
   * Collects stored rows in any order and builds the index: groups them by subject, sorts each
   * subject's records into canonical order and resolves links to positions.
   */
  public static final class Builder {
    private final List<Policy> policyList;
    private final RecordIndex index;
    private final RecordColumns staged;
    private final List<PolicyColumns> stagedPolicies = new ArrayList<>();
    private int[] subjectOf;
    private int[] targetRowOf;
    private long[] learnedOf;
    private int count;
    // tie keys, one after another: record k's is tiePool[tieFrom[k] .. tieFrom[k + 1]), empty when
    // not given
    private byte[] tiePool; // allocated with the first key
    private int[] tieFrom;
    private final int capacity;

    private Builder(List<Policy> policies, int capacity) {
      requireNonNull(policies, "policies is null");
      this.policyList = List.copyOf(policies);
      RecordTypes types = new RecordTypes();
      this.index = new RecordIndex(types, List.of(), 0);
      this.staged = new RecordColumns(types, capacity);
      for (Policy p : policyList) {
        stagedPolicies.add(new PolicyColumns(p, types, capacity));
      }
      subjectOf = new int[capacity];
      targetRowOf = new int[capacity];
      learnedOf = new long[capacity];
      tieFrom = new int[capacity + 1];
      this.capacity = capacity;
    }

    /**
     * Adds one stored record.
     *
     * @param targetRow the row of the record it supersedes or retracts, or -1
     */
    public Builder add(
        byte[] subjectKey, SubjectKind subjectKind, Record record, int row, int targetRow) {
      return add(
          subjectKey,
          subjectKind,
          record.type(),
          Scorer.micros(record.occurred()),
          Scorer.micros(record.learned()),
          SubjectHistory.flags(record),
          record.attributes(),
          row,
          targetRow,
          tieKey(record.source().value(), record.id()));
    }

    /**
     * Adds one stored record from its fields.
     *
     * @param flags {@link RecordColumns#LINK} and {@link RecordColumns#RETRACTION}
     * @param attributes may be empty when no policy {@linkplain #readsAttributes reads} them
     */
    public Builder add(
        byte[] subjectKey,
        SubjectKind subjectKind,
        RecordType type,
        long occurredMicros,
        long learnedMicros,
        byte flags,
        Map<String, Object> attributes,
        int row,
        int targetRow) {
      return add(
          subjectKey,
          subjectKind,
          type,
          occurredMicros,
          learnedMicros,
          flags,
          attributes,
          row,
          targetRow,
          null);
    }

    /**
     * As {@link #add(byte[], SubjectKind, RecordType, long, long, byte, Map, int, int)}, with the
     * record's {@linkplain RecordIndex#tieKey tie key}: records that occurred at the same instant
     * are then ordered by it, and {@link #build} asks its {@link Keys} for none of them.
     *
     * @param tieKey the record's tie key, or null to have it read at {@link #build}
     */
    public Builder add(
        byte[] subjectKey,
        SubjectKind subjectKind,
        RecordType type,
        long occurredMicros,
        long learnedMicros,
        byte flags,
        Map<String, Object> attributes,
        int row,
        int targetRow,
        byte[] tieKey) {
      long hi = hi(subjectKey);
      long lo = lo(subjectKey);
      int s = index.find(hi, lo);
      if (s < 0) {
        s = index.newSubject(hi, lo, subjectKind);
      }
      if (count == staged.capacity()) {
        int grown = count * 2;
        staged.grow(grown);
        stagedPolicies.forEach(pc -> pc.grow(grown));
        subjectOf = Arrays.copyOf(subjectOf, grown);
        targetRowOf = Arrays.copyOf(targetRowOf, grown);
        learnedOf = Arrays.copyOf(learnedOf, grown);
      }
      // Learned instants are ranked once, in build(): ranking each as it comes would renumber
      // the records after it whenever one arrives out of order.
      learnedOf[count] = learnedMicros;
      staged.set(
          count,
          occurredMicros,
          0,
          staged.types.ordinal(type),
          flags,
          RecordColumns.NO_TARGET,
          row);
      boolean retraction = (flags & RecordColumns.RETRACTION) != 0;
      for (PolicyColumns pc : stagedPolicies) {
        pc.set(count, type, attributes, retraction, occurredMicros);
      }
      subjectOf[count] = s;
      targetRowOf[count] = targetRow;
      keepTieKey(tieKey);
      index.size[s]++;
      count++;
      return this;
    }

    /** Appends record {@code count}'s tie key to the pool, or marks it as not given. */
    private void keepTieKey(byte[] tieKey) {
      if (tieFrom.length < count + 2) {
        tieFrom = Arrays.copyOf(tieFrom, Math.max(count + 2, tieFrom.length * 2));
      }
      int from = tieFrom[count];
      int to = from;
      if (tieKey != null && tieKey.length > 0 && tieKey.length < MAX_TIE_POOL - from) {
        if (tiePool == null) {
          tiePool = new byte[(int) Math.min(capacity * 24L, MAX_TIE_POOL)];
        }
        if (tiePool.length - from < tieKey.length) {
          long grown = Math.max(from + (long) tieKey.length, tiePool.length + tiePool.length / 2L);
          tiePool = Arrays.copyOf(tiePool, (int) Math.min(grown, MAX_TIE_POOL));
        }
        System.arraycopy(tieKey, 0, tiePool, from, tieKey.length);
        to = from + tieKey.length;
      }
      tieFrom[count + 1] = to;
    }

    private boolean hasTieKey(int k) {
      return tieFrom[k + 1] > tieFrom[k];
    }

    /** Record {@code k}'s source and id, from its tie key. */
    private String[] tieStrings(int k) {
      return splitTieKey(
          new String(tiePool, tieFrom[k], tieFrom[k + 1] - tieFrom[k], StandardCharsets.UTF_8));
    }

    /**
     * Orders records {@code x} and {@code y} by their tie keys, as {@link #compare} orders source
     * and id: byte by byte while both are ASCII (there UTF-8 and UTF-16 order agree), through
     * strings otherwise.
     */
    private int compareTieKeys(int x, int y) {
      int a = tieFrom[x];
      int aEnd = tieFrom[x + 1];
      int b = tieFrom[y];
      int bEnd = tieFrom[y + 1];
      int mismatch = Arrays.mismatch(tiePool, a, aEnd, tiePool, b, bEnd);
      if (mismatch < 0) {
        return 0;
      }
      for (int i = a; i < aEnd; i++) {
        if (tiePool[i] < 0) {
          return compare(tieStrings(x), tieStrings(y));
        }
      }
      for (int i = b; i < bEnd; i++) {
        if (tiePool[i] < 0) {
          return compare(tieStrings(x), tieStrings(y));
        }
      }
      if (mismatch == aEnd - a) {
        return -1;
      }
      if (mismatch == bEnd - b) {
        return 1;
      }
      return Byte.compare(tiePool[a + mismatch], tiePool[b + mismatch]);
    }

    /** True when some policy reads the attributes of records of this type. */
    public boolean readsAttributes(RecordType type) {
      for (PolicyColumns pc : stagedPolicies) {
        if (pc.readsAttributes(type)) {
          return true;
        }
      }
      return false;
    }

    /** Builds the index; {@code keys} orders records that occurred at the same instant. */
    public RecordIndex build(Keys keys) {
      RecordIndex idx = index;
      int n = count;
      int[] at = new int[idx.subjects];
      int pos = 0;
      for (int s = 0; s < idx.subjects; s++) {
        idx.start[s] = pos;
        idx.room[s] = idx.size[s];
        at[s] = pos;
        pos += idx.size[s];
      }
      int[] order = new int[n];
      for (int k = 0; k < n; k++) {
        order[at[subjectOf[k]]++] = k;
      }
      // Sort each slice by occurred, then find runs that occurred at the same instant.
      List<Integer> tiedRows = new ArrayList<>();
      for (int s = 0; s < idx.subjects; s++) {
        int from = idx.start[s];
        int to = from + idx.size[s];
        sortByOccurred(order, from, to);
        for (int k = from + 1; k < to; k++) {
          if (staged.occurred[order[k]] == staged.occurred[order[k - 1]]) {
            if (k == from + 1 || staged.occurred[order[k - 2]] != staged.occurred[order[k]]) {
              tiedRows.add(order[k - 1]);
            }
            tiedRows.add(order[k]);
          }
        }
      }
      if (!tiedRows.isEmpty()) {
        // Only the tied records added without a tie key are read back.
        Map<Integer, String[]> known =
            keys.of(
                tiedRows.stream()
                    .mapToInt(Integer::intValue)
                    .filter(k -> !hasTieKey(k))
                    .map(k -> staged.row[k])
                    .toArray());
        for (int s = 0; s < idx.subjects; s++) {
          int from = idx.start[s];
          int to = from + idx.size[s];
          for (int k = from; k < to; ) {
            int end = k + 1;
            while (end < to && staged.occurred[order[end]] == staged.occurred[order[k]]) {
              end++;
            }
            if (end - k > 1) {
              Integer[] run = new Integer[end - k];
              for (int q = k; q < end; q++) {
                run[q - k] = order[q];
              }
              Arrays.sort(
                  run,
                  (x, y) ->
                      hasTieKey(x) && hasTieKey(y)
                          ? compareTieKeys(x, y)
                          : compare(
                              hasTieKey(x) ? tieStrings(x) : known.get(staged.row[x]),
                              hasTieKey(y) ? tieStrings(y) : known.get(staged.row[y])));
              for (int q = k; q < end; q++) {
                order[q] = run[q - k];
              }
            }
            k = end;
          }
        }
      }
      RecordColumns rc = new RecordColumns(staged.types, Math.max(n, 16));
      rc.rankLearned(learnedOf, n);
      List<PolicyColumns> finals = new ArrayList<>();
      for (Policy p : policyList) {
        finals.add(new PolicyColumns(p, staged.types, Math.max(n, 16)));
      }
      for (int k = 0; k < n; k++) {
        rc.copyFrom(staged, order[k], k, 1);
        rc.learned[k] = rc.rankOf(learnedOf[order[k]]);
        for (int q = 0; q < finals.size(); q++) {
          finals.get(q).copyFrom(stagedPolicies.get(q), order[k], k, 1);
        }
      }
      // Links: the position, within the subject's slice, of the row each record names.
      Map<Integer, Integer> positions = new HashMap<>();
      for (int s = 0; s < idx.subjects; s++) {
        int from = idx.start[s];
        int to = from + idx.size[s];
        positions.clear();
        for (int k = from; k < to; k++) {
          if (targetRowOf[order[k]] >= 0) {
            if (positions.isEmpty()) {
              for (int q = from; q < to; q++) {
                positions.put(rc.row[q], q - from);
              }
            }
            Integer t = positions.get(targetRowOf[order[k]]);
            rc.target[k] = t == null ? RecordColumns.NO_TARGET : t;
          }
        }
      }
      idx.rc = rc;
      for (PolicyColumns pc : finals) {
        pc.refreshTypes();
        idx.policies.put(pc.policy.ref(), pc);
      }
      idx.length = n;
      idx.records = n;
      idx.subjectCapacity(Math.max(16, idx.subjects));
      return idx;
    }

    private void sortByOccurred(int[] order, int from, int to) {
      if (to - from <= 48) {
        for (int k = from + 1; k < to; k++) {
          int v = order[k];
          long o = staged.occurred[v];
          int q = k - 1;
          while (q >= from
              && (staged.occurred[order[q]] > o
                  || staged.occurred[order[q]] == o && staged.row[order[q]] > staged.row[v])) {
            order[q + 1] = order[q];
            q--;
          }
          order[q + 1] = v;
        }
        return;
      }
      Integer[] boxed = new Integer[to - from];
      for (int k = from; k < to; k++) {
        boxed[k - from] = order[k];
      }
      Arrays.sort(
          boxed,
          (x, y) ->
              staged.occurred[x] != staged.occurred[y]
                  ? Long.compare(staged.occurred[x], staged.occurred[y])
                  : Integer.compare(staged.row[x], staged.row[y]));
      for (int k = from; k < to; k++) {
        order[k] = boxed[k - from];
      }
    }
  }
}
