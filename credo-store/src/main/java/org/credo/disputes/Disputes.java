package org.credo.disputes;

import static java.util.Objects.requireNonNull;
import static org.credo.store.Jdbc.instant;
import static org.credo.store.Jdbc.micros;
import static org.credo.store.Jdbc.optionalInstant;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.credo.dueprocess.DueProcess;
import org.credo.dueprocess.DueProcess.Hold;
import org.credo.engine.Engine;
import org.credo.ingest.Importer;
import org.credo.notify.Notice;
import org.credo.notify.Outbox;
import org.credo.policy.Policy;
import org.credo.policy.TimeSpan;
import org.credo.records.Record;
import org.credo.records.RecordFormatException;
import org.credo.records.SourceId;
import org.credo.store.Jdbc;
import org.credo.store.Store;
import org.credo.subject.SubjectId;

/**
 * The dispute workflow of SPEC §4.5. A subject disputes one of their records with a statement;
 * while the dispute is open the record is flagged in reports and decisions. The record's source (or
 * an operator) answers before the deadline: <em>upheld</em> — Credo writes the correction or
 * withdrawal as a record of that source — or <em>rejected</em> with a reason. A dispute still open
 * at its deadline <em>expires in the subject's favour</em>: Credo writes a retraction of its own
 * (source {@value #CREDO}), so the record counts nothing from then on, and a replay of an earlier
 * moment still sees it. Only the source can bring it back, by re-certifying it.
 *
 * <p>Every outcome is written with deterministic record ids ({@code dispute:ID:…}), so a step cut
 * short by a crash is finished, not doubled, when it runs again; {@link #expireDue} runs from a
 * scheduler and at start-up. Each state change is kept in the dispute's history and the subject is
 * told through the {@link Outbox}.
 *
 * <p>Answers, re-certifications and expiries may race — in one process, or in several on one store
 * (a server's scheduler, {@code credo dispute expire}, another server). The database decides: each
 * closes the dispute with a conditional {@code UPDATE disputes … WHERE id = ? AND state = 'open'}
 * (or {@code 'expired'} for a re-certification) in the transaction that writes its outcome record,
 * event and notice, and only the one whose update changed a row commits; the others roll back
 * having written nothing. On SQLite every write transaction holds the database's write lock from
 * its start ({@code BEGIN IMMEDIATE}), so the contenders run one after the other; on PostgreSQL the
 * second update waits for the first's row lock and, once that commits, finds the state changed and
 * updates nothing. A lock in the JVM could not do this: it does not reach another process.
 *
 * <p>Why this class is long (~830 lines): one workflow — open, answer, expire, re-certify — whose
 * every step writes its outcome, its event and its notice in one guarded transaction; the states
 * are types ({@code DisputeState}), the refusals values ({@code DisputeException.Kind}). Known
 * debt: the queue and the per-subject caches could stand apart.
 */
public final class Disputes {
  /** The source of the records Credo writes itself (suppressions). */
  public static final String CREDO = Record.RESERVED_SOURCE;

  public static final int MAX_WORDS = 100;
  public static final int MAX_CHARS = 1_000;
  private static final TimeSpan DEFAULT_DEADLINE = TimeSpan.parse("P30D");

  /** A source's or operator's answer. */
  public sealed interface Answer {
    /** The source agrees and withdraws the record. */
    record Withdraw(Optional<String> note) implements Answer {}

    /** The source agrees and corrects the record's attributes (and evidence). */
    record Correct(Map<String, Object> attributes, Optional<String> evidence) implements Answer {}

    /** The source stands by the record, for a reason the subject will read. */
    record Reject(String reason) implements Answer {}
  }

  private final Engine engine;
  private final Store store;
  private final Jdbc db;
  private final Map<ByteBuffer, Integer> openBySubject = new ConcurrentHashMap<>();
  private final Map<ByteBuffer, List<Hold>> holds = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicLong ownChanges =
      new java.util.concurrent.atomic.AtomicLong();

