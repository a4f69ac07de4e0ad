package org.credo.retention;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.credo.engine.Engine;
import org.credo.policy.Policy;
import org.credo.policy.Rule;
import org.credo.policy.TimeSpan;
import org.credo.records.RecordType;
import org.credo.store.Jdbc;
import org.credo.store.Store;

/**
 * Retention: records are not kept forever. A record is purged once it is past its rule's expiry —
 * the longest among the active policies that know its type, ten years for a type none knows — plus
 * a grace period. A correction or retraction goes with the record it names; a link whose target is
 * still kept stays, so nothing that was withdrawn comes back. Purged rows are deleted for good; the
 * caller records that a purge happened (how many, of which types), never what was purged.
 */
public final class Retention {
  /** What a purge removed: counts by record type, and the rows' range. */
  public record Purge(Instant at, Instant cutoffGrace, long purged, Map<String, Long> byType) {}

  private final Engine engine;
  private final Store store;

  public Retention(Engine engine) {
    this.engine = requireNonNull(engine, "engine is null");
    this.store = engine.store();
  }

  /**
   * Purges what is past retention at {@code now}; with {@code dryRun} only counts it. Takes what it
   * removed out of the engine's index (no rebuild: scoring goes on).
   */
  public Purge purge(Instant now, Duration grace, boolean dryRun) {
    Map<String, TimeSpan> keep = new HashMap<>();
    List<Policy> policies = engine.activePolicies(now);
    Map<String, Long> cutoffs = new HashMap<>();
    record Row(long seq, String type, long target, byte[] subjectKey) {}
    List<Row> candidates = new ArrayList<>();
    Set<Long> links = new HashSet<>();
    Map<Long, List<Long>> linkedTo = new HashMap<>();
    store
        .jdbc()
        .query(
            "SELECT seq, type, occurred_us, target_seq, subject_key FROM records",
            rs -> {
              long seq = rs.getLong(1);
              String type = rs.getString(2);
              long occurred = rs.getLong(3);
              long target = rs.getLong(4);
              if (rs.wasNull()) {
                target = 0;
              }
              if (target > 0) {
                linkedTo.computeIfAbsent(target, t -> new ArrayList<>()).add(seq);
                links.add(seq);
              }
              long cutoff =
                  cutoffs.computeIfAbsent(
                      type,
                      t ->
                          Jdbc.micros(retention(keep, policies, t).subtractFrom(now.minus(grace))));
              if (occurred < cutoff) {
                candidates.add(new Row(seq, type, target, rs.getBytes(5)));
              }
              return null;
            });
    Set<Long> expired = new HashSet<>();
    candidates.forEach(r -> expired.add(r.seq()));
    Set<Long> purge = new HashSet<>();
    Map<Long, byte[]> subjectKeys = new HashMap<>();
    Map<String, Long> byType = new TreeMap<>();
    for (Row r : candidates) {
      // A link is purged only with its target: a retraction must outlive what it withdraws.
      if (r.target() == 0 || expired.contains(r.target())) {
        purge.add(r.seq());
        subjectKeys.put(r.seq(), r.subjectKey());
        byType.merge(r.type(), 1L, Long::sum);
      }
    }
    // Corrections and retractions of a purged record have nothing left to act on.
    List<Long> more = new ArrayList<>();
    for (Long seq : purge) {
      for (Long link : linkedTo.getOrDefault(seq, List.of())) {
        if (!purge.contains(link)) {
          more.add(link);
          subjectKeys.put(link, subjectKeys.get(seq)); // a link is about its target's subject
        }
      }
    }
    purge.addAll(more);
    byType.merge("(links to purged records)", (long) more.size(), Long::sum);
    byType.remove("(links to purged records)", 0L);
    if (!dryRun && !purge.isEmpty()) {
      List<Long> rows = new ArrayList<>(purge);
      rows.sort(null);
      for (int from = 0; from < rows.size(); from += 1000) {
        store.deleteRecords(rows.subList(from, Math.min(rows.size(), from + 1000)));
      }
      engine.removed(subjectKeys);
    }
    return new Purge(now, now.minus(grace), purge.size(), byType);
  }

  private static TimeSpan retention(
      Map<String, TimeSpan> keep, List<Policy> policies, String typeName) {
    return keep.computeIfAbsent(
        typeName,
        t -> {
          TimeSpan longest = null;
          RecordType type = RecordType.of(t);
          for (Policy p : policies) {
            Rule rule = p.rule(type).orElse(null);
            if (rule != null
                && (longest == null
                    || rule.expires().approximateSeconds() > longest.approximateSeconds())) {
              longest = rule.expires();
            }
          }
          return longest == null ? TimeSpan.TEN_YEARS : longest;
        });
  }
}
