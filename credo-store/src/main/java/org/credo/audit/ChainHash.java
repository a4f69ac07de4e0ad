package org.credo.audit;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.credo.store.Jdbc;

/**
 * An entry's canonical form and hash. The canonical form is what the log stores (column {@code
 * entry}) and what the hash covers; the hash is SHA-256 over a tag, the canonical form and the
 * previous entry's hash (32 zero bytes before the first entry).
 *
 * <p>The canonical form is binary, big-endian: seq (8 bytes), time in microseconds (8), the subject
 * key's length (1 byte, 255 for none) and bytes, then actor and action (each a 2-byte length and
 * UTF-8 bytes) and detail (a 4-byte length and UTF-8 bytes). Lengths make it unambiguous; the seq
 * inside means an entry moved to another place no longer matches its hash, and verification needs
 * no other column to know where a row belongs. One column instead of six is also what makes
 * verification fast: through JDBC most of the cost of a row is the number of columns read. Not
 * thread-safe: one per thread.
 */
final class ChainHash {
  static final int BYTES = 32;
  static final byte[] GENESIS = new byte[BYTES];
  private static final byte[] TAG = "credo-audit-v1\n".getBytes(StandardCharsets.UTF_8);
  private static final int NO_KEY = 255;

  private final MessageDigest sha;

  ChainHash() {
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] encode(long seq, AuditEntry e) {
    byte[] key = e.subjectKey();
    byte[] actor = e.actor().getBytes(StandardCharsets.UTF_8);
    byte[] action = e.action().getBytes(StandardCharsets.UTF_8);
    byte[] detail = e.detail().getBytes(StandardCharsets.UTF_8);
    if (actor.length > 0xFFFF || action.length > 0xFFFF || (key != null && key.length >= NO_KEY)) {
      throw new IllegalArgumentException("audit entry fields too long");
    }
    ByteBuffer b =
        ByteBuffer.allocate(
            8
                + 8
                + 1
                + (key == null ? 0 : key.length)
                + 2
                + actor.length
                + 2
                + action.length
                + 4
                + detail.length);
    b.putLong(seq).putLong(Jdbc.micros(e.at()));
    b.put((byte) (key == null ? NO_KEY : key.length));
    if (key != null) {
      b.put(key);
    }
    b.putShort((short) actor.length).put(actor);
    b.putShort((short) action.length).put(action);
    b.putInt(detail.length).put(detail);
    return b.array();
  }

  /** The byte at offset 16 that marks an erased entry (a subject key is never 254 bytes). */
  static final int ERASED = 254;

  /**
   * The canonical form an erased entry keeps: its seq, a zero time and the erased mark — its
   * content is gone, its stored hash stays, so the chain after it still verifies.
   */
  static byte[] erased(long seq) {
    return ByteBuffer.allocate(17).putLong(seq).putLong(0).put((byte) ERASED).array();
  }

  /** Whether a canonical form is an erased entry's. */
  static boolean isErased(byte[] entry) {
    return entry.length == 17 && (entry[16] & 0xFF) == ERASED;
  }

  /** The seq of a canonical form. */
  static long seqOf(byte[] entry) {
    return ByteBuffer.wrap(entry).getLong(0);
  }

  static LoggedEntry decode(byte[] entry) {
    if (isErased(entry)) {
      return new LoggedEntry(
          seqOf(entry),
          new AuditEntry(
              java.time.Instant.EPOCH, "credo", "erased", null, "erased at the subject's request"));
    }
    ByteBuffer b = ByteBuffer.wrap(entry);
    long seq = b.getLong();
    long at = b.getLong();
    int n = b.get() & 0xFF;
    byte[] key = null;
    if (n != NO_KEY) {
      key = new byte[n];
      b.get(key);
    }
    String actor = text(b, b.getShort() & 0xFFFF);
    String action = text(b, b.getShort() & 0xFFFF);
    String detail = text(b, b.getInt());
    return new LoggedEntry(seq, new AuditEntry(Jdbc.instant(at), actor, action, key, detail));
  }

  private static String text(ByteBuffer b, int length) {
    String s = new String(b.array(), b.position(), length, StandardCharsets.UTF_8);
    b.position(b.position() + length);
    return s;
  }

  /** The hash of an entry whose canonical form is {@code entry}. */
  byte[] hash(byte[] entry, byte[] prevHash) {
    sha.update(TAG);
    sha.update(entry);
    sha.update(prevHash);
    return sha.digest();
  }
}