  public Disputes(Engine engine) {
    this.engine = requireNonNull(engine, "engine is null");
    this.store = engine.store();
    this.db = store.jdbc();
    reload();
  }

  /**
   * How many changes to the disputes table this instance has made (each one statement on one row),
   * counted before each commits and uncounted when it does not: a {@code
   * org.credo.engine.StoreFollower} tells them from other processes' changes, so a server does not
   * read every dispute back after each of its own.
   */
  public long changesWritten() {
    return ownChanges.get();
  }

  /**
   * Reads every dispute's hold and the open counts again: another process (a {@code credo dispute}
   * command, another server) may have opened, answered or expired disputes. A {@code
   * org.credo.engine.StoreFollower} calls it when the disputes changed.
   */
  public void reload() {
    Map<ByteBuffer, List<Hold>> freshHolds = new HashMap<>();
    Map<ByteBuffer, Integer> freshOpen = new HashMap<>();
    for (Object[] row :
        db.query(
            "SELECT subject_key, source_id, record_id, opened_us, deadline_us, answered_us"
                + " FROM disputes",
            rs -> {
              long answered = rs.getLong(6);
              boolean open = rs.wasNull();
              return new Object[] {
                rs.getBytes(1),
                new Hold(
                    rs.getString(2) + "/" + rs.getString(3),
                    instant(rs.getLong(4)),
                    instant(rs.getLong(5)),
                    open ? Optional.empty() : Optional.of(instant(answered)))
              };
            })) {
      ByteBuffer key = ByteBuffer.wrap((byte[]) row[0]);
      Hold hold = (Hold) row[1];
      freshHolds.computeIfAbsent(key, k -> new ArrayList<>()).add(hold);
      if (hold.answered().isEmpty()) {
        freshOpen.merge(key, 1, Integer::sum);
      }
    }
    freshHolds.forEach((key, list) -> holds.put(key, List.copyOf(list)));
    holds.keySet().retainAll(freshHolds.keySet());
    openBySubject.putAll(freshOpen);
    openBySubject.keySet().retainAll(freshOpen.keySet());
  }

  // ---- opening ---------------------------------------------------------------------------------

