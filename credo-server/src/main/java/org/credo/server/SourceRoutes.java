package org.credo.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.credo.app.wire.ApiWire;
import org.credo.disputes.SourceQuality;
import org.credo.engine.Engine;
import org.credo.records.SourceId;
import org.credo.store.Store;

/**
 * Source accountability (issue #5): each source's records, disputes, upheld rate and answer time,
 * flagged for review past a threshold; and an operator's suspension of a source, whose new records
 * are held until it ends.
 */
final class SourceRoutes {
  private final SourceQuality quality;
  private final Store store;
  private final Engine engine;
  private final Requests requests;
  private final Clock clock;

  SourceRoutes(SourceQuality quality, Store store, Engine engine, Requests requests, Clock clock) {
    this.quality = requireNonNull(quality, "quality is null");
    this.store = requireNonNull(store, "store is null");
    this.engine = requireNonNull(engine, "engine is null");
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
    ObjectNode n = ApiWire.MAPPER.createObjectNode();
    n.put("reviewThreshold", quality.threshold());
    n.put("reviewMinimumDisputes", quality.minDisputes());
    ArrayNode a = n.putArray("sources");
    for (SourceQuality.Report r : quality.reports()) {
      ObjectNode o = a.addObject();
      o.put("id", r.source());
      ArrayNode types = o.putArray("types");
      r.types().forEach(types::add);
      o.put("records", r.records());
      o.put("disputes", r.disputes());
      o.put("open", r.open());
      o.put("upheld", r.upheld());
      o.put("rejected", r.rejected());
      o.put("expired", r.expired());
      o.put("upheldRate", r.upheldRate());
      if (r.medianAnswerSeconds().isPresent()) {
        o.put("medianAnswerSeconds", r.medianAnswerSeconds().getAsDouble());
      } else {
        o.putNull("medianAnswerSeconds");
      }
      o.put("flaggedForReview", r.flagged());
      o.put("suspended", r.suspended().isPresent());
      r.suspended().ifPresent(t -> o.put("suspendedSince", t.toString()));
      r.suspensionReason().ifPresent(t -> o.put("suspensionReason", t));
    }
    Http.send(ctx, 200, n);
  }

  private void suspend(Context ctx) {
    SourceId source = registered(ctx.pathParam("source"));
    JsonNode body = requests.jsonObject(ctx);
    Http.onlyFields(body, Set.of("reason"));
    String reason = Http.requiredText(body, "reason");
    store.suspend(source, reason, clock.instant());
    requests.record(ctx, Http.principal(ctx), "source.suspend", null, source.value());
    ObjectNode n = ApiWire.MAPPER.createObjectNode();
    n.put("source", source.value());
    n.put("suspended", true);
    n.put("reason", reason);
    Http.send(ctx, 200, n);
  }

  private void resume(Context ctx) {
    SourceId source = registered(ctx.pathParam("source"));
    if (store.suspension(source).isEmpty()) {
      throw new ApiException(409, "not_suspended", "source " + source + " is not suspended");
    }
    Instant now = clock.instant();
    int released = store.resume(source, now);
    requests.record(
        ctx, Http.principal(ctx), "source.resume", null, source.value() + " released=" + released);
    if (released > 0) {
      engine.buildIndex(now); // the released records join the index
    }
    ObjectNode n = ApiWire.MAPPER.createObjectNode();
    n.put("source", source.value());
    n.put("suspended", false);
    n.put("released", released);
    Http.send(ctx, 200, n);
  }

  private SourceId registered(String text) {
    SourceId id = Http.parseSource(text);
    if (store.source(id).isEmpty()) {
      throw ApiException.notFound("unknown_source", "source '" + text + "' is not registered");
    }
    return id;
  }
}
