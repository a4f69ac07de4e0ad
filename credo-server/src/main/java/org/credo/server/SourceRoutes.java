package org.credo.server;

import static java.util.Objects.requireNonNull;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.credo.app.Caller;
import org.credo.app.Refusal;
import org.credo.app.sources.SourceOutcome;
import org.credo.app.sources.Sources;
import org.credo.app.wire.RequestBodies;
import org.credo.app.wire.SourcesWire;

/**
 * Source accountability (issue #5): each source's records, disputes, upheld rate and answer time,
 * flagged for review past a threshold; and an operator's suspension of a source, whose new records
 * are held until it ends.
 */
final class SourceRoutes {
  private final Sources sources;
  private final Requests requests;
  private final Clock clock;

  SourceRoutes(Sources sources, Requests requests, Clock clock) {
    this.sources = requireNonNull(sources, "sources is null");
    this.requests = requireNonNull(requests, "requests is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  List<ApiRoute> routes() {
    return List.of(
        new ApiRoute(
            HandlerType.GET,
            "/sources",
            EnumSet.of(ApiRole.OPERATOR, ApiRole.AUDITOR),
            "Source accountability: records, disputes, upheld rate, median answer time, flags",
            List.of(),
            List.of(),
            List.of(),
            this::sources),
        new ApiRoute(
            HandlerType.POST,
            "/sources/{source}/suspension",
            EnumSet.of(ApiRole.OPERATOR),
            "Suspend a source: its new records are held, not scored",
            List.of(Http.JSON),
            List.of(),
            List.of(400, 404, 413, 415),
            this::suspend),
        new ApiRoute(
            HandlerType.DELETE,
            "/sources/{source}/suspension",
            EnumSet.of(ApiRole.OPERATOR),
            "End a suspension and release the held records (they count from now on)",
            List.of(),
            List.of(),
            List.of(400, 404, 409),
            this::resume));
  }

  private void sources(Context ctx) {
    Http.send(
        ctx,
        200,
        SourcesWire.of(sources.accountability(OptionalDouble.empty(), OptionalInt.empty())));
  }

  private void suspend(Context ctx) {
    String source = Http.parseSource(ctx.pathParam("source")).value();
    var body = Http.bind(requests.jsonObject(ctx), RequestBodies.SuspensionRequest.class);
    String reason = Http.required(body.reason(), "reason");
    SourceOutcome outcome =
        sources.suspend(Caller.of(Http.principal(ctx)), source, reason, clock.instant());
    if (!(outcome instanceof SourceOutcome.Suspended done)) {
      throw ErrorMapper.refused((Refusal) outcome);
    }
    RequestAudit.audited(ctx);
    Http.send(ctx, 200, SourcesWire.Suspension.of(done));
  }

  private void resume(Context ctx) {
    String source = Http.parseSource(ctx.pathParam("source")).value();
    SourceOutcome outcome = sources.resume(Caller.of(Http.principal(ctx)), source, clock.instant());
    if (!(outcome instanceof SourceOutcome.Resumed done)) {
      throw ErrorMapper.refused((Refusal) outcome);
    }
    RequestAudit.audited(ctx);
    Http.send(ctx, 200, SourcesWire.Suspension.of(done));
  }
}
