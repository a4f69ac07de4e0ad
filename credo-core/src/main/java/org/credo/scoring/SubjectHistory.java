package org.credo.scoring;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.credo.policy.Policy;
import org.credo.records.Record;
import org.credo.subject.SubjectId;

/**
 * One subject's records prepared for one policy version: in canonical order, each record's points
 * expression evaluated once, its expiry worked out, and corrections linked to what they correct —
 * all held in primitive columns ({@link RecordColumns}, {@link PolicyColumns}). Scoring at any
 * instant is then a single pass over those columns.
 *
 * <p>{@link #prepare} builds a history from records. A {@link RecordIndex} holds every subject's
 * columns and hands out histories over them without any {@link Record} in memory; the records
 * themselves are then read only when an itemized result needs them. Immutable once built.
 */
public final class SubjectHistory {
  /** Records in canonical order: occurred, then source, then id. */
  static final Comparator<Record> CANONICAL =
      Comparator.comparing(Record::occurred)
          .thenComparing(Record::source)
          .thenComparing(Record::id)
          .thenComparing(Record::learned);

  final Policy policy;
  final PolicyColumns pc;
  final RecordColumns rc;
  final int from;
  final int size;
  final SubjectId subject;
  private final Supplier<List<Record>> loader;
  private final java.util.function.IntFunction<String[]> keys;
  private volatile Record[] records;

  private SubjectHistory(
      PolicyColumns pc,
      RecordColumns rc,
      int from,
      int size,
      SubjectId subject,
      Record[] records,
      Supplier<List<Record>> loader,
      java.util.function.IntFunction<String[]> keys) {
    this.policy = pc.policy;
    this.pc = pc;
    this.rc = rc;
    this.from = from;
    this.size = size;
    this.subject = subject;
    this.records = records;
    this.loader = loader;
    this.keys = keys;
  }

  /**
   * Prepares a subject's records for a policy.
   *
   * @throws IllegalArgumentException if a record is about another subject, two records share a
   *     (source, id), or the policy does not score this kind of subject
   */
  public static SubjectHistory prepare(
      Policy policy, SubjectId subject, Collection<Record> records) {
    requireNonNull(policy, "policy is null");
    requireNonNull(subject, "subject is null");
    checkKind(policy, subject);
    Record[] sorted = records.toArray(Record[]::new);
    Arrays.sort(sorted, CANONICAL);
    int n = sorted.length;
    Map<String, Integer> byKey = new HashMap<>(n * 2);
    for (int i = 0; i < n; i++) {
      Record r = sorted[i];
      if (!r.subject().equals(subject)) {
        throw new IllegalArgumentException(
            "record " + r.key() + " is about " + r.subject() + ", not " + subject);
      }
      if (byKey.put(r.key(), i) != null) {
        throw new IllegalArgumentException("record " + r.key() + " appears twice");
      }
    }
    RecordTypes types = new RecordTypes();
    RecordColumns rc = new RecordColumns(types, n);
    for (int i = 0; i < n; i++) {
      Record r = sorted[i];
      String target = r.targetKey().orElse(null);
      Integer t = target == null ? null : byKey.get(target);
      rc.set(
          i,
          Scorer.micros(r.occurred()),
          Scorer.micros(r.learned()),
          types.ordinal(r.type()),
          flags(r),
          t == null ? RecordColumns.NO_TARGET : t,
          0);
    }
    PolicyColumns pc = new PolicyColumns(policy, types, n);
    for (int i = 0; i < n; i++) {
      pc.set(i, sorted[i], rc.occurred[i]);
    }
    return new SubjectHistory(pc, rc, 0, n, subject, sorted, null, null);
  }

  /**
   * A history over positions {@code [from, from + size)} of columns kept elsewhere, such as a
   * {@link RecordIndex}. The caller must not change those positions while the history is used.
   *
   * @param records supplies the records of those positions, in position order, when an itemized
   *     result needs them (contributions, list entries, notes)
   * @param keys for a position (0-based), its record's {@code {source/id, evidence or null}} if
   *     known without reading the records, else null: list entries need no more
   */
  public static SubjectHistory over(
      PolicyColumns pc,
      RecordColumns rc,
      int from,
      int size,
      SubjectId subject,
      Supplier<List<Record>> records,
      java.util.function.IntFunction<String[]> keys) {
    requireNonNull(subject, "subject is null");
    requireNonNull(records, "records is null");
    requireNonNull(keys, "keys is null");
    checkKind(pc.policy, subject);
    return new SubjectHistory(pc, rc, from, size, subject, null, records, keys);
  }

  /** A history for {@link Scorer#summary} alone: no subject id, no records. */
  static SubjectHistory forSummary(PolicyColumns pc, RecordColumns rc, int from, int size) {
    return new SubjectHistory(
        pc,
        rc,
        from,
        size,
        null,
        null,
        () -> {
          throw new IllegalStateException("a summary reads no record");
        },
        null);
  }

  private static void checkKind(Policy policy, SubjectId subject) {
    if (!policy.subjects().contains(subject.kind())) {
      throw new IllegalArgumentException(
          "policy " + policy.ref() + " does not score " + subject.kind().prefix() + " subjects");
    }
  }

  /** The column flags of a record. */
  public static byte flags(Record r) {
    return RecordColumns.flags(r.supersedes().isPresent(), r.retracts().isPresent());
  }

  public Policy policy() {
    return policy;
  }

  public SubjectId subject() {
    return subject;
  }

  /** The records in canonical order (read from the store for a history over an index). */
  public List<Record> records() {
    return List.of(recordArray());
  }

  /** The record at position {@code i} of this history (0-based). */
  Record record(int i) {
    return recordArray()[i];
  }

  /** The key ({@code source/id}) and evidence (or null) of the record at position {@code i}. */
  String[] keyAndEvidence(int i) {
    if (records == null && keys != null) {
      String[] known = keys.apply(i);
      if (known != null) {
        return known;
      }
    }
    Record r = record(i);
    return new String[] {r.key(), r.evidence().orElse(null)};
  }

  private Record[] recordArray() {
    Record[] r = records;
    if (r == null) {
      List<Record> loaded = loader.get();
      if (loaded.size() != size) {
        throw new IllegalStateException(
            "expected " + size + " records of " + subject + ", the store gave " + loaded.size());
      }
      r = loaded.toArray(Record[]::new);
      records = r;
    }
    return r;
  }
}
