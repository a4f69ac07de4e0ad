package org.credo.audit;

/**
 * Signs checkpoints of the chain's head. The server adapts its Ed25519 key to this, so the store
 * needs no signing library.
 */
public interface Signer {
  /** The id of the key, stored with each checkpoint so a verifier picks the right public key. */
  String keyId();

  /** The signature of {@code message}. */
  byte[] sign(byte[] message);
}
