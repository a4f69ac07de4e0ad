package org.credo.access;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;
import org.credo.audit.AuditEntry;
import org.credo.audit.AuditLog;
import org.credo.policy.PolicyRef;
import org.credo.policy.Purpose;
import org.credo.store.Jdbc;
import org.credo.store.Store;
import org.credo.subject.SubjectId;

/**
 * The inquiry log, written with the audit log's group commit. Every decision appends its inquiry
 * and waits for the future this returns: the inquiry row rides as a companion of the decision's
 * audit entry, so one transaction of the audit writer holds both, and the decision is never
 * answered before they are durable. Thousands of decisions a second share a few commits: while one
 * commit runs, the next batch gathers. Nothing waits on a timer; at low load a batch holds one
 * inquiry and commits at once.
 */
public final class InquiryLog {
  /** Thrown (through the future) when an inquiry cannot be written: the decision is withheld. */
  public static final class Unavailable extends RuntimeException {
    public Unavailable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private static final String INSERT =
      "INSERT INTO inquiries (subject_key, party_id, purpose, outcome, policy_id,"
          + " policy_version, decision_id, at_us) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

  /** How the detail of an audit entry that holds an inquiry starts. */
  static final String DETAIL = "inquiry: ";

  private final Store store;
  private final Jdbc db;
  private final AuditLog audit;
  private final LongAdder written = new LongAdder();

  /** Inquiries written through {@code audit}, which its owner starts and closes. */
  public InquiryLog(Store store, AuditLog audit) {
    this.store = requireNonNull(store, "store is null");
    this.audit = requireNonNull(audit, "audit is null");
    this.db = new Jdbc(store.dataSource());
  }

  /** Queues an inquiry with an audit entry by its party, action {@code inquiry}. */
  public CompletableFuture<Void> append(SubjectId subject, Inquiry inquiry) {
    return append(subject, inquiry, inquiry.party(), "inquiry");
  }

  /**
   * Queues an inquiry about {@code subject} and its audit entry ({@code actor}, {@code action}; the
   * detail names the party, purpose, outcome, policy and decision id). The future completes once
   * both are committed, or fails with {@link Unavailable} if the log is full, closed, or the
   * database refused it.
   */
  public CompletableFuture<Void> append(
      SubjectId subject, Inquiry inquiry, String actor, String action) {
    return append(subject, inquiry, actor, action, List.of());
  }

