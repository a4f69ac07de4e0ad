package org.credo.ingest;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.BufferedReader;
import java.io.IOException;
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
import org.credo.notify.Notice;
import org.credo.notify.Outbox;
import org.credo.notify.RecordNotices;
import org.credo.policy.AttributeType;
import org.credo.policy.Policy;
import org.credo.policy.Rule;
import org.credo.records.Record;
import org.credo.records.RecordFormatException;
import org.credo.records.RecordJson;
import org.credo.records.SourceId;
import org.credo.store.SourceRegistration;
import org.credo.store.Store;

/**
 * Imports records into a store in batches, streaming any file size in constant memory. Each line is
 * parsed and checked — a registered source allowed to submit the type, a type some active policy
 * knows (unless unknown types are allowed), the attributes the rules need, an occurred time not in
 * the future, a superseded or retracted record that exists and is about the same subject — and
 * refused lines are reported with their number and reason. Accepted records are stored one batch
 * per transaction; running the same import twice stores nothing the second time.
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

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Store store;
  private final List<Policy> policies;
  private final Clock clock;
  private final Options options;
  private final Map<SourceId, Optional<SourceRegistration>> sources = new HashMap<>();
  private final Accepted accepted;
  private final Store.AlsoWrite alsoWrite;

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
    Batch batch = new Batch(rejects, progress);
    // The subject index's rows take a random page each: an import writes them in sweeps instead,
    // and all that still waits at its end (before it returns, so the index is complete then).
    boolean deferred = store.deferSubjectIndex(options.indexCycle());
    try {
      if (format == Format.NDJSON) {
        readNdjson(new BufferedReader(input, 1 << 16), batch);
      } else {
        readCsv(input, batch);
      }
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
        batch.rejected);
  }

  private void readNdjson(BufferedReader reader, Batch batch) throws IOException {
    String line;
    long number = 0;
    boolean seenData = false;
    while ((line = reader.readLine()) != null) {
      number++;
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      if (!seenData) {
        seenData = true;
        String start = line.stripLeading();
        if (!start.startsWith("{")) {
          throw new ImportException(
              "not NDJSON: line " + number + " does not start with '{' (use --format csv?)");
        }
      }
      batch.lines++;
      try {
        JsonNode node = JSON.readTree(line);
        if (!(node instanceof ObjectNode object)) {
          throw new RecordFormatException("a record must be a JSON object");
        }
        batch.add(number, object);
      } catch (JsonProcessingException e) {
        batch.reject(number, "malformed JSON: " + e.getOriginalMessage());
      } catch (RecordFormatException e) {
        batch.reject(number, e.getMessage());
      }
      if (batch.size() >= options.batchSize()) {
        batch.flush();
      }
    }
    if (!seenData) {
      throw new ImportException("the input holds no records");
    }
  }

  private void readCsv(Reader input, Batch batch) throws IOException {
    CsvMapper mapper = new CsvMapper();
    mapper.enable(CsvParser.Feature.TRIM_SPACES);
    mapper.enable(CsvParser.Feature.FAIL_ON_MISSING_COLUMNS);
    CsvSchema schema = CsvSchema.emptySchema().withHeader();
    MappingIterator<Map<String, String>> rows;
    try {
      rows = mapper.readerForMapOf(String.class).with(schema).readValues(input);
    } catch (IOException e) {
      throw new ImportException("not CSV: " + e.getMessage());
    }
    List<String> header;
    try {
      if (!rows.hasNextValue()) {
        throw new ImportException("the input holds no records");
      }
      header = ((CsvSchema) rows.getParserSchema()).getColumnNames();
    } catch (IOException e) {
      throw new ImportException("not CSV: " + e.getMessage());
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
    while (true) {
      long number = -1;
      Map<String, String> row;
      try {
        if (!rows.hasNextValue()) {
          break;
        }
        // The parser still stands on the previous row's (or the header's) last token: this row
        // starts on the next line, even when quoted fields span several lines.
        number = rows.getParser().currentTokenLocation().getLineNr() + 1;
        row = rows.nextValue();
      } catch (RuntimeException | IOException e) {
        long at =
            number > 0
                ? number
                : rows.getCurrentLocation() == null ? 0 : rows.getCurrentLocation().getLineNr();
        batch.lines++;
        batch.reject(at, "malformed CSV: " + firstLine(e.getMessage()));
        if (e instanceof IOException && !(e instanceof JsonProcessingException)) {
          throw (IOException) e;
        }
        continue;
      }
      batch.lines++;
      try {
        batch.add(number, csvRecord(row));
      } catch (RecordFormatException e) {
        batch.reject(number, e.getMessage());
      }
      if (batch.size() >= options.batchSize()) {
        batch.flush();
      }
    }
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

    /** On the writer thread: resolves links, stores the batch in one transaction, counts. */
    private void store(List<Parsed> lines, List<Reject> found) {
      List<Reject> batchRejects = new ArrayList<>(found);
      // Which link targets must come from the store: those not earlier in this batch.
      Map<SourceId, List<String>> wanted = new HashMap<>();
      Map<String, Integer> inBatch = new HashMap<>(lines.size() * 2);
      for (Parsed line : lines) {
        Record r = line.record();
        Optional<String> target = r.supersedes().or(r::retracts);
        if (target.isPresent()) {
          wanted.computeIfAbsent(r.source(), s -> new ArrayList<>()).add(target.get());
        }
      }
      Map<String, Store.Stored> stored = new HashMap<>();
      wanted.forEach(
          (source, ids) ->
              store.existing(source, ids).forEach((id, st) -> stored.put(source + "/" + id, st)));
      List<Record> valid = new ArrayList<>(lines.size());
      List<Outbox.Row> validNotices = new ArrayList<>(lines.size());
      List<Long> targets = new ArrayList<>(lines.size());
      for (Parsed line : lines) {
        Record r = line.record();
        Optional<String> target = r.supersedes().or(r::retracts);
        long targetRow = 0;
        if (target.isPresent()) {
          String key = r.source() + "/" + target.get();
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
                    verb
                        + " '"
                        + target.get()
                        + "', which source "
                        + r.source()
                        + " never submitted"));
            continue;
          }
          if (!Arrays.equals(subjectKey, store.keys().pseudonym(r.subject()))) {
            batchRejects.add(
                new Reject(
                    line.number(),
                    verb + " '" + target.get() + "', which is about another subject"));
            continue;
          }
          // A target already stored keeps its row, even when this batch repeats it.
          targetRow = before != null ? before.seq() : -(earlier + 1);
        }
        if (inBatch.putIfAbsent(line.key(), valid.size()) != null) {
          duplicate++;
          continue;
        }
        valid.add(r);
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
          duplicate++;
        }
      }
      if (!fresh.isEmpty()) {
        long[] told = Arrays.copyOf(freshRows, fresh.size());
        long[] toldTargets = Arrays.copyOf(freshTargets, fresh.size());
        toldTo(() -> Importer.this.accepted.accepted(fresh, told, toldTargets));
      }
      batchRejects.sort(java.util.Comparator.comparingLong(Reject::line));
      rejected += batchRejects.size();
      batchRejects.forEach(rejects);
    }
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
    Optional<SourceRegistration> source = sources.computeIfAbsent(r.source(), store::source);
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
    boolean known = checkAttributes(policies, r);
    if (!known
        && !options.allowUnknownTypes()
        && r.supersedes().isEmpty()
        && r.retracts().isEmpty()) {
      throw new RecordFormatException(
          "no active policy knows type "
              + r.type()
              + (policies.isEmpty() ? " (no policy is active: credo policy activate FILE)" : ""));
    }
  }

  /**
   * Checks that {@code r} carries every attribute, of the right type, that the rule for its type
   * needs under each of {@code policies}.
   *
   * @return whether any of the policies knows the type
   * @throws RecordFormatException naming the first missing or mistyped attribute
   */
  public static boolean checkAttributes(List<Policy> policies, Record r) {
    boolean known = false;
    for (Policy policy : policies) {
      Optional<Rule> rule = policy.rule(r.type());
      if (rule.isEmpty()) {
        continue;
      }
      known = true;
      for (Map.Entry<String, AttributeType> a : rule.get().attributes().entrySet()) {
        Object value = r.attributes().get(a.getKey());
        if (value == null || !a.getValue().accepts(value)) {
          throw new RecordFormatException(
              "type "
                  + r.type()
                  + " needs attribute '"
                  + a.getKey()
                  + "' ("
                  + a.getValue().word()
                  + ") under policy "
                  + policy.ref());
        }
      }
    }
    return known;
  }
}
