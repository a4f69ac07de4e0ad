package org.credo.records;

/** A record that cannot be read: the message is a one-line reason fit to show to a provider. */
public final class RecordFormatException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public RecordFormatException(String message) {
    super(message);
  }
}
