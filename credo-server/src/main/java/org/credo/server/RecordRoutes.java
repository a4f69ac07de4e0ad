package org.credo.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.credo.access.Principal;
import org.credo.app.records.RecordIntake;
import org.credo.app.records.Submission;
import org.credo.app.wire.ApiWire;
import org.credo.app.wire.SubmissionWire;
import org.credo.ingest.ImportSummary;
import org.credo.ingest.Importer;
import org.credo.ingest.Lines;
import org.credo.records.SourceId;
import org.credo.records.StrictJson;

/**
 * {@code POST /records}: a provider submits records as its token's source, through {@link
 * RecordIntake}, and is told each record's fate. A hot path: the body is read once and the answer
 * written by {@link Http#send}.
 */
final class RecordRoutes {
  private final RecordIntake intake;
  private final Requests requests;
  private final RequestAudit audit;
  private final MeterRegistry metrics;
  private final Clock clock;

  RecordRoutes(
      RecordIntake intake,
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
    List<Importer.Item> items = parse(requests.body(ctx), ndjson);
    Submission result = intake.submit(source, items, RequestAudit.actor(p));
    auditRecords(ctx, p, source, result.summary());
    for (Submission.Fate f : result.records()) {
      metrics.counter("credo_records_total", "status", f.status().word()).increment();
    }
    Http.send(ctx, 200, SubmissionWire.of(result));
  }

  /**
   * Reads a body once: a JSON array of record objects, or NDJSON (one object a line). An item that
   * is not a record object is kept with the reason, so that it gets its fate in order.
   *
   * @throws ApiException 400 when the body is not JSON or NDJSON at all, 413 above {@link
   *     RecordIntake#MAX_RECORDS}
   */
  static List<Importer.Item> parse(byte[] body, boolean ndjson) {
    List<Importer.Item> items = new ArrayList<>();
    if (!ndjson) {
      JsonNode root;
      try {
        root = ApiWire.MAPPER.readTree(StrictJson.utf8(body));
      } catch (StrictJson.NotUtf8 e) {
        throw ApiException.badRequest("malformed_json", e.getMessage());
      } catch (IOException e) {
        throw ApiException.badRequest("malformed_json", "the body is not JSON: " + brief(e));
      }
      if (root == null || !root.isArray()) {
        throw ApiException.badRequest(
            "bad_request", "the body must be a JSON array of records (or NDJSON)");
      }
      for (JsonNode n : (ArrayNode) root) {
        items.add(item(n));
      }
    } else {
      // One line at a time, each decoded as UTF-8 on its own (as credo import reads a file): a
      // line whose bytes are not UTF-8 is that record's refusal, never replaced with U+FFFD.
      Lines lines = Lines.ofUtf8(new java.io.ByteArrayInputStream(body));
      try {
        for (Lines.Line line; (line = lines.next()) != null; ) {
          if (line.text() == null) {
            items.add(new Importer.Item.Unreadable(line.undecodable()));
          } else if (!line.text().isBlank()) {
            try {
              items.add(item(ApiWire.MAPPER.readTree(line.text())));
            } catch (JsonProcessingException e) {
              items.add(new Importer.Item.Unreadable("malformed JSON: " + StrictJson.problem(e)));
            }
          }
        }
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e); // reading bytes in memory
      }
    }
    if (items.isEmpty()) {
      throw ApiException.badRequest("bad_request", "the body holds no records");
    }
    if (items.size() > RecordIntake.MAX_RECORDS) {
      throw new ApiException(
          413, "too_many_records", "at most " + RecordIntake.MAX_RECORDS + " records a request");
    }
    return items;
  }

  private static Importer.Item item(JsonNode n) {
    return n instanceof ObjectNode o
        ? new Importer.Item.Json(o)
        : new Importer.Item.Unreadable("a record must be a JSON object");
  }

  private static String brief(IOException e) {
    return e instanceof JsonProcessingException j ? StrictJson.problem(j) : "unreadable";
  }

  /**
   * One entry for the submission; the entries of each subject with records accepted about it are
   * written by the intake, in the records' own transaction.
   */
  private void auditRecords(Context ctx, Principal p, SourceId source, ImportSummary s) {
    Instant now = clock.instant();
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
