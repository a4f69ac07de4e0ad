package org.credo.server;

import static java.util.Objects.requireNonNull;

import io.javalin.http.Context;
import io.javalin.security.RouteRole;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.credo.access.Principal;
import org.credo.access.Role;
import org.credo.access.Tokens;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens around every request: while stopping, refuse new ones (503); check the token against
 * the roles the route declares (401, 403); afterwards, audit a token's use that its handler did
 * not, and time the request by route and status.
 */
final class AccessFilter {
  private static final Logger LOG = LoggerFactory.getLogger(AccessFilter.class);
  private static final String ROUTE = "credo.route";
  private static final String STARTED = "credo.started";

  private final Tokens tokens;
  private final RequestAudit audit;
  private final MeterRegistry metrics;
  private final Clock clock;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicBoolean draining = new AtomicBoolean();

  private final RateLimits limits;

  AccessFilter(
      Tokens tokens, RequestAudit audit, MeterRegistry metrics, RateLimits limits, Clock clock) {
    this.limits = requireNonNull(limits, "limits is null");
    this.tokens = requireNonNull(tokens, "tokens is null");
    this.audit = requireNonNull(audit, "audit is null");
    this.metrics = requireNonNull(metrics, "metrics is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  /** From now on new requests are refused with 503 (and readiness says so). */
  void drain() {
    draining.set(true);
  }

  boolean draining() {
    return draining.get();
  }

  /** Requests being served now. */
  int inFlight() {
    return inFlight.get();
  }

  void beforeAll(Context ctx) {
    ctx.attribute(STARTED, System.nanoTime());
    inFlight.incrementAndGet();
    if (draining.get() && !ctx.path().startsWith("/health")) {
      throw new ApiException(503, "unavailable", "the server is stopping");
    }
  }

  /** The route a request matched, e.g. {@code /v1/decisions} (not the filter's {@code *}). */
  private static String matchedPath(Context ctx) {
    io.javalin.router.Endpoint e = ctx.endpoints().matchedHttpEndpoint();
    return e != null ? e.path : ctx.path();
  }

  /**
   * Whether a route reads a subject's data: everything under {@code /v1/subjects/{subject}},
   * decisions and their replay, disputes, lists, repairs and the audit log. Such requests count
   * against the address's budget before the token is looked at, and (decisions have their own)
   * against the token's.
   */
  static boolean readsSubjectData(String route) {
    return route.contains("{subject}")
        || route.startsWith("/v1/decisions")
        || route.startsWith("/v1/disputes")
        || route.startsWith("/v1/lists")
        || route.startsWith("/v1/repairs")
        || route.equals("/v1/audit");
  }

  void authenticate(Context ctx) {
    ctx.attribute(ROUTE, matchedPath(ctx));
    Set<RouteRole> roles = ctx.routeRoles();
    if (roles.contains(ApiRole.ANYONE)) {
      return;
    }
    limits.checkAddress(ctx.ip());
    String route = matchedPath(ctx);
    if (readsSubjectData(route)) {
      limits.takeAddressRead(ctx.ip());
    }
    String header = ctx.header("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new ApiException(401, "unauthenticated", "send a token: Authorization: Bearer <token>");
    }
    Tokens.Check check = tokens.check(header.substring(7).strip(), clock.instant());
    if (check instanceof Tokens.Invalid invalid) {
      throw new ApiException(401, "unauthenticated", invalid.reason());
    }
    Principal p = ((Tokens.Valid) check).principal();
    RequestAudit.matched(ctx);
    ctx.attribute(Http.PRINCIPAL, p); // set before the role check, so a refused use is audited too
    if (readsSubjectData(route) && !route.equals("/v1/decisions")) {
      limits.take(RateLimits.Kind.SUBJECT_DATA, p.tokenId());
    }
    if (!roles.contains(ApiRole.of(p.role()))) {
      throw ApiException.forbidden(
          "forbidden_role",
          "a "
              + p.role().word()
              + " token may not call "
              + ctx.req().getMethod()
              + " "
              + matchedPath(ctx)
              + " (allowed: "
              + roles.stream()
                  .map(x -> ((ApiRole) x).role().map(Role::word).orElse("anyone"))
                  .sorted()
                  .toList()
              + ")");
    }
  }

  void afterAll(Context ctx) {
    inFlight.decrementAndGet();
    Long started = ctx.attribute(STARTED);
    if (started == null) {
      return;
    }
    String route = ctx.attribute(ROUTE);
    try {
      audit.afterRequest(ctx, ctx.attribute(Http.PRINCIPAL), route, clock.instant());
    } catch (RuntimeException e) {
      LOG.error("cannot audit {} {}", ctx.method(), route, e);
    }
    if (ctx.statusCode() == 401 || ctx.statusCode() == 403) {
      metrics
          .counter("credo_access_denied_total", "status", Integer.toString(ctx.statusCode()))
          .increment();
    }
    Timer.builder("http_server_requests")
        .tag("method", ctx.method().name())
        .tag("route", route == null ? "unmatched" : route)
        .tag("status", Integer.toString(ctx.statusCode()))
        .register(metrics)
        .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
  }
}
