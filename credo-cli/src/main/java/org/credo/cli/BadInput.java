package org.credo.cli;

import org.credo.app.Refusal;

/**
 * A command that cannot do what was asked: printed as one line, exit code 2 (bad usage or bad
 * input) unless it is an application's refusal of another kind, which exits 1 (a check failed).
 */
final class BadInput extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int exit;

  BadInput(String message) {
    this(message, Credo.BAD_INPUT);
  }

  private BadInput(String message, int exit) {
    super(message);
    this.exit = exit;
  }

  /** The CLI's form of an application refusal: its message, and its kind's exit code. */
  static BadInput refused(Refusal r) {
    return new BadInput(
        r.message(), r.kind() == Refusal.Kind.BAD_INPUT ? Credo.BAD_INPUT : Credo.CHECK_FAILED);
  }

  int exit() {
    return exit;
  }
}
