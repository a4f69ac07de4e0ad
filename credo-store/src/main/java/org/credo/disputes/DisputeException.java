package org.credo.disputes;

/** A dispute request refused, with a reason the caller can act on; nothing was changed. */
public final class DisputeException extends RuntimeException {
  /** Why it was refused; the HTTP API maps these to 404, 403, 409 and 400. */
  public enum Kind {
    NOT_FOUND,
    FORBIDDEN,
    CONFLICT,
    BAD_INPUT
  }

  private final Kind kind;
  private final String code;

  public DisputeException(Kind kind, String code, String message) {
    super(message);
    this.kind = kind;
    this.code = code;
  }

  public Kind kind() {
    return kind;
  }

  /** A short machine-readable code such as {@code dispute_closed}. */
  public String code() {
    return code;
  }
}
