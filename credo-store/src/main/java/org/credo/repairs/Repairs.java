package org.credo.repairs;

import static java.util.Objects.requireNonNull;
import static org.credo.store.Jdbc.instant;
import static org.credo.store.Jdbc.micros;
import static org.credo.store.Jdbc.optionalInstant;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.credo.disputes.DisputeException;
import org.credo.dueprocess.DueProcess;
import org.credo.dueprocess.DueProcess.Grant;
import org.credo.engine.Engine;
import org.credo.lists.ListEntry;
import org.credo.lists.ListKind;
import org.credo.notify.Notice;
import org.credo.notify.Outbox;
import org.credo.scoring.Score;
import org.credo.store.Jdbc;
import org.credo.store.Store;
import org.credo.subject.SubjectId;

/**
 * Credit repair (issue #5, item 2): a subject on a black list applies, with evidence, to have the
 * entry ended; the operator grants or refuses it within the deadline. An application still
 * undecided at its deadline is granted — the burden is on the bureau, as with disputes. A granted
 * repair ends the entry from the moment of the grant (see {@link ListDueProcess}); the record and
 * its points stay until its source corrects or retracts it or it expires.
 */
public final class Repairs {
  public static final int MAX_CHARS = 1_000;

  private final Engine engine;
  private final Store store;
  private final Jdbc db;
  private final Duration deadline;
  private final Map<ByteBuffer, List<Grant>> grants = new ConcurrentHashMap<>();

  public Repairs(Engine engine, Duration deadline) {
    this.engine = requireNonNull(engine, "engine is null");
    this.store = engine.store();
    this.db = store.jdbc();
    this.deadline = requireNonNull(deadline, "deadline is null");
    reload();
  }

