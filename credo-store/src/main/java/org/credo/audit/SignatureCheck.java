package org.credo.audit;

/** Checks a checkpoint's signature with the public key of {@code keyId}. */
@FunctionalInterface
public interface SignatureCheck {
  /**
   * True when {@code signature} is a valid signature of {@code message} by the key {@code keyId}.
   */
  boolean verifies(String keyId, byte[] message, byte[] signature);
}
