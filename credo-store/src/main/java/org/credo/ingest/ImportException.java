package org.credo.ingest;

/** An input that cannot be imported at all (empty, not NDJSON or CSV): nothing was stored. */
public final class ImportException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ImportException(String message) {
    super(message);
  }
}
