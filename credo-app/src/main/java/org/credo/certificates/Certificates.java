package org.credo.certificates;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.credo.policy.PolicyRef;
import org.credo.signing.Canonical;
import org.credo.signing.PublicKey;
import org.credo.signing.SigningKey;
import org.credo.subject.SubjectId;

/**
 * The certificate format and its offline check. A certificate is a JSON document:
 *
 * <pre>{@code
 * {"certificate": {"format": "credo-certificate/1", "id": "cert-…", "issuer": "credo",
 *                  "keyId": "…", "subject": "person:…", "claims": ["grade >= A", …],
 *                  "policy": {"id": "rongcheng-style", "version": 1},
 *                  "issuedAt": "…", "validFrom": "…", "validUntil": "…"},
 *  "signature": "<base64url Ed25519 signature of the canonical form of 'certificate'>"}
 * }</pre>
 *
 * Verification needs only the issuer's public key: no database, no network.
 */
public final class Certificates {
  public static final String FORMAT = "credo-certificate/1";
  static final ObjectMapper MAPPER = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();

  private Certificates() {}

  /** What a verification found; {@code reason} is a stable code, {@code message} a sentence. */
  public record Verification(
      boolean valid, String reason, String message, Optional<JsonNode> certificate) {
    static Verification invalid(String reason, String message) {
      return new Verification(false, reason, message, Optional.empty());
    }
  }

  /** Signs a certificate stating {@code claims} about {@code subject}. */
  public static ObjectNode sign(
      SigningKey key,
      SubjectId subject,
      List<String> claims,
      Optional<PolicyRef> policy,
      Instant issuedAt,
      Instant validUntil) {
    byte[] idBytes = new byte[8];
    RANDOM.nextBytes(idBytes);
    ObjectNode cert = MAPPER.createObjectNode();
    cert.put("format", FORMAT);
    cert.put("id", "cert-" + HexFormat.of().formatHex(idBytes));
    cert.put("issuer", "credo");
    cert.put("keyId", key.keyId());
    cert.put("subject", subject.toString());
    ArrayNode array = cert.putArray("claims");
    claims.forEach(array::add);
    policy.ifPresent(
        p -> {
          ObjectNode o = cert.putObject("policy");
          o.put("id", p.id());
          o.put("version", p.version());
        });
    cert.put("issuedAt", issuedAt.toString());
    cert.put("validFrom", issuedAt.toString());
    cert.put("validUntil", validUntil.toString());
    ObjectNode doc = MAPPER.createObjectNode();
    doc.set("certificate", cert);
    doc.put(
        "signature",
        Base64.getUrlEncoder().withoutPadding().encodeToString(key.sign(Canonical.bytes(cert))));
    return doc;
  }

  /**
   * Checks a certificate document at {@code now} against the issuer keys known, by key id: its
   * shape, the key, the signature and the validity window.
   */
  public static Verification verify(JsonNode doc, Map<String, PublicKey> keys, Instant now) {
    if (doc == null || !doc.isObject()) {
      return Verification.invalid("malformed", "a certificate is a JSON object");
    }
    JsonNode cert = doc.get("certificate");
    JsonNode sig = doc.get("signature");
    if (cert == null || !cert.isObject() || sig == null || !sig.isTextual()) {
      return Verification.invalid(
          "malformed", "a certificate has a 'certificate' object and a 'signature' string");
    }
    if (!FORMAT.equals(cert.path("format").asText())) {
      return Verification.invalid(
          "malformed", "the format is not " + FORMAT + ": " + cert.path("format").asText("none"));
    }
    for (String field : List.of("id", "keyId", "subject", "issuedAt", "validFrom", "validUntil")) {
      if (!cert.path(field).isTextual()) {
        return Verification.invalid("malformed", "the certificate has no '" + field + "'");
      }
    }
    if (!cert.path("claims").isArray()) {
      return Verification.invalid("malformed", "the certificate has no 'claims'");
    }
    String keyId = cert.get("keyId").asText();
    PublicKey key = keys.get(keyId);
    if (key == null) {
      return Verification.invalid(
          "unknown_issuer_key", "key " + keyId + " is not a Credo issuer key known here");
    }
    byte[] signature;
    try {
      signature = Base64.getUrlDecoder().decode(sig.asText());
    } catch (IllegalArgumentException e) {
      return Verification.invalid("bad_signature", "the signature is not base64url");
    }
    if (!key.verifies(Canonical.bytes(cert), signature)) {
      return Verification.invalid(
          "bad_signature", "the signature does not match: the certificate was altered or forged");
    }
    Instant from;
    Instant until;
    try {
      from = Instant.parse(cert.get("validFrom").asText());
      until = Instant.parse(cert.get("validUntil").asText());
    } catch (DateTimeParseException e) {
      return Verification.invalid("malformed", "the validity dates are not ISO-8601 instants");
    }
    if (now.isBefore(from)) {
      return new Verification(
          false, "not_yet_valid", "the certificate is valid from " + from, Optional.of(cert));
    }
    if (!now.isBefore(until)) {
      return new Verification(
          false, "expired", "the certificate expired at " + until, Optional.of(cert));
    }
    return new Verification(
        true,
        "valid",
        "signed by Credo key " + keyId + ", valid until " + until,
        Optional.of(cert));
  }
}