  /**
   * As {@link #append(SubjectId, Inquiry, String, String)}, with rows of other tables (e.g. a
   * notice to the subject) written in the same transaction.
   */
  public CompletableFuture<Void> append(
      SubjectId subject,
      Inquiry inquiry,
      String actor,
      String action,
      List<AuditLog.Companion> more) {
    byte[] key = store.keys().pseudonym(subject);
    AuditEntry entry = new AuditEntry(inquiry.at(), actor, action, key, detail(inquiry));
    List<AuditLog.Companion> rows = more;
    if (!audit.enabled()) {
      // No audit entry will hold it: the inquiry gets a row of its own.
      AuditLog.Companion row =
          new AuditLog.Companion(
              INSERT,
              key,
              inquiry.party(),
              inquiry.purpose().name(),
              inquiry.outcome(),
              inquiry.policy().map(PolicyRef::id).orElse(null),
              inquiry.policy().map(r -> (Object) r.version()).orElse(null),
              inquiry.decisionId(),
              Jdbc.micros(inquiry.at()));
      rows = more.isEmpty() ? List.of(row) : concat(row, more);
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    audit
        .append(entry, rows)
        .whenComplete(
            (seq, failure) -> {
              if (failure == null) {
                written.increment();
                done.complete(null);
              } else {
                done.completeExceptionally(
                    new Unavailable(
                        "cannot write the inquiry log: " + failure.getMessage(), failure));
              }
            });
    return done;
  }

  private static List<AuditLog.Companion> concat(
      AuditLog.Companion first, List<AuditLog.Companion> more) {
    List<AuditLog.Companion> all = new java.util.ArrayList<>(more.size() + 1);
    all.add(first);
    all.addAll(more);
    return all;
  }

  /** The audit entry's detail of an inquiry: {@link #DETAIL} and the inquiry, word by word. */
  static String detail(Inquiry inquiry) {
    return DETAIL
        + "party="
        + inquiry.party()
        + " purpose="
        + inquiry.purpose().name()
        + " outcome="
        + inquiry.outcome()
        + inquiry.policy().map(p -> " policy=" + p.id() + "@" + p.version()).orElse("")
        + " id="
        + inquiry.decisionId();
  }

  /**
   * The inquiry an audit entry holds, if it holds one (its detail starts with {@link #DETAIL}).
   * Party ids, purposes, outcomes, policy ids and decision ids hold no spaces.
   */
  static Optional<Inquiry> fromEntry(AuditEntry entry) {
    if (!entry.detail().startsWith(DETAIL)) {
      return Optional.empty();
    }
    java.util.Map<String, String> words = new java.util.HashMap<>();
    for (String word : entry.detail().substring(DETAIL.length()).split(" ")) {
      int eq = word.indexOf('=');
      if (eq > 0) {
        words.put(word.substring(0, eq), word.substring(eq + 1));
      }
    }
    String party = words.get("party");
    String purpose = words.get("purpose");
    String outcome = words.get("outcome");
    String id = words.get("id");
    if (party == null || purpose == null || outcome == null || id == null) {
      return Optional.empty();
    }
    Optional<PolicyRef> policy = Optional.empty();
    String ref = words.get("policy");
    if (ref != null && ref.lastIndexOf('@') > 0) {
      int at = ref.lastIndexOf('@');
      policy =
          Optional.of(new PolicyRef(ref.substring(0, at), Integer.parseInt(ref.substring(at + 1))));
    }
    return Optional.of(new Inquiry(party, Purpose.of(purpose), outcome, policy, id, entry.at()));
  }

  /**
   * The subject's inquiries, newest first, at most {@code limit}: those the audit log holds (each
   * decision's audit entry is its inquiry) and those of the inquiries table (written before the
   * audit log held them, or while it is disabled).
   */
  public List<Inquiry> list(SubjectId subject, int limit) {
    byte[] key = store.keys().pseudonym(subject);
    List<Inquiry> found = new java.util.ArrayList<>(fromTable(key, null, limit));
    int[] fromAudit = {0};
    audit.about(
        key,
        e -> {
          fromEntry(e.entry())
              .ifPresent(
                  i -> {
                    found.add(i);
                    fromAudit[0]++;
                  });
          return fromAudit[0] < limit;
        });
    return newestFirst(found, limit);
  }

  /** The inquiry of decision {@code decisionId} about the subject, if there was one. */
  public Optional<Inquiry> find(SubjectId subject, String decisionId) {
    byte[] key = store.keys().pseudonym(subject);
    List<Inquiry> inTable = fromTable(key, decisionId, 1);
    if (!inTable.isEmpty()) {
      return Optional.of(inTable.get(0));
    }
    List<Inquiry> found = new java.util.ArrayList<>(1);
    audit.about(
        key,
        e -> {
          if (e.entry().detail().endsWith(" id=" + decisionId)) {
            fromEntry(e.entry())
                .filter(i -> i.decisionId().equals(decisionId))
                .ifPresent(found::add);
          }
          return found.isEmpty();
        });
    return found.stream().findFirst();
  }

  private List<Inquiry> fromTable(byte[] key, String decisionId, int limit) {
    return db.query(
        "SELECT party_id, purpose, outcome, policy_id, policy_version, decision_id, at_us"
            + " FROM inquiries WHERE subject_key = ?"
            + (decisionId == null ? "" : " AND decision_id = ?")
            + " ORDER BY seq DESC LIMIT ?",
        rs -> {
          String policy = rs.getString(4);
          return new Inquiry(
              rs.getString(1),
              Purpose.of(rs.getString(2)),
              rs.getString(3),
              policy == null ? Optional.empty() : Optional.of(new PolicyRef(policy, rs.getInt(5))),
              rs.getString(6),
              Jdbc.instant(rs.getLong(7)));
        },
        decisionId == null ? new Object[] {key, limit} : new Object[] {key, decisionId, limit});
  }

  /** Newest first, each decision once (a store's older inquiries are in both places). */
  private static List<Inquiry> newestFirst(List<Inquiry> found, int limit) {
    java.util.Set<String> seen = new java.util.HashSet<>();
    return found.stream()
        .sorted(java.util.Comparator.comparing(Inquiry::at).reversed())
        .filter(i -> seen.add(i.decisionId()))
        .limit(limit)
        .toList();
  }

  /** Inquiries committed since start. */
  public long written() {
    return written.sum();
  }

  /** Commits of the audit writer (inquiries and other entries share them) since start. */
  public long batches() {
    return audit.batches();
  }

  /** Time the audit writer spent inserting and committing, in seconds, since start. */
  public double commitSeconds() {
    return audit.commitSeconds();
  }

  /** Entries (inquiries among them) waiting for a commit. */
  public int waiting() {
    return audit.waiting();
  }
}
