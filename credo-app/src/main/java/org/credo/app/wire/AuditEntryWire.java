package org.credo.app.wire;

import org.credo.audit.LoggedEntry;

/** An audit log entry as a subject's report and the auditor's views show it. */
public record AuditEntryWire(long seq, String at, String actor, String action, String detail) {
  /** The entries about one subject: {@code {"subject": …, "entries": […]}}. */
  public record OfSubject(String subject, java.util.List<AuditEntryWire> entries) {}

  public static AuditEntryWire of(LoggedEntry e) {
    return new AuditEntryWire(
        e.seq(),
        e.entry().at().toString(),
        e.entry().actor(),
        e.entry().action(),
        e.entry().detail());
  }
}
