package org.credo.app.records;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.credo.app.records.Submission.Fate;
import org.credo.app.records.Submission.Status;
import org.credo.audit.AuditEntry;
import org.credo.audit.AuditLog;
import org.credo.engine.Engine;
import org.credo.ingest.ImportException;
import org.credo.ingest.ImportSummary;
import org.credo.ingest.Importer;
import org.credo.ingest.Reject;
import org.credo.records.SourceId;
import org.credo.store.Store;

/**
 * Records coming in, by either door: a provider's submission over HTTP ({@link #submit}) and an
 * operator's file ({@link #importFile}). Both go through the same {@link Importer} — the same
 * checks, the same idempotency on (source, id), the same batch transactions — and tell the engine's
 * index of what they stored. Each batch's transaction also holds the audit entries about it, so a
 * crash cannot keep the records and lose the entries.
 */
public final class RecordIntake {
  /** The most records one submission may hold. */
  public static final int MAX_RECORDS = 10_000;

  private final Engine engine;
  private final AuditLog audit;
  private final Clock clock;

  public RecordIntake(Engine engine, AuditLog audit, Clock clock) {
    this.engine = requireNonNull(engine, "engine is null");
    this.audit = requireNonNull(audit, "audit is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  /**
   * Checks and stores records a provider sent as {@code source}, already read from the body, and
   * tells each one's fate. Every subject with records accepted gets a {@code records.accepted}
   * entry by {@code actor} in the batch's own transaction. Submissions run concurrently, a source's
   * too (the store's unique (source, id) settles a race); a record that supersedes or retracts
   * another must be sent once that one is acknowledged.
   *
   * @throws IllegalArgumentException above {@link #MAX_RECORDS} items
   */
  public Submission submit(SourceId source, List<Importer.Item> items, String actor) {
    requireNonNull(source, "source is null");
    requireNonNull(actor, "actor is null");
    if (items.size() > MAX_RECORDS) {
      throw new IllegalArgumentException("at most " + MAX_RECORDS + " records a submission");
    }
    // Which records were new is what the store said when it stored them: a concurrent request
    // of the same source that holds the same id finds it stored, and calls it a duplicate.
    Set<String> acceptedIds = ConcurrentHashMap.newKeySet();
    Map<Long, Reject> rejects = new HashMap<>();
    Store.AlsoWrite subjectEntries =
        (c, records, rows, subjectKeys) -> {
          Map<ByteBuffer, Integer> bySubject = new LinkedHashMap<>();
          for (int i = 0; i < records.size(); i++) {
            if (rows[i] > 0) {
              bySubject.merge(ByteBuffer.wrap(subjectKeys[i]), 1, Integer::sum);
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
            subjectEntries);
    ImportSummary stored = importer.run(items, r -> rejects.put(r.line(), r));
    List<Fate> fates = new ArrayList<>(items.size());
    Set<String> seen = new HashSet<>();
    long rejected = 0;
    long conflicts = 0;
    for (int i = 0; i < items.size(); i++) {
      Importer.Item item = items.get(i);
      if (item instanceof Importer.Item.Unreadable u) {
        fates.add(new Fate(i, Optional.empty(), Status.REJECTED, Optional.of(u.reason())));
        rejected++;
        continue;
      }
      var record = ((Importer.Item.Json) item).record();
      Optional<String> id =
          record.path("id").isTextual() ? Optional.of(record.get("id").asText()) : Optional.empty();
      Reject reject = rejects.get((long) i + 1);
      if (reject != null && reject.conflict()) {
        fates.add(new Fate(i, id, Status.CONFLICT, Optional.of(reject.reason())));
        conflicts++;
      } else if (reject != null) {
        fates.add(new Fate(i, id, Status.REJECTED, Optional.of(reject.reason())));
        rejected++;
      } else if (id.isEmpty() || !acceptedIds.contains(id.get()) || !seen.add(id.get())) {
        fates.add(new Fate(i, id, Status.DUPLICATE, Optional.empty()));
      } else {
        fates.add(new Fate(i, id, Status.ACCEPTED, Optional.empty()));
      }
    }
    return new Submission(
        new ImportSummary(
            items.size(),
            stored.accepted(),
            stored.duplicate(),
            stored.superseding(),
            stored.retracting(),
            rejected,
            conflicts),
        fates);
  }

  /**
   * What an operator's import may assume.
   *
   * @param source the source every record is from when the file does not say
   * @param allowUnknownTypes keep records of types no active policy knows (they score zero)
   */
  public record FileOptions(Optional<SourceId> source, boolean allowUnknownTypes) {
    public FileOptions {
      requireNonNull(source, "source is null");
    }
  }

  /**
   * Imports a file of records (UTF-8; a line that is not is a rejected line) as {@code actor}: one
   * {@code import.batch} audit entry per batch that stored records (counts and row range, never a
   * subject) in the batch's own transaction, and one {@code import} entry with the totals at the
   * end.
   *
   * @param rejects receives every refused line, in order
   * @param progress receives the lines stored or rejected so far, after each committed batch
   * @throws ImportException when the input is empty or not of the format at all; nothing is stored
   */
  public ImportSummary importFile(
      InputStream input,
      Importer.Format format,
      FileOptions options,
      String actor,
      Consumer<Reject> rejects,
      Consumer<Long> progress)
      throws IOException {
    requireNonNull(actor, "actor is null");
    Store.AlsoWrite batchEntry =
        (c, records, rows, subjectKeys) -> {
          long[] fresh = Arrays.stream(rows).filter(r -> r > 0).toArray();
          if (fresh.length == 0) {
            return;
          }
          String sources =
              IntStream.range(0, records.size())
                  .filter(i -> rows[i] > 0)
                  .mapToObj(i -> records.get(i).source().value())
                  .distinct()
                  .sorted()
                  .collect(Collectors.joining(","));
          audit.appendWithin(
              c,
              List.of(
                  new AuditEntry(
                      clock.instant(),
                      actor,
                      "import.batch",
                      null,
                      "records="
                          + fresh.length
                          + " rows="
                          + Arrays.stream(fresh).min().orElse(0)
                          + "-"
                          + Arrays.stream(fresh).max().orElse(0)
                          + " sources="
                          + sources)));
        };
    Importer importer =
        new Importer(
            engine.store(),
            engine.activePolicies(clock.instant()),
            clock,
            new Importer.Options(options.source(), options.allowUnknownTypes(), 10_000),
            engine::accepted,
            batchEntry);
    ImportSummary summary = importer.run(input, format, rejects, progress);
    AuditLog.await(
        audit.append(
            new AuditEntry(
                clock.instant(),
                actor,
                "import",
                null,
                "lines="
                    + summary.lines()
                    + " accepted="
                    + summary.accepted()
                    + " duplicate="
                    + summary.duplicate()
                    + " rejected="
                    + summary.rejected()
                    + " conflicts="
                    + summary.conflicts())));
    return summary;
  }

  /** Whether any policy is active now: an import without one stores records nothing scores. */
  public boolean anyPolicyActive() {
    return !engine.activePolicies(clock.instant()).isEmpty();
  }
}
