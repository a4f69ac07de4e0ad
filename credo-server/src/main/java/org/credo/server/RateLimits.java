package org.credo.server;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-token rate limits (Bucket4j token buckets, in memory): one for decisions, one for score and
 * report reads, so that no token can walk the population. A server restart refills the buckets; a
 * deployment with several servers gives each its own buckets.
 */
final class RateLimits {
  /** What a limited call was told. */
  enum Kind {
    DECISIONS,
    REPORTS
  }

  private final int decisionsPerSecond;
  private final int reportsPerMinute;
  private final Map<String, Bucket> decisions = new ConcurrentHashMap<>();
  private final Map<String, Bucket> reports = new ConcurrentHashMap<>();
  private final int refusedPerMinute;
  private final Map<String, Bucket> refused = new ConcurrentHashMap<>();

  /** Addresses remembered at most; beyond, the oldest budgets are forgotten (all at once). */
  private static final int MAX_ADDRESSES = 100_000;

  RateLimits(int decisionsPerSecond, int reportsPerMinute, int refusedPerMinute) {
    this.decisionsPerSecond = decisionsPerSecond;
    this.reportsPerMinute = reportsPerMinute;
    this.refusedPerMinute = refusedPerMinute;
  }

  /**
   * Refuses a request from an address whose budget of refused requests (401, 403) is spent, before
   * its token is even looked at: guessing tokens costs a minute per {@code refusedPerMinute}.
   *
   * @throws RateLimited 429 with the seconds to wait
   */
  void checkAddress(String address) {
    Bucket b = refused.get(address);
    if (b != null && b.getAvailableTokens() <= 0) {
      long nanos = b.estimateAbilityToConsume(1).getNanosToWaitForRefill();
      throw new RateLimited(
          "too many refused requests from this address: at most " + refusedPerMinute + " a minute",
          Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L));
    }
  }

  /** Counts a refused request (401, 403) against its address. */
  void refused(String address) {
    if (refused.size() > MAX_ADDRESSES) {
      refused.clear();
    }
    refused
        .computeIfAbsent(
            address,
            a ->
                Bucket.builder()
                    .addLimit(
                        l ->
                            l.capacity(refusedPerMinute)
                                .refillGreedy(refusedPerMinute, Duration.ofMinutes(1)))
                    .build())
        .tryConsume(1);
  }

  /**
   * Takes one call from the token's bucket.
   *
   * @throws ApiException 429 with the seconds to wait, when the bucket is empty
   */
  void take(Kind kind, String tokenId) {
    Bucket bucket =
        kind == Kind.DECISIONS
            ? decisions.computeIfAbsent(
                tokenId,
                t ->
                    Bucket.builder()
                        .addLimit(
                            l ->
                                l.capacity(decisionsPerSecond)
                                    .refillGreedy(decisionsPerSecond, Duration.ofSeconds(1)))
                        .build())
            : reports.computeIfAbsent(
                tokenId,
                t ->
                    Bucket.builder()
                        .addLimit(
                            l ->
                                l.capacity(reportsPerMinute)
                                    .refillGreedy(reportsPerMinute, Duration.ofMinutes(1)))
                        .build());
    ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
    if (!probe.isConsumed()) {
      long seconds = Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
      throw new RateLimited(
          kind == Kind.DECISIONS
              ? "at most " + decisionsPerSecond + " decisions a second per token"
              : "at most " + reportsPerMinute + " score and report reads a minute per token",
          seconds);
    }
  }

  /** A 429, with the Retry-After seconds. */
  static final class RateLimited extends RuntimeException {
    final long retryAfterSeconds;

    RateLimited(String message, long retryAfterSeconds) {
      super(message, null, false, false);
      this.retryAfterSeconds = retryAfterSeconds;
    }
  }
}
