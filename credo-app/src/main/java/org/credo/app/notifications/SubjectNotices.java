package org.credo.app.notifications;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import org.credo.app.Caller;
import org.credo.app.SubjectReads;
import org.credo.notify.Notification;
import org.credo.notify.Outbox;
import org.credo.subject.SubjectId;

/**
 * What a subject was told — new negative records, list notices, disputes, denials — and whether the
 * webhook delivered it. Reading them is a read of the subject's data ({@link SubjectReads}).
 */
public final class SubjectNotices {
  private final Outbox outbox;
  private final SubjectReads reads;

  public SubjectNotices(Outbox outbox, SubjectReads reads) {
    this.outbox = requireNonNull(outbox, "outbox is null");
    this.reads = requireNonNull(reads, "reads is null");
  }

  /**
   * The newest {@code limit} notices to {@code subject}, newest first; the read is logged first.
   */
  public List<Notification> of(Caller caller, SubjectId subject, int limit, Instant now) {
    reads.read(caller, subject, "operator_notifications_read", "subject.notifications", now);
    return outbox.forSubject(subject, limit);
  }
}
