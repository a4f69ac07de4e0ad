package org.credo.cli;

/** Bad usage or bad input: printed as one line, exit code 2. */
final class BadInput extends RuntimeException {
  private static final long serialVersionUID = 1L;

  BadInput(String message) {
    super(message);
  }
}
