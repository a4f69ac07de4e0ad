package org.credo.ingest;

import static java.util.Objects.requireNonNull;

/**
 * A refused input line: its 1-based number in the file and why.
 *
 * @param conflict whether the line was refused because its (source, id) is already stored, or
 *     earlier in the input, with other content
 */
public record Reject(long line, String reason, boolean conflict) {
  public Reject {
    requireNonNull(reason, "reason is null");
  }

  /** A line refused for any reason but a conflict. */
  public Reject(long line, String reason) {
    this(line, reason, false);
  }

  @Override
  public String toString() {
    return "line " + line + ": " + reason;
  }
}
