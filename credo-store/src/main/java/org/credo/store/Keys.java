package org.credo.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Properties;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.credo.subject.SubjectId;

/**
 * The two secrets of a store, kept outside the database: the pseudonym key (HMAC-SHA-256 of a
 * subject's identifier is its key in the store, so the raw identifier is never written) and the
 * data key (AES-256-GCM for personal data such as a display name).
 */
public final class Keys {
  static final String FILE = "credo.keys";
  private static final int PSEUDONYM_BYTES = 16;
  private static final int NONCE_BYTES = 12;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] pseudonymKey;
  private final byte[] dataKey;

  /**
   * Seals only what fairness is measured by ({@code org.credo.fairness}), kept in its own file,
   * {@value #FAIRNESS_FILE}, so that it can be held apart from the store's other keys.
   */
  private final byte[] fairnessKey;

  static final String FAIRNESS_FILE = "credo-fairness.key";
  private final ThreadLocal<Mac> mac;

  public Keys(byte[] pseudonymKey, byte[] dataKey, byte[] fairnessKey) {
    if (pseudonymKey.length < 32 || dataKey.length != 32 || fairnessKey.length != 32) {
      throw new StoreException("keys must be 32 random bytes each");
    }
    this.pseudonymKey = pseudonymKey.clone();
    this.dataKey = dataKey.clone();
    this.fairnessKey = fairnessKey.clone();
    this.mac =
        ThreadLocal.withInitial(
            () -> {
              try {
                Mac m = Mac.getInstance("HmacSHA256");
                m.init(new SecretKeySpec(this.pseudonymKey, "HmacSHA256"));
                return m;
              } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
              }
            });
  }

  /** Fresh random keys. */
  public static Keys generate() {
    byte[] a = new byte[32];
    byte[] b = new byte[32];
    byte[] c = new byte[32];
    RANDOM.nextBytes(a);
    RANDOM.nextBytes(b);
    RANDOM.nextBytes(c);
    return new Keys(a, b, c);
  }

  /**
   * The keys of the store in {@code dir}: read from {@code credo.keys}, or created there (owner
   * read/write only) when {@code create} is true and the file does not exist. The fairness key is
   * read from {@value #FAIRNESS_FILE} beside it, and created there when missing (a store made
   * before fairness was measured gets one on first open).
   */
  public static Keys inFolder(Path dir, boolean create) {
    Path file = dir.resolve(FILE);
    try {
      if (Files.exists(file)) {
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
          p.load(in);
        }
        return new Keys(decode(p, "pseudonym", file), decode(p, "data", file), fairnessKey(dir));
      }
      if (!create) {
        throw new StoreException(file + " is missing: this store's keys are gone");
      }
      Keys fresh = generate();
      Keys keys = new Keys(fresh.pseudonymKey, fresh.dataKey, fairnessKey(dir));
      String text =
          "# Credo store keys: keep this file secret and backed up apart from the database.\n"
              + "pseudonym="
              + Base64.getEncoder().encodeToString(keys.pseudonymKey)
              + "\ndata="
              + Base64.getEncoder().encodeToString(keys.dataKey)
              + "\n";
      writeSecret(file, text);
      return keys;
    } catch (IOException e) {
      throw new StoreException("cannot read or write " + file + ": " + e.getMessage(), e);
    }
  }

  private static byte[] fairnessKey(Path dir) throws IOException {
    Path file = dir.resolve(FAIRNESS_FILE);
    if (Files.exists(file)) {
      Properties p = new Properties();
      try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        p.load(in);
      }
      return decode(p, "fairness", file);
    }
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    writeSecret(
        file,
        "# Credo fairness key: seals the attributes fairness is measured by (age band, sex,"
            + " region).\n# Keep it secret, backed up, and apart from credo.keys.\nfairness="
            + Base64.getEncoder().encodeToString(key)
            + "\n");
    return key;
  }

  private static byte[] decode(Properties p, String name, Path file) {
    String value = p.getProperty(name);
    if (value == null) {
      throw new StoreException(file + " has no " + name + " key");
    }
    try {
      return Base64.getDecoder().decode(value.strip());
    } catch (IllegalArgumentException e) {
      throw new StoreException(file + ": the " + name + " key is not base64");
    }
  }

  /** The subject's key in the store: the first 16 bytes of HMAC-SHA-256 of its identifier. */
  public byte[] pseudonym(SubjectId subject) {
    // Records of one subject usually come together (an import, a report): remember the last
    // subject each thread hashed.
    Object[] last = lastPseudonym.get();
    if (subject.equals(last[0])) {
      return ((byte[]) last[1]).clone();
    }
    byte[] full = mac.get().doFinal(subject.toString().getBytes(StandardCharsets.UTF_8));
    byte[] out = new byte[PSEUDONYM_BYTES];
    System.arraycopy(full, 0, out, 0, PSEUDONYM_BYTES);
    last[0] = subject;
    last[1] = out.clone();
    return out;
  }

  private final ThreadLocal<Object[]> lastPseudonym = ThreadLocal.withInitial(() -> new Object[2]);

  /**
   * Writes a new file of secrets readable by its owner only (where the file system has POSIX
   * permissions); fails if the file exists.
   */
  public static void writeSecret(Path file, String text) throws IOException {
    Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: nothing more we can do
    }
  }

  /** A fingerprint of the keys, stored in the database to detect a wrong key file. */
  public String fingerprint() {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update("credo-key-fingerprint".getBytes(StandardCharsets.UTF_8));
      sha.update(pseudonymKey);
      sha.update(dataKey);
      return HexFormat.of().formatHex(sha.digest(), 0, 8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Encrypts personal data with AES-256-GCM; the random nonce is prepended. */
  public byte[] seal(String plain, byte[] associatedData) {
    return seal(dataKey, plain, associatedData);
  }

  /**
   * Seals a subject's protected attributes under the fairness key, bound to its pseudonym: only
   * {@code org.credo.fairness} calls this and {@link #openFairness} (an architecture test says so).
   */
  public byte[] sealFairness(String plain, byte[] subjectKey) {
    return seal(fairnessKey, plain, subjectKey);
  }

  /** What {@link #sealFairness} sealed. */
  public String openFairness(byte[] sealed, byte[] subjectKey) {
    return open(fairnessKey, sealed, subjectKey);
  }

  private static byte[] seal(byte[] key, String plain, byte[] associatedData) {
    try {
      byte[] nonce = new byte[NONCE_BYTES];
      RANDOM.nextBytes(nonce);
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
      c.updateAAD(associatedData);
      byte[] sealed = c.doFinal(plain.getBytes(StandardCharsets.UTF_8));
      byte[] out = new byte[NONCE_BYTES + sealed.length];
      System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
      System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Decrypts what {@link #seal} produced; fails if it was altered or sealed for other data. */
  public String open(byte[] sealed, byte[] associatedData) {
    return open(dataKey, sealed, associatedData);
  }

  private static String open(byte[] key, byte[] sealed, byte[] associatedData) {
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(
          Cipher.DECRYPT_MODE,
          new SecretKeySpec(key, "AES"),
          new GCMParameterSpec(128, sealed, 0, NONCE_BYTES));
      c.updateAAD(associatedData);
      byte[] plain = c.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
      return new String(plain, StandardCharsets.UTF_8);
    } catch (GeneralSecurityException e) {
      throw new StoreException("personal data cannot be decrypted: wrong key or altered data");
    }
  }

  /** How a free text sealed by {@link #sealText} begins in its column. */
  public static final String SEALED_TEXT = "sealed:v1:";

  /**
   * A free text about a subject (a dispute's statement, a repair's evidence, a notice) sealed with
   * the data key and bound to the row it belongs to, as text for a text column: {@link
   * #SEALED_TEXT} and the base64 of {@link #seal}. Null stays null.
   */
  public String sealText(String plain, byte[] boundTo) {
    return plain == null
        ? null
        : SEALED_TEXT + Base64.getEncoder().encodeToString(seal(plain, boundTo));
  }

  /** {@link #sealText} for a row named by {@code id}. */
  public String sealText(String plain, String id) {
    return sealText(plain, id.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The text {@link #sealText} sealed; a text without the prefix (written before texts were sealed,
   * and not yet sealed by the store's upgrade) comes back as it is. Null stays null.
   */
  public String openText(String stored, byte[] boundTo) {
    if (stored == null || !stored.startsWith(SEALED_TEXT)) {
      return stored;
    }
    return open(Base64.getDecoder().decode(stored.substring(SEALED_TEXT.length())), boundTo);
  }

  /** {@link #openText} for a row named by {@code id}. */
  public String openText(String stored, String id) {
    return openText(stored, id.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A subject's identifier sealed with the data key and bound to its pseudonym: kept where Credo
   * must later name the subject to someone (a webhook receiver, a public list), and only there.
   */
  public byte[] sealSubject(SubjectId subject) {
    return seal(subject.toString(), pseudonym(subject));
  }

  /** The identifier {@link #sealSubject} sealed for the subject with pseudonym {@code key}. */
  public SubjectId openSubject(byte[] sealed, byte[] key) {
    return SubjectId.parse(open(sealed, key));
  }
}