  /**
   * Reads the granted repairs again: another process (another server on the same store) may have
   * granted some. A {@code org.credo.engine.StoreFollower} calls it when the repairs changed.
   */
  public void reload() {
    Map<ByteBuffer, List<Grant>> fresh = new java.util.HashMap<>();
    db.query(
            "SELECT subject_key, list_name, basis, decided_us, id FROM repairs WHERE state ="
                + " 'granted'",
            rs ->
                Map.entry(
                    ByteBuffer.wrap(rs.getBytes(1)),
                    new Grant(
                        rs.getString(2), rs.getString(3), instant(rs.getLong(4)), rs.getString(5))))
        .forEach(e -> fresh.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
    fresh.forEach((key, list) -> grants.put(key, List.copyOf(list)));
    grants.keySet().retainAll(fresh.keySet());
  }

  /**
   * The marks list repairs owe a streaming deployment's {@code credo.records} (see {@link
   * DueProcess}): each repair granted at or after {@code since}, in the order granted.
   */
  public List<org.credo.records.Record> marks(Instant since) {
    return db.query(
        "SELECT id, subject_key, subject_sealed, list_name, basis, decided_us FROM repairs WHERE"
            + " state = 'granted' AND decided_us >= ? ORDER BY decided_us, id",
        rs ->
            DueProcess.granted(
                rs.getString(1),
                store.keys().openSubject(rs.getBytes(3), rs.getBytes(2)),
                rs.getString(5),
                rs.getString(4),
                instant(rs.getLong(6))),
        micros(since));
  }

  /** Applies to end the subject's entry on black list {@code list}. */
  public Repair apply(SubjectId subject, String list, String evidence, String actor, Instant now) {
    String text = evidence == null ? "" : evidence.strip();
    if (text.isEmpty() || text.length() > MAX_CHARS) {
      throw bad(
          "bad_evidence",
          "a repair application needs evidence (1 to "
              + MAX_CHARS
              + " characters) that the entry's basis is remedied, e.g. the court's receipt");
    }
    ListEntry entry = null;
    for (Score s : engine.scores(subject, now, now)) {
      for (ListEntry e : s.lists()) {
        if (e.list().equals(list)
            && e.kind() == ListKind.BLACK
            && e.recordKey().isPresent()
            && e.until().map(u -> u.isAfter(now)).orElse(true)) {
          entry = e;
        }
      }
    }
    if (entry == null) {
      throw new DisputeException(
          DisputeException.Kind.CONFLICT,
          "not_listed",
          "the subject has no current entry on black list '" + list + "' to repair");
    }
    byte[] key = store.keys().pseudonym(subject);
    boolean pending =
        db.one(
                "SELECT id FROM repairs WHERE subject_key = ? AND list_name = ? AND state ="
                    + " 'open'",
                rs -> rs.getString(1),
                key,
                list)
            .isPresent();
    if (pending) {
      throw new DisputeException(
          DisputeException.Kind.CONFLICT,
          "duplicate_repair",
          "a repair of the entry on '" + list + "' is already waiting for the operator");
    }
    String id = String.format("rep-%012x", ThreadLocalRandom.current().nextLong() >>> 16);
    Instant due = now.plus(deadline);
    String basis = entry.recordKey().get();
    try {
      db.transaction(
          c -> {
            Jdbc.update(
                c,
                "INSERT INTO repairs (id, subject_key, subject_sealed, list_name, basis, evidence,"
                    + " state, opened_us, deadline_us) VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?)",
                id,
                key,
                store.keys().sealSubject(subject),
                list,
                basis,
                store.keys().sealText(text, id),
                micros(now),
                micros(due));
            Outbox.insert(
                c,
                store.keys(),
                subject,
                new Notice(
                    Notice.REPAIR,
                    "Your application to end your entry on '"
                        + list
                        + "' is with the operator, who must decide by "
                        + due
                        + "; if they do not, it is granted.",
                    Map.of("repair", id, "list", list, "state", "open")),
                now);
            return null;
          });
    } catch (org.credo.store.StoreException e) {
      throw new DisputeException(
          DisputeException.Kind.CONFLICT,
          "duplicate_repair",
          "a repair of the entry on '" + list + "' was applied for at the same moment");
    }
    return get(id).orElseThrow();
  }

  /** The operator's decision, before the deadline; a refusal needs a reason. */
  public Repair decide(String id, boolean granted, String reason, String actor, Instant now) {
    Repair r = get(id).orElseThrow(() -> notFound(id));
    if (!r.state().equals("open")) {
      throw new DisputeException(
          DisputeException.Kind.CONFLICT,
          "repair_closed",
          "repair " + id + " was already " + r.state());
    }
    if (!now.isBefore(r.deadline())) {
      expireDue(now);
      throw new DisputeException(
          DisputeException.Kind.CONFLICT,
          "deadline_passed",
          "repair " + id + " had to be decided by " + r.deadline() + "; it is granted");
    }
    String why = reason == null ? "" : reason.strip();
    if (!granted && (why.isEmpty() || why.length() > MAX_CHARS)) {
      throw bad("bad_reason", "a refusal needs a reason of 1 to " + MAX_CHARS + " characters");
    }
    finish(r, granted, why.isEmpty() ? null : why, actor, now);
    return get(id).orElseThrow();
  }

  /** Grants every application the operator left undecided past its deadline. */
  public int expireDue(Instant now) {
    List<String> due =
        db.query(
            "SELECT id FROM repairs WHERE state = 'open' AND deadline_us <= ?",
            rs -> rs.getString(1),
            micros(now));
    for (String id : due) {
      get(id)
          .ifPresent(r -> finish(r, true, "not decided by the deadline", "credo:scheduler", now));
    }
    return due.size();
  }

  private void finish(Repair r, boolean granted, String reason, String actor, Instant now) {
    String state = granted ? "granted" : "refused";
    Object[] subject = new Object[1];
    int n =
        db.transaction(
            c -> {
              int changed =
                  Jdbc.update(
                      c,
                      "UPDATE repairs SET state = ?, decided_us = ?, decided_by = ?, reason = ?"
                          + " WHERE id = ? AND state = 'open'",
                      state,
                      micros(now),
                      actor,
                      store.keys().sealText(reason, r.id()),
                      r.id());
              if (changed == 1) {
                Object[] row =
                    Jdbc.query(
                            c,
                            "SELECT subject_key, subject_sealed FROM repairs WHERE id = ?",
                            rs -> new Object[] {rs.getBytes(1), rs.getBytes(2)},
                            r.id())
                        .get(0);
                byte[] key = (byte[]) row[0];
                SubjectId who = store.keys().openSubject((byte[]) row[1], key);
                subject[0] = key;
                Outbox.insert(
                    c,
                    store.keys(),
                    who,
                    new Notice(
                        Notice.REPAIR,
                        granted
                            ? "Your entry on '" + r.list() + "' has ended: repair granted."
                            : "Your application to end your entry on '"
                                + r.list()
                                + "' was refused: "
                                + reason,
                        Map.of("repair", r.id(), "list", r.list(), "state", state)),
                    now);
              }
              return changed;
            });
    if (n != 1) {
      throw new DisputeException(
          DisputeException.Kind.CONFLICT,
          "repair_closed",
          "repair " + r.id() + " was decided meanwhile; nothing changed");
    }
    if (granted) {
      grant(ByteBuffer.wrap((byte[]) subject[0]), new Grant(r.list(), r.basis(), now, r.id()));
    }
  }

  private void grant(ByteBuffer key, Grant g) {
    grants.merge(
        key,
        List.of(g),
        (a, b) -> {
          List<Grant> all = new ArrayList<>(a);
          all.addAll(b);
          return List.copyOf(all);
        });
  }

  /** The subject's granted repairs (no database read). */
  public List<Grant> grants(byte[] subjectKey) {
    return grants.getOrDefault(ByteBuffer.wrap(subjectKey), List.of());
  }

  public Optional<Repair> get(String id) {
    return db.one("SELECT " + COLUMNS + " FROM repairs WHERE id = ?", this::repair, id);
  }

  /** The pseudonym of the subject whose application {@code id} is. */
  public Optional<byte[]> subjectKeyOf(String id) {
    return db.one("SELECT subject_key FROM repairs WHERE id = ?", rs -> rs.getBytes(1), id);
  }

  public List<Repair> forSubject(SubjectId subject) {
    return db.query(
        "SELECT " + COLUMNS + " FROM repairs WHERE subject_key = ? ORDER BY opened_us DESC",
        this::repair,
        store.keys().pseudonym(subject));
  }

  /** Applications in {@code state} (all when empty), earliest deadline first. */
  public List<Repair> queue(Optional<String> state, int limit) {
    return state.isPresent()
        ? db.query(
            "SELECT " + COLUMNS + " FROM repairs WHERE state = ? ORDER BY deadline_us LIMIT ?",
            this::repair,
            state.get(),
            limit)
        : db.query(
            "SELECT " + COLUMNS + " FROM repairs ORDER BY deadline_us LIMIT ?",
            this::repair,
            limit);
  }

  private static final String COLUMNS =
      "id, list_name, basis, evidence, state, opened_us, deadline_us, decided_us, decided_by,"
          + " reason";

  private Repair repair(java.sql.ResultSet rs) throws java.sql.SQLException {
    String id = rs.getString(1);
    return new Repair(
        id,
        rs.getString(2),
        rs.getString(3),
        store.keys().openText(rs.getString(4), id),
        rs.getString(5),
        instant(rs.getLong(6)),
        instant(rs.getLong(7)),
        optionalInstant(rs, 8),
        Optional.ofNullable(rs.getString(9)),
        Optional.ofNullable(store.keys().openText(rs.getString(10), id)));
  }

  private static DisputeException notFound(String id) {
    return new DisputeException(
        DisputeException.Kind.NOT_FOUND, "unknown_repair", "there is no repair application " + id);
  }

  private static DisputeException bad(String code, String message) {
    return new DisputeException(DisputeException.Kind.BAD_INPUT, code, message);
  }
}
