package org.credo.access;

/** The database behind tokens, parties, consents or inquiries failed: a server-side problem. */
public final class AccessStoreException extends RuntimeException {
  public AccessStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
