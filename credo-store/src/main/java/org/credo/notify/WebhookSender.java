package org.credo.notify;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the outbox by webhook: one POST of a JSON notice per request to a configured endpoint;
 * any 2xx answer is an acknowledgement. A failure is retried after 2, 4, 8 … seconds (at most an
 * hour apart) up to {@code maxAttempts}; then the notice stays in the outbox marked failed. The
 * receiver may see a notice twice (after a crash between its answer and our bookkeeping), so each
 * carries its {@code id} for de-duplication.
 */
public final class WebhookSender implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookSender.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Outbox outbox;
  private final URI endpoint;
  private final Clock clock;
  private final int maxAttempts;
  private final HttpClient http;
  private final Thread thread;
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private volatile boolean closing;

  public WebhookSender(Outbox outbox, URI endpoint, Clock clock, int maxAttempts) {
    this.outbox = requireNonNull(outbox, "outbox is null");
    this.endpoint = requireNonNull(endpoint, "endpoint is null");
    this.clock = requireNonNull(clock, "clock is null");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
    this.maxAttempts = maxAttempts;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    this.thread = new Thread(this::run, "credo-webhook");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  public long delivered() {
    return delivered.get();
  }

  public long failures() {
    return failures.get();
  }

  /** Wakes the sender (after a notice was written) instead of waiting for its next poll. */
  public void nudge() {
    LockSupport.unpark(thread);
  }

  private void run() {
    while (!closing) {
      try {
        List<Outbox.Due> due = outbox.due(clock.instant(), 100);
        for (Outbox.Due d : due) {
          if (closing) {
            return;
          }
          deliver(d);
        }
        if (due.size() < 100) {
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500));
        }
      } catch (RuntimeException e) {
        LOG.warn("webhook delivery stalled: {}", e.getMessage());
        LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(2));
      }
    }
  }

  private void deliver(Outbox.Due d) {
    Notification n = d.notification();
    int attempt = n.attempts() + 1;
    ObjectNode body = JSON.createObjectNode();
    body.put("id", "ntf-" + n.seq());
    body.put("subject", d.subject().toString());
    body.put("kind", n.notice().kind());
    body.put("message", n.notice().message());
    ObjectNode details = body.putObject("details");
    n.notice().details().forEach(details::put);
    body.put("created", n.created().toString());
    body.put("attempt", attempt);
    String error;
    try {
      HttpResponse<Void> response =
          http.send(
              HttpRequest.newBuilder(endpoint)
                  .timeout(Duration.ofSeconds(10))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      if (response.statusCode() / 100 == 2) {
        outbox.delivered(n.seq(), attempt, clock.instant());
        delivered.incrementAndGet();
        return;
      }
      error = "HTTP " + response.statusCode();
    } catch (IOException e) {
      error = e.getClass().getSimpleName() + ": " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    failures.incrementAndGet();
    Optional<Instant> next =
        attempt >= maxAttempts
            ? Optional.empty()
            : Optional.of(clock.instant().plus(backoff(attempt)));
    outbox.failed(n.seq(), attempt, next, error);
  }

  /** 2 s after the first failure, doubling, at most an hour. */
  static Duration backoff(int attempt) {
    return Duration.ofSeconds(Math.min(3600, 1L << Math.min(attempt, 12)));
  }

  @Override
  public void close() {
    closing = true;
    LockSupport.unpark(thread);
    try {
      thread.join(15_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
