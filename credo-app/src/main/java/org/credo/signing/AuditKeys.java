package org.credo.signing;

import java.util.Map;
import org.credo.audit.SignatureCheck;
import org.credo.audit.Signer;

/** The bureau's Ed25519 key as the audit log's checkpoint signer and checker. */
public final class AuditKeys {
  private AuditKeys() {}

  public static Signer signer(SigningKey key) {
    return new Signer() {
      @Override
      public String keyId() {
        return key.keyId();
      }

      @Override
      public byte[] sign(byte[] message) {
        return key.sign(message);
      }
    };
  }

  /** Checks checkpoint signatures against the given public keys, by key id. */
  public static SignatureCheck check(Map<String, PublicKey> keys) {
    return (keyId, message, signature) -> {
      PublicKey k = keys.get(keyId);
      return k != null && k.verifies(message, signature);
    };
  }

  public static SignatureCheck check(PublicKey key) {
    return check(Map.of(key.keyId(), key));
  }
}
