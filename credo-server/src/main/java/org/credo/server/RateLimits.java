package org.credo.server;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Rate limits (Bucket4j token buckets, in memory), so that no token and no address can walk the
 * population: per token, one for decisions, one for score and report reads and one for every route
 * that reads a subject's data; per address, one for those routes and decisions together, and one
 * for refused requests. A server restart refills the buckets; a deployment with several servers
 * gives each its own buckets.
 */
final class RateLimits {
  /** What a limited call was told. */
  enum Kind {
    DECISIONS,
    REPORTS,
    SUBJECT_DATA
  }

  private final int decisionsPerSecond;
  private final int reportsPerMinute;
  private final int subjectReadsPerMinute;
  private final int addressReadsPerSecond;
  private final Map<String, Bucket> decisions = new ConcurrentHashMap<>();
  private final Map<String, Bucket> reports = new ConcurrentHashMap<>();
  private final Map<String, Bucket> subjectData = new ConcurrentHashMap<>();
  private final Map<String, Bucket> addressReads = new ConcurrentHashMap<>();
  private final int refusedPerMinute;
  private final Map<String, Bucket> refused = new ConcurrentHashMap<>();

  /** Addresses remembered at most; beyond, the oldest budgets are forgotten (all at once). */
  private static final int MAX_ADDRESSES = 100_000;

  RateLimits(ServerConfig.Limits limits) {
    this.decisionsPerSecond = limits.decisionsPerSecond();
    this.reportsPerMinute = limits.reportsPerMinute();
    this.refusedPerMinute = limits.refusedPerMinute();
    this.subjectReadsPerMinute = limits.subjectReadsPerMinute();
    this.addressReadsPerSecond = limits.addressReadsPerSecond();
  }

  private static Bucket bucket(int capacity, Duration refill) {
    return Bucket.builder()
        .addLimit(l -> l.capacity(capacity).refillGreedy(capacity, refill))
        .build();
  }

  private static long seconds(long nanos) {
    return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
  }

  /**
   * Takes one request to a route that reads subject data from the address's budget, before its
   * token is looked at.
   *
   * @throws RateLimited 429 with the seconds to wait
   */
  void takeAddressRead(String address) {
    if (addressReads.size() > MAX_ADDRESSES) {
      addressReads.clear();
    }
    ConsumptionProbe probe =
        addressReads
            .computeIfAbsent(address, a -> bucket(addressReadsPerSecond, Duration.ofSeconds(1)))
            .tryConsumeAndReturnRemaining(1);
    if (!probe.isConsumed()) {
      throw new RateLimited(
          "at most "
              + addressReadsPerSecond
              + " requests a second from one address to routes that read subject data",
          seconds(probe.getNanosToWaitForRefill()));
    }
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
      throw new RateLimited(
          "too many refused requests from this address: at most " + refusedPerMinute + " a minute",
          seconds(b.estimateAbilityToConsume(1).getNanosToWaitForRefill()));
    }
  }

  /** Counts a refused request (401, 403) against its address. */
  void refused(String address) {
    if (refused.size() > MAX_ADDRESSES) {
      refused.clear();
    }
    refused
        .computeIfAbsent(address, a -> bucket(refusedPerMinute, Duration.ofMinutes(1)))
        .tryConsume(1);
  }

  /**
   * Takes one call from the token's bucket.
   *
   * @throws ApiException 429 with the seconds to wait, when the bucket is empty
   */
  void take(Kind kind, String tokenId) {
    Bucket bucket =
        switch (kind) {
          case DECISIONS ->
              decisions.computeIfAbsent(
                  tokenId, t -> bucket(decisionsPerSecond, Duration.ofSeconds(1)));
          case REPORTS ->
              reports.computeIfAbsent(
                  tokenId, t -> bucket(reportsPerMinute, Duration.ofMinutes(1)));
          case SUBJECT_DATA ->
              subjectData.computeIfAbsent(
                  tokenId, t -> bucket(subjectReadsPerMinute, Duration.ofMinutes(1)));
        };
    ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
    if (!probe.isConsumed()) {
      throw new RateLimited(
          switch (kind) {
            case DECISIONS -> "at most " + decisionsPerSecond + " decisions a second per token";
            case REPORTS ->
                "at most " + reportsPerMinute + " score and report reads a minute per token";
            case SUBJECT_DATA ->
                "at most " + subjectReadsPerMinute + " reads of subject data a minute per token";
          },
          seconds(probe.getNanosToWaitForRefill()));
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
