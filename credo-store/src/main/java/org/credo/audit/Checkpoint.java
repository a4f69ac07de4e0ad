package org.credo.audit;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.credo.store.Jdbc;

/**
 * A signed head of the chain: whoever holds the public key can check that the log up to {@code seq}
 * is the one the server saw, even if the database was rewritten and every hash recomputed.
 */
public record Checkpoint(long seq, byte[] headHash, Instant at, String keyId, byte[] signature) {
  private static final byte[] TAG = "credo-audit-checkpoint-v1".getBytes(StandardCharsets.UTF_8);

  /** The bytes that are signed: a tag, the seq, the head hash and the time in microseconds. */
  public static byte[] message(long seq, byte[] headHash, Instant at) {
    return ByteBuffer.allocate(TAG.length + 8 + headHash.length + 8)
        .put(TAG)
        .putLong(seq)
        .put(headHash)
        .putLong(Jdbc.micros(at))
        .array();
  }

  public byte[] message() {
    return message(seq, headHash, at);
  }
}
