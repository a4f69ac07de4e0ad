package org.credo.ingest;

import static java.util.Objects.requireNonNull;

/** A refused input line: its 1-based number in the file and why. */
public record Reject(long line, String reason) {
  public Reject {
    requireNonNull(reason, "reason is null");
  }

  @Override
  public String toString() {
    return "line " + line + ": " + reason;
  }
}
