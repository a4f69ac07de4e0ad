package org.credo.app;

/**
 * A use case's answer "no", as a value: a stable code, a one-line message that says what to do, and
 * its kind. Front doors render it in one place each — the server as {@code {"error": code,
 * "message": …}} with the kind's HTTP status, the CLI as one line with the kind's exit code.
 */
public interface Refusal {
  /** What kind of "no" it is; each front door maps a kind to its status or exit code. */
  enum Kind {
    /** The request itself is wrong (HTTP 400, exit 2). */
    BAD_INPUT,
    /** The caller may not ask this (HTTP 403, exit 1). */
    FORBIDDEN,
    /** What was asked about does not exist (HTTP 404, exit 1). */
    NOT_FOUND,
    /** It clashes with what is stored (HTTP 409, exit 1). */
    CONFLICT
  }

  /** A stable code, e.g. {@code consent_required}; listed in docs/api.md. */
  String code();

  /** One line for a person: what went wrong and what to do. */
  String message();

  Kind kind();
}