  /**
   * Opens a dispute on one of the subject's records.
   *
   * @param recordKey {@code source/id}, as the report shows it
   * @param actor who opened it ({@code subject:TOKEN}, {@code operator:TOKEN} or {@code cli})
   */
  public Dispute open(
      SubjectId subject, String recordKey, String statement, String actor, Instant now) {
    String text = checkStatement(statement);
    int slash = recordKey == null ? -1 : recordKey.indexOf('/');
    if (slash <= 0 || slash == recordKey.length() - 1) {
      throw bad("bad_record", "name the record as source/id, as the report shows it");
    }
    String sourceText = recordKey.substring(0, slash);
    String recordId = recordKey.substring(slash + 1);
    SourceId source;
    try {
      source = SourceId.of(sourceText);
    } catch (IllegalArgumentException e) {
      throw bad("bad_record", "no record " + recordKey + ": " + e.getMessage());
    }
    if (source.value().equals(CREDO)) {
      throw bad(
          "not_disputable",
          "record " + recordKey + " is Credo's own suppression of a disputed record");
    }
    Store.Stored stored = store.existing(source, List.of(recordId)).get(recordId);
    byte[] key = store.keys().pseudonym(subject);
    if (stored == null) {
      throw new DisputeException(
          DisputeException.Kind.NOT_FOUND, "unknown_record", "Credo holds no record " + recordKey);
    }
    if (!java.util.Arrays.equals(stored.subjectKey(), key)) {
      throw new DisputeException(
          DisputeException.Kind.FORBIDDEN,
          "not_your_record",
          "record " + recordKey + " is not about this subject; a subject disputes only its own");
    }
    Record record = store.records(new long[] {stored.seq()}, subject).get(0);
    if (record.retracts().isPresent()) {
      throw bad(
          "not_disputable",
          "record "
              + recordKey
              + " is a retraction, which counts nothing; dispute the record it names instead");
    }
    Optional<Dispute> earlier =
        db.one(
                "SELECT id FROM disputes WHERE record_seq = ? ORDER BY opened_us DESC",
                rs -> rs.getString(1),
                stored.seq())
            .flatMap(this::load);
    if (earlier.isPresent()) {
      Dispute d = earlier.get();
      String why =
          switch (d.state()) {
            case OPEN -> "is already disputed (" + d.id() + ", open until " + d.deadline() + ")";
            case EXPIRED -> "is already suppressed by dispute " + d.id();
            case UPHELD -> "was already disputed and withdrawn or corrected (" + d.id() + ")";
            default ->
                "was already disputed ("
                    + d.id()
                    + ", "
                    + d.state().word()
                    + "); one dispute per record — a correction or re-certification is a new"
                    + " record that may be disputed";
          };
      throw new DisputeException(
          DisputeException.Kind.CONFLICT,
          d.state() == DisputeState.OPEN ? "duplicate_dispute" : "already_disputed",
          "record " + recordKey + " " + why);
    }
    Instant deadline = deadline(subject, now);
    String id = String.format("dsp-%012x", ThreadLocalRandom.current().nextLong() >>> 16);
    ownChanges.incrementAndGet(); // before the commit: see changesWritten
    try {
      db.transaction(
          c -> {
            Jdbc.update(
                c,
                "INSERT INTO disputes (id, subject_key, subject_sealed, record_seq, source_id,"
                    + " record_id, statement, state, opened_us, deadline_us)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)",
                id,
                key,
                store.keys().sealSubject(subject),
                stored.seq(),
                source.value(),
                recordId,
                store.keys().sealText(text, id),
                micros(now),
                micros(deadline));
            event(c, id, DisputeState.OPEN, actor, null, now);
            Outbox.insert(
                c,
                store.keys(),
                subject,
                new Notice(
                    Notice.DISPUTE,
                    "Your dispute of record "
                        + recordKey
                        + " is open. Its source must answer by "
                        + deadline
                        + "; if it does not, the record stops counting.",
                    Map.of("dispute", id, "record", recordKey, "state", "open")),
                now);
            return null;
          });
    } catch (RuntimeException e) {
      ownChanges.decrementAndGet();
      if (e instanceof org.credo.store.StoreException
          && db.one(
                  "SELECT id FROM disputes WHERE record_seq = ?",
                  rs -> rs.getString(1),
                  stored.seq())
              .isPresent()) {
        throw new DisputeException(
            DisputeException.Kind.CONFLICT,
            "duplicate_dispute",
            "record " + recordKey + " was disputed at the same moment by another request");
      }
      throw e;
    }
    openBySubject.merge(ByteBuffer.wrap(key), 1, Integer::sum);
    hold(ByteBuffer.wrap(key), new Hold(recordKey, now, deadline, Optional.empty()));
    return load(id).orElseThrow();
  }

  private static String checkStatement(String statement) {
    String text = statement == null ? "" : statement.strip();
    if (text.isEmpty()) {
      throw bad("bad_statement", "say in a statement (up to 100 words) what is wrong");
    }
    int words = text.split("\\s+").length;
    if (words > MAX_WORDS || text.length() > MAX_CHARS) {
      throw bad(
          "statement_too_long",
          "the statement has "
              + words
              + " words and "
              + text.length()
              + " characters; at most "
              + MAX_WORDS
              + " words and "
              + MAX_CHARS
              + " characters are kept with the record");
    }
    return text;
  }

  /** The shortest dispute deadline of the policies that score the subject (30 days if none). */
  private Instant deadline(SubjectId subject, Instant now) {
    TimeSpan span =
        engine.activePolicies(now).stream()
            .filter(p -> p.subjects().contains(subject.kind()))
            .map(Policy::disputeDeadline)
            .min(Comparator.comparingDouble(TimeSpan::approximateSeconds))
            .orElse(DEFAULT_DEADLINE);
    return span.addTo(now);
  }

