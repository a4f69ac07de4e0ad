package org.credo.scoring;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.Optional;
import org.credo.policy.Factor;
import org.credo.policy.ListDefinition;
import org.credo.policy.Policy;
import org.credo.policy.Rule;
import org.credo.policy.ScoringCriteria;
import org.credo.policy.Signal;
import org.credo.policy.TimeSpan;
import org.credo.records.Record;

/**
 * When a subject's score under a policy can next change without a new record: a record's expiry, a
 * list entry's notice period ending or the entry itself ending, a record leaving a factor's window,
 * a record leaving or entering the window of a minimum scoring criterion. A job that keeps a
 * subject's records (the streaming job) sets a timer at the first of {@link #all} after now and
 * rescoring there gives the same score the embedded engine gives at any instant, without rescoring
 * every subject every day. Only the factor signals that read how old a record is ({@link
 * Signal.Recency}, {@link Signal.Span}) change continuously; {@link #continuous} tells which
 * policies have them, and those are rescored on a schedule instead.
 *
 * <p>The instants are exact to the millisecond the timers count in, or a little early: a candidate
 * where nothing changes only costs a rescoring that gives the same score.
 */
public final class ChangePoints {
  private static final long DAY_MILLIS = 86_400_000L;

  private ChangePoints() {}

  /** True when the policy reads a record's age continuously (recency or span factors). */
  public static boolean continuous(Policy policy) {
    for (Factor f : policy.factors()) {
      if (f.signal() instanceof Signal.Recency || f.signal() instanceof Signal.Span) {
        return true;
      }
    }
    return false;
  }

  /** The index of the first of {@code sorted} strictly after {@code millis}. */
  public static int after(long[] sorted, long millis) {
    int i = java.util.Arrays.binarySearch(sorted, millis);
    return i >= 0 ? i + 1 : -i - 1;
  }

  /**
   * Every instant (epoch milliseconds, ascending, distinct) at which the score of {@code records}
   * under {@code policy} may change with no new record.
   */
  public static long[] all(Policy policy, Collection<Record> records) {
    Next next = new Next();
    for (Record r : records) {
      Instant occurred = r.occurred();
      Instant known = r.learned().isAfter(occurred) ? r.learned() : occurred;
      // A record dated after it was learned starts to count when it occurs.
      next.at(occurred);
      next.at(r.learned());
      Optional<Rule> rule = policy.rule(r.type());
      if (rule.isPresent()) {
        Instant expires = rule.get().expires().addTo(occurred);
        next.at(expires);
        if (rule.get().list().isPresent()) {
          ListDefinition list = policy.lists().get(rule.get().list().get());
          if (list != null) {
            next.at(list.notice().addTo(known));
            Optional<TimeSpan> window =
                list.maxDuration()
                    .or(
                        () ->
                            list.endsWithSeverity()
                                ? Optional.of(rule.get().severity().publicationWindow())
                                : Optional.empty());
            window.ifPresent(w -> next.at(w.addTo(occurred)));
          }
        }
        for (ScoringCriteria.Requirement req :
            policy.scorable().map(ScoringCriteria::requires).orElse(java.util.List.of())) {
          if (req.types().contains(rule.get().type())) {
            // counted while asOf − within < occurred, and once occurred ≤ asOf − olderThan
            req.within().ifPresent(w -> next.atCalendar(occurred, w, false));
            req.olderThan().ifPresent(w -> next.atCalendar(occurred, w, false));
          }
        }
      }
      for (Factor f : policy.factors()) {
        Signal s = f.signal();
        if (s.window().isPresent() && reads(s, r)) {
          // read while occurred ≥ asOf − window: it leaves just after occurred + window
          next.atCalendar(occurred, s.window().get(), true);
        }
      }
    }
    return java.util.Arrays.stream(next.all, 0, next.n).sorted().distinct().toArray();
  }

  private static boolean reads(Signal s, Record r) {
    return s instanceof Signal.Ratio ratio
        ? ratio.good().containsKey(r.type()) || ratio.bad().containsKey(r.type())
        : s.types().containsKey(r.type());
  }

  /** The candidates gathered. */
  private static final class Next {
    private long[] all = new long[32];
    private int n;

    /** A change exactly at {@code t}: the first millisecond timer at or after it. */
    void at(Instant t) {
      offer(ceilMillis(t));
    }

    /**
     * A change where {@code asOf − span} passes {@code base}: at {@code base + span} (just after it
     * when {@code strictlyAfter}), or, when adding months clamped the day of the month, at the next
     * midnight (subtracting the months from that day first passes {@code base} there).
     */
    void atCalendar(Instant base, TimeSpan span, boolean strictlyAfter) {
      Instant c = span.addTo(base);
      if (c.equals(Instant.MAX)) {
        return;
      }
      offer(strictlyAfter ? Math.floorDiv(c.toEpochMilli(), 1) + 1 : ceilMillis(c));
      if (span.period() != null) {
        LocalDate from = base.atZone(ZoneOffset.UTC).toLocalDate();
        LocalDate to = c.atZone(ZoneOffset.UTC).toLocalDate();
        if (to.getDayOfMonth() != from.getDayOfMonth()) {
          offer((to.toEpochDay() + 1) * DAY_MILLIS);
        }
      }
    }

    private void offer(long millis) {
      if (millis == Long.MAX_VALUE) {
        return;
      }
      if (n == all.length) {
        all = java.util.Arrays.copyOf(all, n * 2);
      }
      all[n++] = millis;
    }
  }

  /** {@code t} rounded up to a whole millisecond; saturates. */
  public static long ceilMillis(Instant t) {
    try {
      long ms = t.toEpochMilli();
      return t.getNano() % 1_000_000 == 0 ? ms : ms + 1;
    } catch (ArithmeticException e) {
      return t.isBefore(Instant.EPOCH) ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }
}
