package org.credo.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.credo.access.Principal;
import org.credo.app.wire.ApiWire;
import org.credo.ingest.ImportSummary;
import org.credo.records.SourceId;

/**
 * {@code POST /records}: a provider submits records as its token's source, through {@link
 * RecordsIntake}, and is told each record's fate. A hot path: the body is read once and the answer
 * written by {@link Http#send}.
 */
final class RecordRoutes {
  private final RecordsIntake intake;
  private final Requests requests;
  private final RequestAudit audit;
  private final MeterRegistry metrics;
  private final Clock clock;

  RecordRoutes(
      RecordsIntake intake,
      Requests requests,
      RequestAudit audit,
      MeterRegistry metrics,
      Clock clock) {
    this.intake = requireNonNull(intake, "intake is null");
    this.requests = requireNonNull(requests, "requests is null");
    this.audit = requireNonNull(audit, "audit is null");
    this.metrics = requireNonNull(metrics, "metrics is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  List<ApiRoute> routes() {
    return List.of(
        new ApiRoute(
            HandlerType.POST,
            "/records",
            EnumSet.of(ApiRole.PROVIDER),
            "Submit records as the token's source (JSON array or NDJSON); per-record outcome",
            List.of(Http.JSON, "application/x-ndjson"),
            List.of(),
            List.of(400, 413, 415),
            this::submit));
  }

  private void submit(Context ctx) {
    Principal p = Http.principal(ctx);
    String type = Http.mediaType(ctx);
    boolean ndjson =
        switch (type) {
          case Http.JSON -> false;
          case "application/x-ndjson", "application/ndjson", "application/jsonl" -> true;
          default ->
              throw new ApiException(
                  415,
                  "unsupported_media_type",
                  "send records as application/json (an array) or application/x-ndjson");
        };
    SourceId source =
        SourceId.of(p.scope().orElseThrow(() -> ApiException.forbidden("forbidden", "no source")));
    List<Object> items = RecordsIntake.parse(requests.body(ctx), ndjson);
    RecordsIntake.Result result = intake.submit(source, items, RequestAudit.actor(p));
    auditRecords(ctx, p, source, result);
    ObjectNode n = ApiWire.MAPPER.createObjectNode();
    ImportSummary s = result.summary();
    ObjectNode summary = n.putObject("summary");
    summary.put("records", s.lines());
    summary.put("accepted", s.accepted());
    summary.put("superseding", s.superseding());
    summary.put("retracting", s.retracting());
    summary.put("duplicate", s.duplicate());
    summary.put("rejected", s.rejected());
    summary.put("conflicts", s.conflicts());
    ArrayNode outcomes = n.putArray("records");
    for (RecordsIntake.Outcome o : result.outcomes()) {
      ObjectNode x = outcomes.addObject();
      x.put("index", o.index());
      o.id().ifPresent(id -> x.put("id", id));
      x.put("status", o.status());
      o.reason().ifPresent(r -> x.put("reason", r));
      metrics.counter("credo_records_total", "status", o.status()).increment();
    }
    Http.send(ctx, 200, n);
  }

  /**
   * One entry for the submission; the entries of each subject with records accepted about it are
   * written by the intake, in the records' own transaction.
   */
  private void auditRecords(
      Context ctx, Principal p, SourceId source, RecordsIntake.Result result) {
    Instant now = clock.instant();
    ImportSummary s = result.summary();
    List<CompletableFuture<Long>> written = new ArrayList<>();
    written.add(
        audit.queue(
            p,
            "records.submit",
            null,
            "source="
                + source
                + " records="
                + s.lines()
                + " accepted="
                + s.accepted()
                + " duplicate="
                + s.duplicate()
                + " conflicts="
                + s.conflicts()
                + " rejected="
                + s.rejected(),
            now));
    // The entries of the subjects with records accepted were committed with the records.
    RequestAudit.audited(ctx);
    written.forEach(RequestAudit::await);
  }
}