  // ---- answering -------------------------------------------------------------------------------

  /**
   * The source's (or an operator's) answer to an open dispute, before its deadline.
   *
   * @param asSource the answering source; empty for an operator
   */
  public Dispute answer(
      String id, Answer answer, Optional<SourceId> asSource, String actor, Instant now) {
    Dispute d = openFor(id, asSource, now, "answer");
    SubjectId subject = subjectOf(id);
    Record original = original(d, subject);
    Record written = null;
    DisputeState state;
    String reason;
    String message;
    if (answer instanceof Answer.Reject reject) {
      reason = reject.reason() == null ? "" : reject.reason().strip();
      if (reason.isEmpty() || reason.length() > MAX_CHARS) {
        throw bad(
            "bad_reason",
            "a rejection needs a reason of 1 to " + MAX_CHARS + " characters for the subject");
      }
      state = DisputeState.REJECTED;
      message =
          "Your dispute of record "
              + d.record()
              + " was rejected: "
              + reason
              + ". Your statement stays with the record.";
    } else {
      if (answer instanceof Answer.Correct correct) {
        if (correct.attributes() == null || correct.attributes().isEmpty()) {
          throw bad("bad_correction", "a correction needs the record's corrected attributes");
        }
        Record corrected;
        try {
          corrected =
              new Record(
                  original.source(),
                  "dispute:" + id + ":corrected",
                  subject,
                  original.type(),
                  original.occurred(),
                  now,
                  correct.attributes(),
                  correct.evidence().or(original::evidence),
                  Optional.of(original.id()),
                  Optional.empty());
        } catch (IllegalArgumentException e) {
          throw bad("bad_correction", e.getMessage());
        }
        checkAttributes(corrected, now);
        written = corrected;
        reason = "corrected";
      } else {
        written =
            new Record(
                original.source(),
                "dispute:" + id + ":withdrawn",
                subject,
                original.type(),
                original.occurred(),
                now,
                Map.of(),
                ((Answer.Withdraw) answer).note(),
                Optional.empty(),
                Optional.of(original.id()));
        reason = "withdrawn";
      }
      state = DisputeState.UPHELD;
      message =
          "Your dispute of record "
              + d.record()
              + " was upheld: the source "
              + reason
              + " it"
              + (reason.equals("corrected") ? " (now " + written.key() + ")." : ".");
    }
    if (!settle(d, subject, "open", state, actor, reason, written, message, now)) {
      throw closedMeanwhile(d);
    }
    return load(id).orElseThrow();
  }

  /**
   * The source brings back a record its dispute suppressed, with evidence; the subject is told. The
   * record counts again from now on (a new record of the source, superseding the old one).
   */
  public Dispute recertify(
      String id, Optional<SourceId> asSource, String evidence, String actor, Instant now) {
    Dispute d = load(id).orElseThrow(() -> notFound(id));
    checkSource(d, asSource);
    if (d.state() != DisputeState.EXPIRED) {
      throw new DisputeException(
          DisputeException.Kind.CONFLICT,
          "not_suppressed",
          "dispute "
              + id
              + " is "
              + d.state().word()
              + "; only a record suppressed by an expired dispute can be re-certified");
    }
    String text = evidence == null ? "" : evidence.strip();
    if (text.isEmpty() || text.length() > MAX_CHARS) {
      throw bad(
          "bad_evidence",
          "re-certifying needs evidence (1 to " + MAX_CHARS + " characters) the subject can read");
    }
    SubjectId subject = subjectOf(id);
    Record original = original(d, subject);
    Record copy =
        new Record(
            original.source(),
            "dispute:" + id + ":recertified",
            subject,
            original.type(),
            original.occurred(),
            now,
            original.attributes(),
            Optional.of(text),
            Optional.of(original.id()),
            Optional.empty());
    String message =
        "The source of record "
            + d.record()
            + " re-certified it after your dispute had suppressed it; it counts again (as "
            + copy.key()
            + "). Evidence: "
            + text;
    if (!settle(d, subject, "expired", DisputeState.RECERTIFIED, actor, text, copy, message, now)) {
      throw new DisputeException(
          DisputeException.Kind.CONFLICT,
          "not_suppressed",
          "dispute " + id + " was re-certified meanwhile; nothing changed");
    }
    return load(id).orElseThrow();
  }

