package org.credo.cli;

import org.credo.audit.AuditEntry;
import org.credo.audit.AuditLog;
import org.credo.store.Store;
import org.credo.store.StoreException;

/**
 * The CLI's entries in the audit log. A command is one-shot: it opens the log (the writer reads the
 * chain's head from the store), appends, waits for the commit and closes it. The actor is {@code
 * cli:} and the operating-system user.
 */
final class CliAudit {
  private CliAudit() {}

  /** The operator at the command line, as the application's use cases are told who asks. */
  static final org.credo.app.Caller CALLER = org.credo.app.Caller.operator(actor());

  static String actor() {
    return "cli:" + System.getProperty("user.name", "unknown");
  }

  /** Appends one entry and waits for its commit. */
  static void record(Store store, String action, byte[] subjectKey, String detail) {
    try (AuditLog log = AuditLog.open(store)) {
      log.appendAndWait(new AuditEntry(Credo.clock.instant(), actor(), action, subjectKey, detail));
    } catch (AuditLog.Unavailable e) {
      throw new StoreException("cannot write the audit log: " + e.getMessage(), e);
    }
  }
}
