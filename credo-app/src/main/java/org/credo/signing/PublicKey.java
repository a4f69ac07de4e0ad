package org.credo.signing;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * An Ed25519 public key (32 raw bytes) and its key id: the first 8 bytes of its SHA-256, in hex.
 */
public final class PublicKey {
  /** The DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410); the raw key follows. */
  private static final byte[] X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

  private final byte[] raw;
  private final String keyId;

  public PublicKey(byte[] raw) {
    if (raw.length != Ed25519PublicKeyParameters.KEY_SIZE) {
      throw new IllegalArgumentException("an Ed25519 public key has 32 bytes, not " + raw.length);
    }
    this.raw = raw.clone();
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(raw);
      this.keyId = HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public byte[] raw() {
    return raw.clone();
  }

  public String keyId() {
    return keyId;
  }

  /** The key as base64url without padding, as served at {@code /v1/keys}. */
  public String base64Url() {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
  }

  /** The X.509 SubjectPublicKeyInfo DER encoding, which {@code java.security} reads. */
  public byte[] x509() {
    byte[] out = Arrays.copyOf(X509_PREFIX, X509_PREFIX.length + raw.length);
    System.arraycopy(raw, 0, out, X509_PREFIX.length, raw.length);
    return out;
  }

  /** The key as a PEM {@code PUBLIC KEY} block (e.g. for {@code openssl pkeyutl -verify}). */
  public String pem() {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getEncoder().encodeToString(x509())
        + "\n-----END PUBLIC KEY-----\n";
  }

  /**
   * Parses a public key from the text of a PEM block, a base64 or base64url raw key, or a
   * SubjectPublicKeyInfo in base64.
   */
  public static PublicKey parse(String text) {
    String body =
        text.replace("-----BEGIN PUBLIC KEY-----", "")
            .replace("-----END PUBLIC KEY-----", "")
            .replaceAll("\\s", "");
    byte[] bytes;
    try {
      bytes =
          body.contains("-") || body.contains("_")
              ? Base64.getUrlDecoder().decode(body)
              : Base64.getDecoder().decode(body);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the public key is not base64 or PEM");
    }
    if (bytes.length == X509_PREFIX.length + 32
        && Arrays.equals(Arrays.copyOf(bytes, X509_PREFIX.length), X509_PREFIX)) {
      bytes = Arrays.copyOfRange(bytes, X509_PREFIX.length, bytes.length);
    }
    return new PublicKey(bytes);
  }

  /** True when {@code signature} is this key's Ed25519 signature of {@code message}. */
  public boolean verifies(byte[] message, byte[] signature) {
    if (signature.length != 64) {
      return false;
    }
    Ed25519Signer verifier = new Ed25519Signer();
    verifier.init(false, new Ed25519PublicKeyParameters(raw, 0));
    verifier.update(message, 0, message.length);
    return verifier.verifySignature(signature);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PublicKey other && Arrays.equals(raw, other.raw);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(raw);
  }

  @Override
  public String toString() {
    return "Ed25519 key " + keyId;
  }
}
