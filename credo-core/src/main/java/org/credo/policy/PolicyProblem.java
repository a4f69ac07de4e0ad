package org.credo.policy;

import static java.util.Objects.requireNonNull;

/** One reason a policy does not load, at a 1-based line and column of its file. */
public record PolicyProblem(String file, int line, int column, String message) {
  public PolicyProblem {
    requireNonNull(file, "file is null");
    requireNonNull(message, "message is null");
  }

  /** {@code file:line:column: message}, the form editors and CI logs understand. */
  @Override
  public String toString() {
    return file + ":" + line + ":" + column + ": " + message;
  }
}
