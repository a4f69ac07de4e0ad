package org.credo.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.credo.app.wire.ApiWire;
import org.credo.audit.AuditEntry;
import org.credo.audit.AuditLog;
import org.credo.engine.Engine;
import org.credo.ingest.ImportException;
import org.credo.ingest.ImportSummary;
import org.credo.ingest.Importer;
import org.credo.records.SourceId;
import org.credo.store.Store;

/**
 * Records submitted over HTTP, checked and stored by the same {@link Importer} as {@code credo
 * import}: the same checks, the same idempotency on (source, id), the same batch transaction. What
 * this adds is the per-record outcome: the Importer reports rejected lines by number, and which of
 * the others it stored as new; the rest were duplicates. Submissions run concurrently, a source's
 * too (the store's unique (source, id) settles a race); a record that supersedes or retracts
 * another must be sent once that one is acknowledged.
 */
final class RecordsIntake {
  /**
   * One record's fate: {@code accepted}, {@code duplicate}, or {@code rejected} or {@code conflict}
   * (its (source, id) is already stored with other content) with a reason.
   */
  record Outcome(int index, Optional<String> id, String status, Optional<String> reason) {}

  record Result(ImportSummary summary, List<Outcome> outcomes) {}

  static final int MAX_RECORDS = 10_000;

  private final Engine engine;
  private final Clock clock;
  private final AuditLog audit;

