package org.credo.policy;

import static java.util.Objects.requireNonNull;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * An ISO-8601 length of time as written in a policy: a calendar period ({@code P2Y}, {@code P10D})
 * added in UTC, or an exact duration ({@code PT12H}).
 */
public record TimeSpan(String text, Period period, Duration duration) {
  /** Ten years: the longest any record may count or any list entry may last. */
  public static final TimeSpan TEN_YEARS = parse("P10Y");

  public TimeSpan {
    requireNonNull(text, "text is null");
    if ((period == null) == (duration == null)) {
      throw new IllegalArgumentException("exactly one of period and duration");
    }
  }

  /**
   * Parses {@code P2Y}, {@code P6M}, {@code P2W}, {@code P10D} or {@code PT12H}.
   *
   * @throws IllegalArgumentException with a reason when the text is not a non-negative ISO-8601
   *     duration
   */
  public static TimeSpan parse(String text) {
    requireNonNull(text, "text is null");
    String upper = text.toUpperCase(java.util.Locale.ROOT);
    if (!text.equals(upper)) {
      try {
        parse(upper);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "'" + text + "' is not an ISO-8601 duration such as P2Y, P6M, P10D or PT12H");
      }
      throw new IllegalArgumentException(
          "'" + text + "' must be written in capitals, e.g. P2Y or PT12H");
    }
    try {
      if (text.contains("T")) {
        Duration d = Duration.parse(text);
        if (d.isNegative()) {
          throw new IllegalArgumentException("'" + text + "' must not be negative");
        }
        return new TimeSpan(text, null, d);
      }
      Period p = Period.parse(text);
      if (p.isNegative()) {
        throw new IllegalArgumentException("'" + text + "' must not be negative");
      }
      return new TimeSpan(text, p, null);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "'" + text + "' is not an ISO-8601 duration such as P2Y, P6M, P10D or PT12H");
    }
  }

  /** {@code instant} plus this span, calendar periods in UTC; saturates at {@link Instant#MAX}. */
  public Instant addTo(Instant instant) {
    try {
      if (duration != null) {
        return instant.plus(duration);
      }
      // UTC has no transitions: a LocalDateTime is the same calendar, without building zone rules.
      return java.time.LocalDateTime.ofEpochSecond(
              instant.getEpochSecond(), instant.getNano(), ZoneOffset.UTC)
          .plus(period)
          .toInstant(ZoneOffset.UTC);
    } catch (DateTimeException | ArithmeticException e) {
      return Instant.MAX;
    }
  }

  /** {@code instant} minus this span; saturates at {@link Instant#MIN}. */
  public Instant subtractFrom(Instant instant) {
    try {
      if (duration != null) {
        return instant.minus(duration);
      }
      return java.time.LocalDateTime.ofEpochSecond(
              instant.getEpochSecond(), instant.getNano(), ZoneOffset.UTC)
          .minus(period)
          .toInstant(ZoneOffset.UTC);
    } catch (DateTimeException | ArithmeticException e) {
      return Instant.MIN;
    }
  }

  /** True for a span of no time, such as {@code P0D}. */
  public boolean isZero() {
    return duration != null ? duration.isZero() : period.isZero();
  }

  /** An approximate length in seconds (a year is 365.25 days), for comparisons and rates. */
  public double approximateSeconds() {
    if (duration != null) {
      return duration.getSeconds() + duration.getNano() / 1e9;
    }
    return period.toTotalMonths() * (365.25 / 12) * 86400 + period.getDays() * 86400.0;
  }

  /** True when this span is not longer than {@code other}. */
  public boolean atMost(TimeSpan other) {
    return approximateSeconds() <= other.approximateSeconds() + 1e-6;
  }

  @Override
  public String toString() {
    return text;
  }
}
