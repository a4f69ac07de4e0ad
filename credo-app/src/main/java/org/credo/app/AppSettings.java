package org.credo.app;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * The settings the application itself needs, whichever front door built it. Read once, in each
 * deployable's composition root (the server's {@code ServerConfig}, the CLI's {@code Cli}), from
 * the same keys, environment variables and defaults — so the CLI and the server cannot disagree on,
 * say, a repair deadline.
 *
 * @param repairDeadline how long the operator has to decide a list repair application ({@code
 *     lists.repair-deadline})
 * @param reviewThreshold a source whose upheld-dispute rate exceeds this is flagged for review
 * @param reviewMinimum answered disputes a source needs before its rate is judged
 * @param retentionGrace how long records are kept past their rule's expiry before the purge
 * @param serving serving mode ({@code serving}): decisions and scores come from the serving tables
 *     the streaming job writes, not from records this process holds
 */
public record AppSettings(
    Duration repairDeadline,
    double reviewThreshold,
    int reviewMinimum,
    Duration retentionGrace,
    boolean serving) {
  /** The documented defaults (docs/operations.md, "Configuration"). */
  public static final AppSettings DEFAULTS =
      new AppSettings(Duration.ofDays(14), 0.2, 10, Duration.ofDays(90), false);

  public AppSettings {
    requireNonNull(repairDeadline, "repairDeadline is null");
    requireNonNull(retentionGrace, "retentionGrace is null");
    if (repairDeadline.isNegative() || repairDeadline.isZero()) {
      throw new IllegalArgumentException("lists.repair-deadline must be above zero");
    }
    if (!(reviewThreshold >= 0 && reviewThreshold <= 1)) {
      throw new IllegalArgumentException("sources.review-threshold must be a rate from 0 to 1");
    }
    if (reviewMinimum < 1) {
      throw new IllegalArgumentException("sources.review-minimum must be at least 1");
    }
    if (retentionGrace.isNegative()) {
      throw new IllegalArgumentException("retention.grace must not be negative");
    }
  }
}