  RecordsIntake(Engine engine, Clock clock, AuditLog audit) {
    this.engine = requireNonNull(engine, "engine is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.audit = requireNonNull(audit, "audit is null");
  }

  /**
   * Parses a body: a JSON array of record objects, or NDJSON (one object a line).
   *
   * @return one entry per record: the object, or a String with the reason it cannot be read
   * @throws ApiException 400 when the body is not JSON or NDJSON at all, 413 above {@link
   *     #MAX_RECORDS}
   */
  static List<Object> parse(byte[] body, boolean ndjson) {
    List<Object> items = new ArrayList<>();
    if (!ndjson) {
      JsonNode root;
      try {
        root = ApiWire.MAPPER.readTree(body);
      } catch (IOException e) {
        throw ApiException.badRequest("malformed_json", "the body is not JSON: " + brief(e));
      }
      if (root == null || !root.isArray()) {
        throw ApiException.badRequest(
            "bad_request", "the body must be a JSON array of records (or NDJSON)");
      }
      for (JsonNode n : (ArrayNode) root) {
        items.add(n.isObject() ? n : "a record must be a JSON object");
      }
    } else {
      String text = new String(body, StandardCharsets.UTF_8);
      // Lines end at \n, a \r before it dropped: the same as split("\r?\n"), without a regex
      // (which took 7 % of the CPU of a submission).
      for (int from = 0, to; from < text.length(); from = to + 1) {
        to = text.indexOf('\n', from);
        if (to < 0) {
          to = text.length();
        }
        String line = text.substring(from, to > from && text.charAt(to - 1) == '\r' ? to - 1 : to);
        if (line.isBlank()) {
          continue;
        }
        try {
          JsonNode n = ApiWire.MAPPER.readTree(line);
          items.add(n != null && n.isObject() ? n : "a record must be a JSON object");
        } catch (JsonProcessingException e) {
          items.add("malformed JSON: " + e.getOriginalMessage());
        }
      }
    }
    if (items.isEmpty()) {
      throw ApiException.badRequest("bad_request", "the body holds no records");
    }
    if (items.size() > MAX_RECORDS) {
      throw new ApiException(
          413, "too_many_records", "at most " + MAX_RECORDS + " records a request");
    }
    return items;
  }

  /**
   * Checks and stores the parsed records as {@code source}. Each batch's transaction also holds an
   * audit entry ({@code records.accepted}, by {@code actor}) for every subject with records
   * accepted in it: a crash cannot keep the records and lose the entries.
   */
  Result submit(SourceId source, List<Object> items, String actor) {
    // One NDJSON line per item; an unreadable item becomes a blank line, which the Importer skips
    // but counts, so line i + 1 is always item i.
    StringBuilder ndjson = new StringBuilder(items.size() * 256);
    for (Object item : items) {
      if (item instanceof ObjectNode o) {
        ndjson.append(o.toString().replace('\n', ' '));
      }
      ndjson.append('\n');
    }
    // Which records were new is what the store said when it stored them: a concurrent request
    // of the same source that holds the same id finds it stored, and calls it a duplicate.
    Set<String> acceptedIds = ConcurrentHashMap.newKeySet();
    Map<Long, org.credo.ingest.Reject> rejects = new HashMap<>();
    ImportSummary summary;
    Store.AlsoWrite auditEntries =
        (c, records, rows, subjectKeys) -> {
          Map<java.nio.ByteBuffer, Integer> bySubject = new java.util.LinkedHashMap<>();
          for (int i = 0; i < records.size(); i++) {
            if (rows[i] > 0) {
              bySubject.merge(java.nio.ByteBuffer.wrap(subjectKeys[i]), 1, Integer::sum);
            }
          }
          Instant now = clock.instant();
          List<AuditEntry> entries = new ArrayList<>(bySubject.size());
          bySubject.forEach(
              (key, n) ->
                  entries.add(
                      new AuditEntry(
                          now,
                          actor,
                          "records.accepted",
                          key.array(),
                          "source=" + source + " accepted=" + n)));
          audit.appendWithin(c, entries);
        };
    try {
      Importer importer =
          new Importer(
              engine.store(),
              engine.activePolicies(clock.instant()),
              clock,
              new Importer.Options(Optional.of(source), false, MAX_RECORDS + 1, Duration.ZERO),
              (records, rows, targets) -> {
                engine.accepted(records, rows, targets);
                records.forEach(r -> acceptedIds.add(r.id()));
              },
              auditEntries);
      summary =
          importer.run(
              new StringReader(ndjson.toString()),
              Importer.Format.NDJSON,
              r -> rejects.put(r.line(), r),
              n -> {});
    } catch (ImportException e) {
      // every item was unreadable: nothing to store
      summary = new ImportSummary(0, 0, 0, 0, 0, 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Outcome> outcomes = new ArrayList<>(items.size());
    Set<String> seen = new HashSet<>();
    long rejected = 0;
    long conflicts = 0;
    for (int i = 0; i < items.size(); i++) {
      Object item = items.get(i);
      if (!(item instanceof ObjectNode o)) {
        outcomes.add(new Outcome(i, Optional.empty(), "rejected", Optional.of((String) item)));
        rejected++;
        continue;
      }
      Optional<String> id =
          o.path("id").isTextual() ? Optional.of(o.get("id").asText()) : Optional.empty();
      org.credo.ingest.Reject reject = rejects.get((long) i + 1);
      if (reject != null && reject.conflict()) {
        outcomes.add(new Outcome(i, id, "conflict", Optional.of(reject.reason())));
        conflicts++;
      } else if (reject != null) {
        outcomes.add(new Outcome(i, id, "rejected", Optional.of(reject.reason())));
        rejected++;
      } else if (id.isEmpty() || !acceptedIds.contains(id.get()) || !seen.add(id.get())) {
        outcomes.add(new Outcome(i, id, "duplicate", Optional.empty()));
      } else {
        outcomes.add(new Outcome(i, id, "accepted", Optional.empty()));
      }
    }
    return new Result(
        new ImportSummary(
            items.size(),
            summary.accepted(),
            summary.duplicate(),
            summary.superseding(),
            summary.retracting(),
            rejected,
            conflicts),
        outcomes);
  }

  private static String brief(IOException e) {
    String m = e instanceof JsonProcessingException j ? j.getOriginalMessage() : String.valueOf(e);
    return m.length() > 200 ? m.substring(0, 200) : m;
  }
}
