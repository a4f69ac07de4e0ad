package org.credo.ingest;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.credo.intake.PolicyIntake;
import org.credo.notify.Notice;
import org.credo.notify.Outbox;
import org.credo.notify.RecordNotices;
import org.credo.policy.Policy;
import org.credo.records.Record;
import org.credo.records.RecordFormatException;
import org.credo.records.RecordJson;
import org.credo.records.SourceId;
import org.credo.records.StrictJson;
import org.credo.store.SourceRegistration;
import org.credo.store.Store;

/**
 * Imports records into a store in batches, streaming any file size in constant memory. Each line is
 * parsed and checked — a registered source allowed to submit the type, a type some active policy
 * knows (unless unknown types are allowed), the attributes the rules need, an occurred time not in
 * the future, a superseded or retracted record that exists and is about the same subject — and
 * refused lines are reported with their number and reason. Accepted records are stored one batch
 * per transaction; running the same import twice stores nothing the second time.
 *
 * <p>Why this class is long (~780 lines): the three threads of an import (parse, write, tell the
 * index) hand batches to each other with bounded queues, and the per-line checks and the conflict
 * comparison run on the parsing thread; the format readers are separate classes.
 */
public final class Importer {
  /** The input formats. */
  public enum Format {
    NDJSON,
    CSV;

    /** Parses {@code ndjson} or {@code csv}. */
    public static Format parse(String text) {
      return switch (text.toLowerCase(java.util.Locale.ROOT)) {
        case "ndjson", "jsonl", "json" -> NDJSON;
        case "csv" -> CSV;
        default -> throw new IllegalArgumentException("format '" + text + "' is not ndjson or csv");
      };
    }

    /** The format a file name suggests: {@code .csv} is CSV, anything else NDJSON. */
    public static Format ofFileName(String name) {
      return name.toLowerCase(java.util.Locale.ROOT).endsWith(".csv") ? CSV : NDJSON;
    }
  }

  /**
   * How to import.
   *
   * @param source the source every record comes from (records may then omit it)
   * @param allowUnknownTypes keep records of types no active policy knows (they score zero)
   * @param batchSize records per transaction
   * @param indexCycle while importing, the records' index by subject is written in sweeps of this
   *     cycle and at the end, not with each record ({@link Store#deferSubjectIndex}); zero writes
   *     it with each batch. Nothing changes when the store defers already (a server) or another
   *     process does.
   */
  public record Options(
      Optional<SourceId> source, boolean allowUnknownTypes, int batchSize, Duration indexCycle) {
    /** A bulk import's sweep cycle: what waits in memory is bounded by a minute of records. */
    public static final Duration BULK_INDEX_CYCLE = Duration.ofMinutes(1);

    public Options {
      requireNonNull(source, "source is null");
      requireNonNull(indexCycle, "indexCycle is null");
      if (batchSize < 1) {
        throw new IllegalArgumentException("batchSize must be at least 1");
      }
      if (indexCycle.isNegative()) {
        throw new IllegalArgumentException("indexCycle must not be negative");
      }
    }

    /** A bulk import: the subject index is written in sweeps ({@link #BULK_INDEX_CYCLE}). */
    public Options(Optional<SourceId> source, boolean allowUnknownTypes, int batchSize) {
      this(source, allowUnknownTypes, batchSize, BULK_INDEX_CYCLE);
    }

    public static Options defaults() {
      return new Options(Optional.empty(), false, 10_000);
    }
  }

  private static final ObjectMapper JSON = StrictJson.mapper();

  private final Store store;
  private final List<Policy> policies;
  private final Clock clock;
  private final Options options;
  private final Map<SourceId, Optional<SourceRegistration>> sources = new HashMap<>();
  private final Accepted accepted;
  private final Store.AlsoWrite alsoWrite;

  /**
   * The active record-type catalogue: a type outside it, or an attribute outside its schema, is
   * refused.
   */
  private final Optional<org.credo.catalogue.Catalogue> catalogue;

