package org.credo.app.disputes;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.credo.access.Role;
import org.credo.app.Caller;
import org.credo.audit.AuditEntry;
import org.credo.audit.AuditLog;
import org.credo.disputes.Dispute;
import org.credo.disputes.DisputeException;
import org.credo.disputes.DisputeState;
import org.credo.disputes.Disputes;
import org.credo.records.Record;
import org.credo.records.SourceId;
import org.credo.repairs.Repairs;
import org.credo.store.Keys;
import org.credo.subject.SubjectId;

/**
 * The dispute workflow as every door offers it: a subject (or the operator) opens a dispute on a
 * record, the source answers it before its deadline (upheld: withdrawn or corrected; or rejected),
 * a record an expired dispute suppressed comes back only with evidence. Who may see and answer
 * which dispute is decided here; each step is written to the audit log before it is answered.
 */
public final class DisputeDesk {
  private final Disputes disputes;
  private final Repairs repairs;
  private final AuditLog audit;
  private final Keys keys;

  public DisputeDesk(Disputes disputes, Repairs repairs, AuditLog audit, Keys keys) {
    this.disputes = requireNonNull(disputes, "disputes is null");
    this.repairs = requireNonNull(repairs, "repairs is null");
    this.audit = requireNonNull(audit, "audit is null");
    this.keys = requireNonNull(keys, "keys is null");
  }

  /** Opens a dispute on one of {@code subject}'s records ({@code source/id}). */
  public DisputeOutcome open(
      Caller caller, SubjectId subject, String record, String statement, Instant now) {
    return step(
        () -> disputes.open(subject, record, statement, caller.actor(), now),
        d -> log(caller, "dispute.open", keys.pseudonym(subject), d.id() + " " + d.record(), now));
  }

  /** Answers an open dispute; a provider answers its own source's only. */
  public DisputeOutcome answer(Caller caller, String id, Disputes.Answer answer, Instant now) {
    return step(
        () -> disputes.answer(id, answer, caller.source(), caller.actor(), now),
        d ->
            log(
                caller,
                "dispute.answer",
                disputes.subjectKeyOf(id).orElse(null),
                d.id() + " " + d.state().word(),
                now));
  }

  /** Brings back a record an expired dispute suppressed, with the source's evidence. */
  public DisputeOutcome recertify(Caller caller, String id, String evidence, Instant now) {
    return step(
        () -> disputes.recertify(id, caller.source(), evidence, caller.actor(), now),
        d -> log(caller, "dispute.recertify", disputes.subjectKeyOf(id).orElse(null), d.id(), now));
  }

  /**
   * One dispute with its history, if the caller may see it: a subject its own, a provider its
   * source's, the operator and auditors any.
   */
  public DisputeOutcome one(Caller caller, String id) {
    Optional<Dispute> d = disputes.get(id);
    boolean visible =
        d.isPresent()
            && switch (caller.role()) {
              case SUBJECT ->
                  disputes.subjectKeyOf(id).map(HexFormat.of()::formatHex).equals(caller.scope());
              case PROVIDER -> caller.scope().equals(Optional.of(d.get().source()));
              default -> true;
            };
    return visible ? new DisputeOutcome.Done(d.get()) : new DisputeOutcome.UnknownDispute(id);
  }

  /** What {@link #queue} answers. */
  public sealed interface QueueOutcome {
    record Queue(List<Dispute> disputes) implements QueueOutcome {
      public Queue {
        disputes = List.copyOf(disputes);
      }
    }

    /** A provider asked for another source's queue. */
    record NotYourSource() implements QueueOutcome, org.credo.app.Refusal {
      @Override
      public String code() {
        return "not_your_source";
      }

      @Override
      public String message() {
        return "a provider sees the disputes of its own source only";
      }

      @Override
      public Kind kind() {
        return Kind.FORBIDDEN;
      }
    }
  }

  /**
   * The dispute queue, earliest deadline first; a provider sees its own source's only (asked for
   * another's, it is refused).
   */
  public QueueOutcome queue(
      Caller caller, Optional<DisputeState> state, Optional<SourceId> source, int limit) {
    if (caller.role() == Role.PROVIDER) {
      SourceId own = caller.source().orElseThrow();
      if (source.isPresent() && !source.get().equals(own)) {
        return new QueueOutcome.NotYourSource();
      }
      source = Optional.of(own);
    }
    return new QueueOutcome.Queue(disputes.queue(state, source, limit));
  }

  /** A subject's disputes, newest first. */
  public List<Dispute> ofSubject(SubjectId subject) {
    return disputes.forSubject(subject);
  }

  /**
   * Suppresses the records of disputes past their deadline (a server does this on its schedule,
   * {@code credo dispute expire} on demand); an expiry that suppressed something is audited.
   *
   * @return how many disputes expired
   */
  public int expireDue(Caller caller, Instant now) {
    int n = disputes.expireDue(now);
    if (n > 0) {
      log(caller, "dispute.expire", null, "expired=" + n, now);
    }
    return n;
  }

  /**
   * The records a streaming deployment's {@code credo.records} needs from this desk for what
   * happened at or after {@code since} — each dispute opened and answered, each expired dispute's
   * suppression and re-certification, each list repair granted — in the order they happened, so
   * that the Flink job holds and ends list entries as this store does (see {@code
   * org.credo.dueprocess.DueProcess}). They name subjects: the export is audited.
   */
  public List<Record> marks(Caller caller, Instant since, Instant now) {
    List<Record> out = new java.util.ArrayList<>(disputes.marks(since));
    out.addAll(repairs.marks(since));
    out.sort(java.util.Comparator.comparing(Record::learned)); // stable: steps stay in order
    log(caller, "dispute.marks", null, "since=" + since + " records=" + out.size(), now);
    return out;
  }

  private DisputeOutcome step(Supplier<Dispute> work, java.util.function.Consumer<Dispute> logged) {
    Dispute d;
    try {
      d = work.get();
    } catch (DisputeException e) {
      return DisputeOutcome.Refused.of(e);
    }
    logged.accept(d);
    return new DisputeOutcome.Done(d);
  }

  private void log(Caller caller, String action, byte[] subjectKey, String detail, Instant now) {
    audit.appendAndWait(new AuditEntry(now, caller.actor(), action, subjectKey, detail));
  }
}
