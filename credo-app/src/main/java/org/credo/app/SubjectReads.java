package org.credo.app;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.credo.access.Inquiry;
import org.credo.access.InquiryLog;
import org.credo.access.Role;
import org.credo.app.decisions.Decisions;
import org.credo.audit.AuditEntry;
import org.credo.audit.AuditLog;
import org.credo.policy.Purpose;
import org.credo.store.Keys;
import org.credo.subject.SubjectId;

/**
 * The one rule for reading a subject's data, whichever door it comes through: the subject reading
 * its own data is audited; anyone else's read (an operator at the console or the command line, an
 * auditor) is also an inquiry the subject sees in its report, written in the same transaction as
 * its audit entry. Nothing is shown before the entry is committed.
 */
public final class SubjectReads {
  private final InquiryLog inquiries;
  private final AuditLog audit;
  private final Keys keys;

  public SubjectReads(InquiryLog inquiries, AuditLog audit, Keys keys) {
    this.inquiries = requireNonNull(inquiries, "inquiries is null");
    this.audit = requireNonNull(audit, "audit is null");
    this.keys = requireNonNull(keys, "keys is null");
  }

  /**
   * Records that {@code caller} reads {@code subject}'s data.
   *
   * @param why the inquiry's purpose for a read by someone else, e.g. {@code operator_score_read}
   * @param action the audit entry's action, e.g. {@code subject.score}
   * @throws InquiryLog.Unavailable when the entry cannot be written: show nothing then
   */
  public void read(Caller caller, SubjectId subject, String why, String action, Instant now) {
    if (caller.role() == Role.SUBJECT) {
      // a subject reading its own data is no inquiry, but it is audited
      audit.appendAndWait(
          new AuditEntry(now, caller.actor(), action, keys.pseudonym(subject), "own data"));
      return;
    }
    CompletableFuture<Void> written =
        inquiries.append(
            subject,
            new Inquiry(
                caller.actor(),
                Purpose.of(why),
                "read",
                Optional.empty(),
                Decisions.newId().replace("dec-", "read-"),
                now),
            caller.actor(),
            action);
    try {
      written.get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InquiryLog.Unavailable("interrupted while writing the inquiry", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new InquiryLog.Unavailable("the inquiry log cannot be written: " + e, e);
    }
  }
}