  /**
   * Told of every batch of records the store has just committed, in order, on a thread of the
   * import's own; {@link #run} returns once every batch has been told.
   */
  @FunctionalInterface
  public interface Accepted {
    /**
     * @param rows each record's new row
     * @param targetRows the row of the record each supersedes or retracts, or 0
     */
    void accepted(List<Record> records, long[] rows, long[] targetRows);
  }

  public Importer(Store store, List<Policy> activePolicies, Clock clock, Options options) {
    this(store, activePolicies, clock, options, (records, rows, targets) -> {});
  }

  public Importer(
      Store store, List<Policy> activePolicies, Clock clock, Options options, Accepted accepted) {
    this(store, activePolicies, clock, options, accepted, (c, records, rows, subjectKeys) -> {});
  }

  /**
   * As {@link #Importer(Store, List, Clock, Options, Accepted)}; {@code alsoWrite} writes rows of
   * other tables (the audit entries of a submission) in each batch's own transaction.
   */
  public Importer(
      Store store,
      List<Policy> activePolicies,
      Clock clock,
      Options options,
      Accepted accepted,
      Store.AlsoWrite alsoWrite) {
    this.alsoWrite = requireNonNull(alsoWrite, "alsoWrite is null");
    this.accepted = requireNonNull(accepted, "accepted is null");
    this.store = requireNonNull(store, "store is null");
    this.policies = List.copyOf(activePolicies);
    this.clock = requireNonNull(clock, "clock is null");
    this.options = requireNonNull(options, "options is null");
    this.catalogue = store.catalogues().active().map(org.credo.store.Catalogues.Active::catalogue);
  }

  /** A record already read as JSON (as the HTTP API reads a body), or why it could not be. */
  public sealed interface Item {
    /** A JSON object to check and store. */
    record Json(ObjectNode record) implements Item {
      public Json {
        requireNonNull(record, "record is null");
      }
    }

    /** Something that is not a record; the caller reports it, the import skips it. */
    record Unreadable(String reason) implements Item {
      public Unreadable {
        requireNonNull(reason, "reason is null");
      }
    }
  }

  /**
   * Imports everything {@code input} holds.
   *
   * @param rejects receives every refused line, in order
   * @param progress receives the number of lines stored or rejected so far, each time a batch has
   *     been committed (called from the writer thread)
   * @throws ImportException when the input is empty or not of the format at all; nothing is stored
   *     then
   */
  public ImportSummary run(
      Reader input, Format format, Consumer<Reject> rejects, Consumer<Long> progress)
      throws IOException {
    return run(Lines.of(input), format, rejects, progress);
  }

  /**
   * Imports everything {@code input} holds, as UTF-8: a line whose bytes are not UTF-8 is a
   * rejected line with its number, and the import goes on (see {@link #run(Reader, Format,
   * Consumer, Consumer)}).
   */
  public ImportSummary run(
      InputStream input, Format format, Consumer<Reject> rejects, Consumer<Long> progress)
      throws IOException {
    return run(Lines.ofUtf8(input), format, rejects, progress);
  }

  private ImportSummary run(
      Lines lines, Format format, Consumer<Reject> rejects, Consumer<Long> progress)
      throws IOException {
    return drive(
        rejects,
        progress,
        batch -> {
          if (format == Format.NDJSON) {
            readNdjson(lines, batch);
          } else {
            readCsv(lines, batch);
          }
        });
  }

