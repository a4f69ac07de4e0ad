package org.credo.notify;

import java.time.Instant;
import java.util.Optional;

/**
 * A notice as kept in the outbox, with its delivery state.
 *
 * @param attempts webhook deliveries tried so far
 * @param delivered when the webhook receiver acknowledged it
 * @param nextAttempt when delivery is next tried; empty once delivered or given up
 */
public record Notification(
    long seq,
    Notice notice,
    Instant created,
    int attempts,
    Optional<Instant> delivered,
    Optional<Instant> nextAttempt,
    Optional<String> lastError) {

  /** "delivered", "pending" or "failed" (retries used up). */
  public String state() {
    return delivered.isPresent() ? "delivered" : nextAttempt.isPresent() ? "pending" : "failed";
  }
}
