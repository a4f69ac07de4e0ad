package org.credo.audit;

import static java.util.Objects.requireNonNull;

/** An entry as the log holds it: its place in the chain and what it says. */
public record LoggedEntry(long seq, AuditEntry entry) {
  public LoggedEntry {
    requireNonNull(entry, "entry is null");
  }
}
