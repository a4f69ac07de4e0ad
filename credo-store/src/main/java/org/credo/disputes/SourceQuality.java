package org.credo.disputes;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.credo.store.SourceRegistration;
import org.credo.store.Store;

/**
 * Source accountability (SPEC §4.5): per source, records submitted, disputes (open, upheld,
 * rejected, expired), the upheld rate and the median time to answer. The upheld rate is upheld ÷
 * answered (upheld + rejected); disputes the source let expire are counted apart, in neither. A
 * source whose upheld rate exceeds the threshold over at least the minimum number of answered
 * disputes is flagged for review; the operator may then suspend it ({@link Store#suspend}), after
 * which its new records are held, not scored.
 */
public final class SourceQuality {
  /**
   * One source's figures.
   *
   * @param expired disputes the source did not answer by their deadline (the record was
   *     suppressed), including those whose record it re-certified later
   * @param upheldRate upheld ÷ (upheld + rejected), 0 when none was answered
   */
  public record Report(
      String source,
      List<String> types,
      long records,
      int disputes,
      int open,
      int upheld,
      int rejected,
      int expired,
      double upheldRate,
      OptionalDouble medianAnswerSeconds,
      boolean flagged,
      Optional<Instant> suspended,
      Optional<String> suspensionReason) {}

  private final Store store;
  private final Disputes disputes;
  private final double threshold;
  private final int minDisputes;

  /**
   * @param threshold the upheld rate above which a source is flagged (0 to 1)
   * @param minDisputes how many answered disputes it takes before a rate means anything
   */
  public SourceQuality(Store store, Disputes disputes, double threshold, int minDisputes) {
    this.store = requireNonNull(store, "store is null");
    this.disputes = requireNonNull(disputes, "disputes is null");
    if (!(threshold >= 0 && threshold <= 1) || minDisputes < 1) {
      throw new IllegalArgumentException(
          "the review threshold must be a rate from 0 to 1 and the minimum at least 1 dispute");
    }
    this.threshold = threshold;
    this.minDisputes = minDisputes;
  }

  /** Every registered source's figures, by source id. */
  public List<Report> reports() {
    Map<String, Long> counts = new HashMap<>();
    store
        .jdbc()
        .query(
            "SELECT source_id, COUNT(*) FROM records WHERE record_id NOT LIKE 'dispute:%'"
                + " GROUP BY source_id",
            rs -> Map.entry(rs.getString(1), rs.getLong(2)))
        .forEach(e -> counts.put(e.getKey(), e.getValue()));
    Map<String, List<long[]>> answers = disputes.answersBySource();
    List<Report> out = new ArrayList<>();
    for (SourceRegistration s : store.sources().all()) {
      String id = s.id().value();
      int open = 0;
      int upheld = 0;
      int rejected = 0;
      int expired = 0;
      List<Long> times = new ArrayList<>();
      List<long[]> rows = answers.getOrDefault(id, List.of());
      for (long[] a : rows) {
        DisputeState state = DisputeState.values()[(int) a[0]];
        switch (state) {
          case OPEN -> open++;
          case UPHELD -> upheld++;
          case REJECTED -> rejected++;
          case EXPIRED, RECERTIFIED -> expired++;
        }
        if (a[1] >= 0 && (state == DisputeState.UPHELD || state == DisputeState.REJECTED)) {
          times.add(a[1]);
        }
      }
      // Of the disputes the source answered, the share it upheld; those it let expire apart.
      int answered = upheld + rejected;
      double rate = answered == 0 ? 0 : upheld / (double) answered;
      times.sort(null);
      OptionalDouble median =
          times.isEmpty()
              ? OptionalDouble.empty()
              : OptionalDouble.of(
                  times.size() % 2 == 1
                      ? times.get(times.size() / 2)
                      : (times.get(times.size() / 2 - 1) + times.get(times.size() / 2)) / 2.0);
      Optional<Map.Entry<Instant, String>> suspension = store.sources().suspension(s.id());
      out.add(
          new Report(
              id,
              s.typePrefixes(),
              counts.getOrDefault(id, 0L),
              rows.size(),
              open,
              upheld,
              rejected,
              expired,
              rate,
              median,
              answered >= minDisputes && rate > threshold,
              suspension.map(Map.Entry::getKey),
              suspension.map(Map.Entry::getValue)));
    }
    return out;
  }

  public double threshold() {
    return threshold;
  }

  public int minDisputes() {
    return minDisputes;
  }
}
