package org.credo.policy;

import java.time.Instant;
import java.time.LocalDate;

/**
 * Splits time into the consecutive buckets a cap applies to, aligned to the calendar in UTC: a
 * period of years counts calendar years ({@code P1Y} is each calendar year), months count calendar
 * months, weeks run Monday to Sunday (ISO weeks), days count from 1970-01-01, and exact durations
 * count from the epoch. Calendar buckets are what a subject can check by hand ("at most 20 points
 * in 2026").
 */
public final class CapPeriod {
  private final TimeSpan span;
  private final long months;
  private final long days;
  private final long seconds;

  CapPeriod(TimeSpan span) {
    this.span = span;
    if (span.period() != null) {
      months = span.period().toTotalMonths();
      days = span.period().getDays();
      if (months > 0 && days > 0) {
        throw new IllegalArgumentException(
            "cap period '" + span + "' mixes months and days: use years, months, weeks or days");
      }
      seconds = 0;
    } else {
      months = 0;
      days = 0;
      seconds = Math.max(1, span.duration().getSeconds());
    }
  }

  public TimeSpan span() {
    return span;
  }

  /** The index of the bucket holding {@code instant}; increases with time. */
  public long bucket(Instant instant) {
    return bucket(
        Math.multiplyExact(instant.getEpochSecond(), 1_000_000L) + instant.getNano() / 1_000);
  }

  /** The index of the bucket holding an instant given in microseconds since the epoch. */
  public long bucket(long epochMicros) {
    if (seconds > 0) {
      return Math.floorDiv(Math.floorDiv(epochMicros, 1_000_000L), seconds);
    }
    long epochDay = Math.floorDiv(epochMicros, 86_400_000_000L);
    if (months > 0) {
      LocalDate date = LocalDate.ofEpochDay(epochDay);
      return Math.floorDiv(date.getYear() * 12L + date.getMonthValue() - 1, months);
    }
    // 1970-01-01 was a Thursday: shift by three days so that weeks run Monday to Sunday.
    long day = days % 7 == 0 ? epochDay + 3 : epochDay;
    return Math.floorDiv(day, days);
  }

  @Override
  public String toString() {
    return span.toString();
  }
}