  /**
   * Suppresses the records of every open dispute whose deadline has passed: the scheduler's job.
   * Safe to run again after a crash at any point.
   *
   * @return how many disputes expired
   */
  public int expireDue(Instant now) {
    List<String> due =
        db.query(
            "SELECT id FROM disputes WHERE state = 'open' AND deadline_us <= ? ORDER BY"
                + " deadline_us",
            rs -> rs.getString(1),
            micros(now));
    int expired = 0;
    for (String id : due) {
      Dispute d = load(id).orElseThrow();
      SubjectId subject = subjectOf(id);
      Record original = original(d, subject);
      Record suppression =
          new Record(
              SourceId.of(CREDO),
              "dispute:" + id + ":suppressed",
              subject,
              original.type(),
              original.occurred(),
              now,
              Map.of(),
              Optional.of("dispute " + id + " was not answered by its deadline " + d.deadline()),
              Optional.empty(),
              Optional.of(d.record()));
      boolean won =
          settle(
              d,
              subject,
              "open",
              DisputeState.EXPIRED,
              "credo:scheduler",
              "not answered by the deadline",
              suppression,
              "The source of record "
                  + d.record()
                  + " did not answer your dispute by "
                  + d.deadline()
                  + ", so the record no longer counts. It can come back only if the source"
                  + " re-certifies it, and you will be told.",
              now);
      if (won) {
        expired++; // else answered or expired meanwhile, here or by another process
      }
    }
    return expired;
  }

