package org.credo.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The hash of one entry: SHA-256 over a canonical encoding of (seq, time, actor, action, subject
 * key, detail, previous hash). Every field is length-prefixed (a missing subject key has length
 * -1), so no two different entries encode alike; the seq is inside, so an entry moved to another
 * place no longer matches its hash. Not thread-safe: one per thread.
 */
final class ChainHash {
  static final int BYTES = 32;
  static final byte[] GENESIS = new byte[BYTES];
  private static final byte[] TAG = "credo-audit-v1".getBytes(StandardCharsets.UTF_8);

  private final MessageDigest sha;
  private final byte[] scratch = new byte[8];

  ChainHash() {
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  byte[] hash(
      long seq,
      long atMicros,
      byte[] actor,
      byte[] action,
      byte[] subjectKey,
      byte[] detail,
      byte[] prevHash) {
    sha.update(TAG);
    putLong(seq);
    putLong(atMicros);
    putBytes(actor);
    putBytes(action);
    putBytes(subjectKey);
    putBytes(detail);
    sha.update(prevHash);
    return sha.digest();
  }

  private void putLong(long v) {
    for (int i = 7; i >= 0; i--) {
      scratch[i] = (byte) v;
      v >>>= 8;
    }
    sha.update(scratch, 0, 8);
  }

  private void putBytes(byte[] b) {
    int n = b == null ? -1 : b.length;
    scratch[0] = (byte) (n >>> 24);
    scratch[1] = (byte) (n >>> 16);
    scratch[2] = (byte) (n >>> 8);
    scratch[3] = (byte) n;
    sha.update(scratch, 0, 4);
    if (b != null) {
      sha.update(b);
    }
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