  /**
   * Imports records already read, with the same checks and batches as a file: item {@code i} is
   * line {@code i + 1} of the rejects. {@link Item.Unreadable} items are neither stored nor counted
   * here (the caller, which knows why, reports them).
   */
  public ImportSummary run(List<Item> items, Consumer<Reject> rejects) {
    try {
      return drive(
          rejects,
          n -> {},
          batch -> {
            long number = 0;
            for (Item item : items) {
              number++;
              if (item instanceof Item.Json json) {
                batch.lines++;
                try {
                  batch.add(number, json.record());
                } catch (RecordFormatException e) {
                  batch.reject(number, e.getMessage());
                }
                if (batch.size() >= options.batchSize()) {
                  batch.flush();
                }
              }
            }
          });
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private interface Reading {
    void read(Batch batch) throws IOException;
  }

  private ImportSummary drive(Consumer<Reject> rejects, Consumer<Long> progress, Reading reading)
      throws IOException {
    Batch batch = new Batch(rejects, progress);
    // The subject index's rows take a random page each: an import writes them in sweeps instead,
    // and all that still waits at its end (before it returns, so the index is complete then).
    boolean deferred = store.deferSubjectIndex(options.indexCycle());
    try {
      reading.read(batch);
      batch.finish();
    } finally {
      batch.abandon();
      if (deferred) {
        store.stopDeferringSubjectIndex();
      }
    }
    return new ImportSummary(
        batch.lines,
        batch.accepted,
        batch.duplicate,
        batch.superseding,
        batch.retracting,
        batch.rejected,
        batch.conflicts);
  }

  private void readNdjson(Lines lines, Batch batch) throws IOException {
    Lines.Line line;
    long number = 0;
    boolean seenData = false;
    while ((line = lines.next()) != null) {
      number++;
      String text = line.text();
      if (text != null && (text.isBlank() || text.startsWith("#"))) {
        continue;
      }
      if (!seenData && text != null) {
        seenData = true;
        if (!text.stripLeading().startsWith("{")) {
          throw new ImportException(
              "not NDJSON: line " + number + " does not start with '{' (use --format csv?)");
        }
      }
      batch.lines++;
      if (text == null) {
        batch.reject(number, line.undecodable());
      } else {
        try {
          JsonNode node = JSON.readTree(text);
          if (!(node instanceof ObjectNode object)) {
            throw new RecordFormatException("a record must be a JSON object");
          }
          batch.add(number, object);
        } catch (JsonProcessingException e) {
          batch.reject(number, "malformed JSON: " + StrictJson.problem(e));
        } catch (RecordFormatException e) {
          batch.reject(number, e.getMessage());
        }
      }
      if (batch.size() >= options.batchSize()) {
        batch.flush();
      }
    }
    if (!seenData) {
      throw new ImportException("the input holds no records");
    }
  }

  /**
   * CSV, one record a line: the header names the columns; each later line is read on its own, so a
   * line with a quoting error (an unterminated quote, too many or too few values) is a rejected
   * line and the next one is read as usual. Quoted values may hold commas and quotes, not line
   * breaks.
   */
  private void readCsv(Lines lines, Batch batch) throws IOException {
    CsvMapper mapper = new CsvMapper();
    mapper.enable(CsvParser.Feature.TRIM_SPACES);
    mapper.enable(CsvParser.Feature.FAIL_ON_MISSING_COLUMNS);
    mapper.enable(CsvParser.Feature.FAIL_ON_MISSING_HEADER_COLUMNS);
    Lines.Line headerLine;
    long number = 0;
    do {
      headerLine = lines.next();
      number++;
    } while (headerLine != null && headerLine.text() != null && headerLine.text().isBlank());
    if (headerLine == null) {
      throw new ImportException("the input holds no records");
    }
    if (headerLine.text() == null) {
      throw new ImportException("not CSV: the header (line " + number + ") is not UTF-8 text");
    }
    List<String> header;
    try {
      List<String> names =
          mapper
              .readerFor(List.class)
              .with(CsvSchema.emptySchema())
              .<List<String>>readValue(headerLine.text());
      header = names.stream().map(String::trim).toList();
    } catch (IOException | RuntimeException e) {
      throw new ImportException(
          "not CSV: the header cannot be read (" + firstLine(e.getMessage()) + ")");
    }
    for (String required : List.of("id", "subject", "type", "occurred")) {
      if (!header.contains(required)) {
        throw new ImportException(
            "not a records CSV: the header has no '"
                + required
                + "' column (it has "
                + header
                + ")");
      }
    }
    CsvSchema.Builder columns = CsvSchema.builder();
    header.forEach(columns::addColumn);
    var rows = mapper.readerForMapOf(String.class).with(columns.build().withStrictHeaders(false));
    boolean seenData = false;
    Lines.Line line;
    while ((line = lines.next()) != null) {
      number++;
      if (line.text() != null && line.text().isBlank()) {
        continue;
      }
      seenData = true;
      batch.lines++;
      if (line.text() == null) {
        batch.reject(number, line.undecodable());
      } else {
        int control = firstControl(line.text());
        if (control >= 0) {
          // Refused, not trimmed away: the CSV reader would drop one at either end of a value.
          batch.reject(
              number,
              String.format(
                  "the line holds a control character (U+%04X) at column %d",
                  (int) line.text().charAt(control), control + 1));
        } else
          try {
            Map<String, String> row = rows.readValue(line.text());
            if (row.size() != header.size()) {
              throw new RecordFormatException(
                  "malformed CSV: " + row.size() + " values for " + header.size() + " columns");
            }
            batch.add(number, csvRecord(row));
          } catch (RecordFormatException e) {
            batch.reject(number, e.getMessage());
          } catch (IOException | RuntimeException e) {
            batch.reject(number, "malformed CSV: " + csvProblem(e, header.size()));
          }
      }
      if (batch.size() >= options.batchSize()) {
        batch.flush();
      }
    }
    if (!seenData) {
      throw new ImportException("the input holds no records");
    }
  }

  /** The index of the first control character but tab in a CSV line, or -1. */
  private static int firstControl(String line) {
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if ((c < 0x20 && c != '\t') || c == 0x7f) {
        return i;
      }
    }
    return -1;
  }

  /** What is wrong with a CSV line, in the file's terms. */
  private static String csvProblem(Exception e, int columns) {
    String m = firstLine(e.getMessage());
    if (m.contains("Missing closing quote") || m.contains("EOF") && m.contains("quote")) {
      return "a quoted value is not closed on this line";
    }
    if (m.contains("Too many entries") || m.contains("too many")) {
      return "more values than the header's " + columns + " columns";
    }
    if (m.contains("Not enough column values") || m.contains("Missing")) {
      return "fewer values than the header's " + columns + " columns";
    }
    if (m.contains("Unexpected character") && m.contains("quote")) {
      return "a quote in the middle of a value (quote the whole value and double inner quotes)";
    }
    return StrictJson.forPeople(m);
  }

  /** A CSV row as a record object: record columns by name, any other column an attribute. */
  private static ObjectNode csvRecord(Map<String, String> row) {
    ObjectNode node = JSON.createObjectNode();
    ObjectNode attributes = JSON.createObjectNode();
    row.forEach(
        (column, value) -> {
          if (value == null || value.isEmpty()) {
            return;
          }
          String name = column.startsWith("attributes.") ? column.substring(11) : column;
          // Record fields by name; 'attributes' cannot be a column, so it names an attribute.
          if (RecordJson.FIELDS.contains(column) && !column.equals("attributes")) {
            node.put(column, value);
          } else if (value.matches("-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?")) {
            attributes.put(name, Double.parseDouble(value));
          } else if (value.equals("true") || value.equals("false")) {
            attributes.put(name, Boolean.parseBoolean(value));
          } else {
            attributes.put(name, value);
          }
        });
    if (!attributes.isEmpty()) {
      node.set("attributes", attributes);
    }
    return node;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable row";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }

  /**
   * Lines parsed and waiting to be stored. Parsing and checking run on the caller's thread; storing
   * runs on one writer thread, batch after batch in file order, so the two overlap on two cores
   * while links are still resolved against everything stored before. The batches the writer has
   * committed are told ({@link Accepted}, the engine's index) on a third thread, in order, so that
   * the single writer does only what needs the database. At most two batches wait for the writer
   * and two for the teller, which bounds memory.
   */
  private final class Batch {
    final Consumer<Reject> rejects;
    List<Parsed> parsed = new ArrayList<>();
    List<Reject> pendingRejects = new ArrayList<>();
    long lines;
    // written by the writer thread only; read after it has finished
    long accepted;
    long duplicate;
    long superseding;
    long retracting;
    long rejected;
    long conflicts;
    Instant learned;
    final java.util.concurrent.ExecutorService writer = oneThread("credo-import-writer");
    final java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(2);
    final java.util.concurrent.ExecutorService teller = oneThread("credo-import-teller");
    final java.util.concurrent.Semaphore toTell = new java.util.concurrent.Semaphore(2);
    final java.util.concurrent.atomic.AtomicReference<RuntimeException> failure =
        new java.util.concurrent.atomic.AtomicReference<>();

    final Consumer<Long> progress;

    Batch(Consumer<Reject> rejects, Consumer<Long> progress) {
      this.rejects = rejects;
      this.progress = progress;
    }

    int size() {
      return parsed.size();
    }

    void reject(long line, String reason) {
      pendingRejects.add(new Reject(line, reason));
    }

    void add(long line, ObjectNode node) {
      if (learned == null) {
        learned = clock.instant();
      }
      // Credo sets 'learned' itself: a provider's own value is ignored.
      Record record = RecordJson.fromNode(node, options.source(), learned, learned);
      check(record);
      // What the subject is told, and the key (its hash too), worked out here rather than on the
      // single writer.
      String key = record.key();
      key.hashCode();
      Notice notice = RecordNotices.forRecord(policies, record);
      parsed.add(
          new Parsed(
              line,
              record,
              notice == null
                  ? null
                  : Outbox.row(store.keys(), record.subject(), notice, record.learned()),
              key));
    }

    /** Hands the batch to the writer thread and starts a new one. */
    void flush() {
      rethrow();
      List<Parsed> batchParsed = parsed;
      List<Reject> batchRejects = pendingRejects;
      parsed = new ArrayList<>();
      pendingRejects = new ArrayList<>();
      learned = null;
      long linesSoFar = lines;
      inFlight.acquireUninterruptibly();
      writer.execute(
          () -> {
            try {
              if (failure.get() == null) {
                store(batchParsed, batchRejects);
                // Every line up to here is now committed (or rejected): safe to acknowledge.
                progress.accept(linesSoFar);
              }
            } catch (RuntimeException e) {
              failure.compareAndSet(null, e);
            } finally {
              inFlight.release();
            }
          });
    }

    /** Waits for the writer to store every batch handed to it. */
    void finish() {
      flush();
      writer.shutdown();
      try {
        if (!writer.awaitTermination(1, java.util.concurrent.TimeUnit.HOURS)) {
          throw new IllegalStateException("the import writer did not finish");
        }
        // Every batch the writer handed on has been told: scores are current from here on.
        teller.shutdown();
        if (!teller.awaitTermination(1, java.util.concurrent.TimeUnit.HOURS)) {
          throw new IllegalStateException("the import's index updates did not finish");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while storing records", e);
      }
      rethrow();
    }

    void abandon() {
      writer.shutdownNow();
      teller.shutdownNow();
    }

    /** Hands a committed batch to the teller thread, after those before it. */
    private void toldTo(Runnable tell) {
      toTell.acquireUninterruptibly();
      teller.execute(
          () -> {
            try {
              if (failure.get() == null) {
                tell.run();
              }
            } catch (RuntimeException e) {
              failure.compareAndSet(null, e);
            } finally {
              toTell.release();
            }
          });
    }

    private void rethrow() {
      RuntimeException e = failure.get();
      if (e != null) {
        throw e;
      }
    }

    /**
     * On the writer thread: resolves links, stores the batch in one transaction, counts. A record
     * whose (source, id) is stored already, or earlier in the batch, is a duplicate when its
     * content is the same and a conflict when it is not; only those records are read back to
     * compare.
     */
    private void store(List<Parsed> lines, List<Reject> found) {
      List<Reject> batchRejects = new ArrayList<>(found);
      // Which link targets must come from the store: those not earlier in this batch.
      Map<SourceId, List<String>> wanted = new HashMap<>();
      Map<String, Integer> inBatch = new HashMap<>(lines.size() * 2);
      for (Parsed line : lines) {
        line.record().targetKey().ifPresent(t -> Store.wantKey(wanted, t));
      }
      Map<String, Store.Stored> stored = new HashMap<>();
      wanted.forEach(
          (source, ids) ->
              store.existing(source, ids).forEach((id, st) -> stored.put(source + "/" + id, st)));
      List<Record> valid = new ArrayList<>(lines.size());
      List<Long> validLines = new ArrayList<>(lines.size());
      List<Outbox.Row> validNotices = new ArrayList<>(lines.size());
      List<Long> targets = new ArrayList<>(lines.size());
      // Lines repeating the (source, id) of a record earlier in the batch, compared once it is
      // known whether that one was stored now (then with it) or before (then with what is stored).
      List<Repeat> repeats = new ArrayList<>();
      for (Parsed line : lines) {
        Record r = line.record();
        Optional<String> target = r.targetKey();
        long targetRow = 0;
        if (target.isPresent()) {
          String key = target.get();
          String named = r.supersedes().or(r::retracts).orElseThrow();
          Integer earlier = inBatch.get(key);
          Store.Stored before = stored.get(key);
          byte[] subjectKey =
              earlier != null
                  ? store.keys().pseudonym(valid.get(earlier).subject())
                  : before == null ? null : before.subjectKey();
          String verb = r.supersedes().isPresent() ? "supersedes" : "retracts";
          if (subjectKey == null) {
            batchRejects.add(
                new Reject(
                    line.number(),
                    verb + " '" + named + "', which source " + r.source() + " never submitted"));
            continue;
          }
          if (!Arrays.equals(subjectKey, store.keys().pseudonym(r.subject()))) {
            batchRejects.add(
                new Reject(
                    line.number(), verb + " '" + named + "', which is about another subject"));
            continue;
          }
          // A target already stored keeps its row, even when this batch repeats it.
          targetRow = before != null ? before.seq() : -(earlier + 1);
        }
        Integer first = inBatch.putIfAbsent(line.key(), valid.size());
        if (first != null) {
          repeats.add(new Repeat(line.number(), first, r));
          continue;
        }
        valid.add(r);
        validLines.add(line.number());
        validNotices.add(line.notice());
        targets.add(targetRow);
      }
      long[] targetRows = targets.stream().mapToLong(Long::longValue).toArray();
      long[] rows =
          valid.isEmpty()
              ? new long[0]
              : store.append(new Store.Append(valid, targetRows, validNotices, alsoWrite));
      List<Record> fresh = new ArrayList<>(valid.size());
      long[] freshRows = new long[valid.size()];
      long[] freshTargets = new long[valid.size()];
      List<Integer> storedAlready = new ArrayList<>();
      for (int i = 0; i < valid.size(); i++) {
        if (rows[i] > 0) {
          accepted++;
          if (valid.get(i).supersedes().isPresent()) {
            superseding++;
          } else if (valid.get(i).retracts().isPresent()) {
            retracting++;
          }
          long t = targetRows[i];
          freshRows[fresh.size()] = rows[i];
          freshTargets[fresh.size()] = t < 0 ? rows[(int) (-t - 1)] : t;
          fresh.add(valid.get(i));
        } else {
          storedAlready.add(i);
        }
      }
      if (!fresh.isEmpty()) {
        long[] told = Arrays.copyOf(freshRows, fresh.size());
        long[] toldTargets = Arrays.copyOf(freshTargets, fresh.size());
        toldTo(() -> Importer.this.accepted.accepted(fresh, told, toldTargets));
      }
      // Records stored before: read back (those alone) and compared.
      Map<String, Store.StoredRow> before = new HashMap<>();
      if (!storedAlready.isEmpty()) {
        Map<SourceId, List<String>> ids = new HashMap<>();
        for (int i : storedAlready) {
          Record r = valid.get(i);
          ids.computeIfAbsent(r.source(), x -> new ArrayList<>()).add(r.id());
        }
        ids.forEach(
            (source, some) ->
                store
                    .stored(source, some)
                    .forEach((id, row) -> before.put(source + "/" + id, row)));
        for (int i : storedAlready) {
          compare(valid.get(i), before.get(valid.get(i).key()), validLines.get(i), batchRejects);
        }
      }
      for (Repeat repeat : repeats) {
        Record first = valid.get(repeat.first());
        Store.StoredRow row = rows[repeat.first()] > 0 ? null : before.get(first.key());
        if (row != null) {
          compare(repeat.record(), row, repeat.line(), batchRejects);
        } else {
          Record r = repeat.record();
          countOrRefuse(
              differences(first, first.subject().equals(r.subject()), r),
              repeat.line(),
              r,
              batchRejects);
        }
      }
      batchRejects.sort(java.util.Comparator.comparingLong(Reject::line));
      for (Reject r : batchRejects) {
        if (!r.conflict()) {
          rejected++;
        }
      }
      batchRejects.forEach(rejects);
    }

    /** Compares a record with the stored one of the same (source, id), if any, and counts it. */
    private void compare(Record r, Store.StoredRow row, long line, List<Reject> batchRejects) {
      String differs =
          row == null
              ? ""
              : differences(
                  row.toRecord(r.subject()),
                  Arrays.equals(row.subjectKey(), store.keys().pseudonym(r.subject())),
                  r);
      countOrRefuse(differs, line, r, batchRejects);
    }

    /** A duplicate when nothing {@code differs}, else a conflict. */
    private void countOrRefuse(String differs, long line, Record r, List<Reject> batchRejects) {
      if (differs.isEmpty()) {
        duplicate++;
      } else {
        conflicts++;
        batchRejects.add(conflict(line, r, differs));
      }
    }
  }

  /** A line repeating the (source, id) of record {@code first} of its batch. */
  private record Repeat(long line, int first, Record record) {}

  /** The reject of a record whose (source, id) is stored with other content. */
  private static Reject conflict(long line, Record r, String differences) {
    return new Reject(
        line,
        "conflict: record "
            + r.key()
            + " is already stored with different content ("
            + differences
            + "); send a correction with \"supersedes\" instead",
        true);
  }

  /**
   * How the content of {@code sent} differs from that of {@code stored}, a record of the same
   * (source, id) — each field as {@code <field> <stored>, not <sent>}, joined by {@code "; "} — or
   * the empty string when it does not: type, subject, occurred (to the microsecond, as stored),
   * attributes, evidence and links. The learned time is Credo's own and not compared.
   *
   * @param sameSubject whether both are about the same subject (a stored record's subject is known
   *     only by its pseudonym, and is never shown)
   */
  static String differences(Record stored, boolean sameSubject, Record sent) {
    List<String> out = new ArrayList<>();
    if (!stored.type().equals(sent.type())) {
      out.add("type " + stored.type() + ", not " + sent.type());
    }
    if (!sameSubject) {
      out.add("a different subject");
    }
    Instant was = stored.occurred().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    Instant now = sent.occurred().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    if (!was.equals(now)) {
      out.add("occurred " + was + ", not " + now);
    }
    if (!stored.attributes().equals(sent.attributes())) {
      java.util.TreeSet<String> names = new java.util.TreeSet<>(stored.attributes().keySet());
      names.addAll(sent.attributes().keySet());
      for (String name : names) {
        Object a = stored.attributes().get(name);
        Object b = sent.attributes().get(name);
        if (!java.util.Objects.equals(a, b)) {
          out.add("attribute " + name + " " + shown(a) + ", not " + shown(b));
        }
      }
    }
    field(out, "evidence", stored.evidence(), sent.evidence());
    field(out, "supersedes", stored.supersedes(), sent.supersedes());
    field(out, "retracts", stored.retracts(), sent.retracts());
    return String.join("; ", out);
  }

  private static void field(List<String> out, String name, Optional<String> a, Optional<String> b) {
    if (!a.equals(b)) {
      out.add(name + " " + shown(a.orElse(null)) + ", not " + shown(b.orElse(null)));
    }
  }

  /** A value as a reject reason shows it: a whole number without its ".0", text quoted. */
  private static String shown(Object value) {
    if (value == null) {
      return "none";
    }
    if (value instanceof Double d) {
      return d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e15
          ? Long.toString(d.longValue())
          : d.toString();
    }
    if (value instanceof String text) {
      return "\"" + text + "\"";
    }
    return value.toString();
  }

  /** A single daemon thread of that name, running what it is given in order. */
  private static java.util.concurrent.ExecutorService oneThread(String name) {
    return java.util.concurrent.Executors.newSingleThreadExecutor(
        r -> {
          Thread t = new Thread(r, name);
          t.setDaemon(true);
          return t;
        });
  }

  /** A line parsed and checked, waiting to be stored: its record, notice and key. */
  private record Parsed(long number, Record record, Outbox.Row notice, String key) {}

  /** The checks that need no store lookup; a failure is the line's reject reason. */
  private void check(Record r) {
    if (catalogue.isPresent()) {
      Optional<String> refusal = catalogue.get().refusal(r.type(), r.attributes());
      if (refusal.isPresent()) {
        throw new RecordFormatException(refusal.get());
      }
    }
    Optional<SourceRegistration> source = sources.computeIfAbsent(r.source(), store.sources()::get);
    if (source.isEmpty()) {
      throw new RecordFormatException(
          "source '" + r.source() + "' is not registered (credo source add " + r.source() + " …)");
    }
    if (!source.get().allows(r.type())) {
      throw new RecordFormatException(
          "source '"
              + r.source()
              + "' is not registered for type "
              + r.type()
              + " (it may submit "
              + String.join(", ", source.get().typePrefixes())
              + ")");
    }
    if (source.get().kind().isPresent() && catalogue.isPresent()) {
      String kind = source.get().kind().get();
      List<String> allowed =
          catalogue.get().entry(r.type()).map(e -> e.sources()).orElse(List.of());
      if (!allowed.contains(kind)) {
        throw new RecordFormatException(
            "source '"
                + r.source()
                + "' is a "
                + kind
                + "; the catalogue lets only "
                + String.join(", ", allowed)
                + " submit "
                + r.type());
      }
    }
    Optional<String> refused = PolicyIntake.refusal(policies, r, options.allowUnknownTypes());
    if (refused.isPresent()) {
      throw new RecordFormatException(refused.get());
    }
  }

  /**
   * Checks that {@code r} carries every attribute, of the right type, that the rule for its type
   * needs under each of {@code policies} ({@link PolicyIntake#missingAttribute}).
   *
   * @throws RecordFormatException naming the first missing or mistyped attribute
   */
  public static void checkAttributes(List<Policy> policies, Record r) {
    Optional<String> missing = PolicyIntake.missingAttribute(policies, r);
    if (missing.isPresent()) {
      throw new RecordFormatException(missing.get());
    }
  }
}