  /** Thrown inside a transaction that lost the race for a dispute: rolls it back. */
  private static final class Lost extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Lost() {
      super(null, null, false, false);
    }
  }

  /**
   * Moves a dispute from state {@code from} to {@code state} in one transaction with its outcome
   * record {@code written} (if any; it supersedes or retracts the disputed record), the event and
   * the subject's notice. The transaction first claims the dispute — {@code UPDATE … WHERE id = ?
   * AND state = from} — and writes nothing when that changes no row.
   *
   * @return whether this call moved it; false when another request or process did first
   */
  private boolean settle(
      Dispute d,
      SubjectId subject,
      String from,
      DisputeState state,
      String actor,
      String reason,
      Record written,
      String message,
      Instant now) {
    Store.AlsoWrite claim =
        (c, records, rows, subjectKeys) -> {
          boolean closing = from.equals("open");
          int n =
              Jdbc.update(
                  c,
                  "UPDATE disputes SET state = ?"
                      + (closing ? ", answered_us = ?, answered_by = ?, reason = ?" : "")
                      + ", result_seq = (SELECT seq FROM records WHERE source_id = ? AND"
                      + " record_id = ?) WHERE id = ? AND state = ?",
                  closing
                      ? new Object[] {
                        state.word(),
                        micros(now),
                        actor,
                        store.keys().sealText(reason, d.id()),
                        written == null ? null : written.source().value(),
                        written == null ? null : written.id(),
                        d.id(),
                        from
                      }
                      : new Object[] {
                        state.word(), written.source().value(), written.id(), d.id(), from
                      });
          if (n == 0) {
            throw new Lost();
          }
          event(c, d.id(), state, actor, reason, now);
          Outbox.insert(
              c,
              store.keys(),
              subject,
              new Notice(
                  Notice.DISPUTE,
                  message,
                  Map.of("dispute", d.id(), "record", d.record(), "state", state.word())),
              now);
        };
    ownChanges.incrementAndGet(); // before the commit: see changesWritten
    try {
      if (written == null) {
        db.transaction(
            c -> {
              claim.write(c, List.of(), new long[0], new byte[0][]);
              return null;
            });
      } else {
        long[] target = {recordSeq(d.id())};
        long[] rows =
            store.append(
                new Store.Append(
                    List.of(written), target, java.util.Collections.nCopies(1, null), claim));
        if (rows[0] > 0) {
          engine.accepted(List.of(written), rows, target);
        }
      }
    } catch (Lost e) {
      ownChanges.decrementAndGet();
      return false;
    } catch (RuntimeException e) {
      ownChanges.decrementAndGet();
      throw e;
    }
    if (from.equals("open")) {
      ByteBuffer key = ByteBuffer.wrap(store.keys().pseudonym(subject));
      openBySubject.computeIfPresent(key, (k, v) -> v <= 1 ? null : v - 1);
      holds.computeIfPresent(
          key,
          (k, list) ->
              list.stream()
                  .map(
                      h ->
                          h.record().equals(d.record()) && h.opened().equals(d.opened())
                              ? new Hold(h.record(), h.opened(), h.deadline(), Optional.of(now))
                              : h)
                  .toList());
    }
    return true;
  }

  private static DisputeException closedMeanwhile(Dispute d) {
    return new DisputeException(
        DisputeException.Kind.CONFLICT,
        "dispute_closed",
        "dispute " + d.id() + " was answered or expired meanwhile; nothing changed");
  }

  private Dispute openFor(String id, Optional<SourceId> asSource, Instant now, String verb) {
    Dispute d = load(id).orElseThrow(() -> notFound(id));
    checkSource(d, asSource);
    if (d.state() != DisputeState.OPEN) {
      throw new DisputeException(
          DisputeException.Kind.CONFLICT,
          "dispute_closed",
          "dispute " + id + " is already " + d.state().word() + "; it cannot be answered again");
    }
    if (!now.isBefore(d.deadline())) {
      expireDue(now);
      throw new DisputeException(
          DisputeException.Kind.CONFLICT,
          "deadline_passed",
          "dispute "
              + id
              + " had to be answered by "
              + d.deadline()
              + "; the record is now suppressed (the source may re-certify it)");
    }
    return d;
  }

  private static void checkSource(Dispute d, Optional<SourceId> asSource) {
    if (asSource.isPresent() && !asSource.get().value().equals(d.source())) {
      throw new DisputeException(
          DisputeException.Kind.FORBIDDEN,
          "not_your_dispute",
          "dispute " + d.id() + " is about a record of source " + d.source() + ", not yours");
    }
  }

  /** A correction must carry the attributes every active policy's rule for its type needs. */
  private void checkAttributes(Record r, Instant now) {
    try {
      Importer.checkAttributes(engine.activePolicies(now), r);
    } catch (RecordFormatException e) {
      throw bad("bad_correction", e.getMessage());
    }
  }

  private Record original(Dispute d, SubjectId subject) {
    return store.records(new long[] {recordSeq(d.id())}, subject).get(0);
  }

  private long recordSeq(String id) {
    return db.one("SELECT record_seq FROM disputes WHERE id = ?", rs -> rs.getLong(1), id)
        .orElseThrow(() -> notFound(id));
  }

  private SubjectId subjectOf(String id) {
    return db.one(
            "SELECT subject_key, subject_sealed FROM disputes WHERE id = ?",
            rs -> store.keys().openSubject(rs.getBytes(2), rs.getBytes(1)),
            id)
        .orElseThrow(() -> notFound(id));
  }

  private void event(
      Connection c, String id, DisputeState state, String actor, String note, Instant at)
      throws SQLException {
    Jdbc.update(
        c,
        "INSERT INTO dispute_events (dispute_id, at_us, state, actor, note) VALUES (?, ?, ?, ?,"
            + " ?)",
        id,
        micros(at),
        state.word(),
        actor,
        store.keys().sealText(note, id));
  }

  // ---- reading ---------------------------------------------------------------------------------

  public Optional<Dispute> get(String id) {
    return load(id);
  }

  /** The pseudonym of the subject whose dispute {@code id} is. */
  public Optional<byte[]> subjectKeyOf(String id) {
    return db.one("SELECT subject_key FROM disputes WHERE id = ?", rs -> rs.getBytes(1), id);
  }

  /** The subject's disputes, newest first. */
  public List<Dispute> forSubject(SubjectId subject) {
    return loadAll(
        db.query(
            "SELECT id FROM disputes WHERE subject_key = ? ORDER BY opened_us DESC",
            rs -> rs.getString(1),
            store.keys().pseudonym(subject)));
  }

  private void hold(ByteBuffer key, Hold hold) {
    holds.merge(
        key,
        List.of(hold),
        (a, b) -> {
          List<Hold> all = new ArrayList<>(a);
          all.addAll(b);
          return List.copyOf(all);
        });
  }

  /** Every dispute the subject ever opened, as list due process needs them (no database read). */
  public List<Hold> holds(byte[] subjectKey) {
    return holds.getOrDefault(ByteBuffer.wrap(subjectKey), List.of());
  }

  /**
   * What the dispute desk owes a streaming deployment's {@code credo.records} (see {@link
   * DueProcess}) for the steps taken at or after {@code since}, in the order they were taken: each
   * dispute's opening mark, its answer mark, and the record the desk wrote as its outcome (a
   * correction or withdrawal on the source's behalf, a suppression, a re-certification).
   */
  public List<Record> marks(Instant since) {
    List<Record> out = new ArrayList<>();
    for (Object[] row :
        db.query(
            "SELECT id, subject_key, subject_sealed, source_id, record_id, opened_us,"
                + " deadline_us, answered_us, state, result_seq FROM disputes ORDER BY opened_us,"
                + " id",
            rs -> {
              long answered = rs.getLong(8);
              return new Object[] {
                rs.getString(1),
                store.keys().openSubject(rs.getBytes(3), rs.getBytes(2)),
                rs.getString(4) + "/" + rs.getString(5),
                instant(rs.getLong(6)),
                instant(rs.getLong(7)),
                rs.wasNull() ? null : instant(answered),
                rs.getString(9),
                rs.getObject(10) == null ? null : rs.getLong(10)
              };
            })) {
      String id = (String) row[0];
      SubjectId subject = (SubjectId) row[1];
      Instant opened = (Instant) row[3];
      Instant answered = (Instant) row[5];
      if (!opened.isBefore(since)) {
        out.add(DueProcess.opened(id, subject, (String) row[2], opened, (Instant) row[4]));
      }
      DisputeState state = DisputeState.parse((String) row[6]);
      List<Record> written = new ArrayList<>();
      if (row[7] != null) {
        // What the desk wrote as the outcome: a correction or withdrawal on the source's behalf,
        // Credo's suppression, a re-certification. Each travels as the record it is.
        written.addAll(store.records(new long[] {(Long) row[7]}, subject));
      }
      if (state == DisputeState.RECERTIFIED) {
        String suppressed = "dispute:" + id + ":suppressed";
        store.records(subject).stream()
            .filter(r -> r.source().value().equals(CREDO) && r.id().equals(suppressed))
            .forEach(written::add);
      } else if (state != DisputeState.EXPIRED && answered != null) {
        written.add(DueProcess.answered(id, subject, answered));
      }
      written.stream().filter(r -> !r.learned().isBefore(since)).forEach(out::add);
    }
    out.sort(java.util.Comparator.comparing(Record::learned));
    return out;
  }

  /** How many of the subject's disputes are open (no database read). */
  public int openCount(SubjectId subject) {
    return openBySubject.getOrDefault(ByteBuffer.wrap(store.keys().pseudonym(subject)), 0);
  }

  /**
   * The queue: disputes in {@code state} (all when empty), of {@code source} (all when empty),
   * earliest deadline first.
   */
  public List<Dispute> queue(Optional<DisputeState> state, Optional<SourceId> source, int limit) {
    List<Object> args = new ArrayList<>();
    StringBuilder sql = new StringBuilder("SELECT id FROM disputes WHERE 1 = 1");
    state.ifPresent(
        s -> {
          sql.append(" AND state = ?");
          args.add(s.word());
        });
    source.ifPresent(
        s -> {
          sql.append(" AND source_id = ?");
          args.add(s.value());
        });
    sql.append(" ORDER BY deadline_us, opened_us LIMIT ?");
    args.add(limit);
    return loadAll(db.query(sql.toString(), rs -> rs.getString(1), args.toArray()));
  }

  /** Per source: disputes, upheld, and answer times in seconds (for accountability). */
  public Map<String, List<long[]>> answersBySource() {
    Map<String, List<long[]>> out = new HashMap<>();
    db.query(
            "SELECT source_id, state, opened_us, answered_us FROM disputes",
            rs -> {
              long answered = rs.getLong(4);
              boolean none = rs.wasNull();
              return new Object[] {
                rs.getString(1),
                new long[] {
                  DisputeState.parse(rs.getString(2)).ordinal(),
                  none ? -1 : (answered - rs.getLong(3)) / 1_000_000
                }
              };
            })
        .forEach(
            row ->
                out.computeIfAbsent((String) row[0], k -> new ArrayList<>()).add((long[]) row[1]));
    return out;
  }

  private List<Dispute> loadAll(List<String> ids) {
    List<Dispute> out = new ArrayList<>(ids.size());
    ids.forEach(id -> load(id).ifPresent(out::add));
    return out;
  }

  private Optional<Dispute> load(String id) {
    List<Dispute.Event> history =
        db.query(
            "SELECT at_us, state, actor, note FROM dispute_events WHERE dispute_id = ? ORDER BY"
                + " at_us",
            rs ->
                new Dispute.Event(
                    instant(rs.getLong(1)),
                    DisputeState.parse(rs.getString(2)),
                    rs.getString(3),
                    Optional.ofNullable(store.keys().openText(rs.getString(4), id))),
            id);
    return db.one(
        "SELECT d.id, d.source_id, d.record_id, d.statement, d.state, d.opened_us,"
            + " d.deadline_us, d.answered_us, d.answered_by, d.reason, r.source_id, r.record_id"
            + " FROM disputes d LEFT JOIN records r ON r.seq = d.result_seq WHERE d.id = ?",
        rs -> dispute(rs, history),
        id);
  }

  private Dispute dispute(ResultSet rs, List<Dispute.Event> history) throws SQLException {
    String resultSource = rs.getString(11);
    String id = rs.getString(1);
    return new Dispute(
        id,
        rs.getString(2) + "/" + rs.getString(3),
        rs.getString(2),
        store.keys().openText(rs.getString(4), id),
        DisputeState.parse(rs.getString(5)),
        instant(rs.getLong(6)),
        instant(rs.getLong(7)),
        optionalInstant(rs, 8),
        Optional.ofNullable(rs.getString(9)),
        Optional.ofNullable(store.keys().openText(rs.getString(10), id)),
        resultSource == null
            ? Optional.empty()
            : Optional.of(resultSource + "/" + rs.getString(12)),
        history);
  }

  private static DisputeException notFound(String id) {
    return new DisputeException(
        DisputeException.Kind.NOT_FOUND, "unknown_dispute", "there is no dispute " + id);
  }

  private static DisputeException bad(String code, String message) {
    return new DisputeException(DisputeException.Kind.BAD_INPUT, code, message);
  }
}
