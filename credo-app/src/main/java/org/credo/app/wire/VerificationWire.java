package org.credo.app.wire;

import org.credo.audit.Verification;

/**
 * An audit chain's verification, as {@code GET /v1/audit/verify} and {@code credo audit verify
 * --json} give it; {@code firstBad} and {@code reason} are null when the chain is intact.
 */
public record VerificationWire(
    boolean ok,
    long entries,
    long checkpoints,
    boolean signaturesChecked,
    Long firstBad,
    @com.fasterxml.jackson.annotation.JsonInclude(
            com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
        String reason,
    double seconds,
    long entriesPerSecond) {

  public static VerificationWire of(Verification v) {
    return new VerificationWire(
        v.ok(),
        v.entries(),
        v.checkpoints(),
        v.signaturesChecked(),
        v.firstBad().isPresent() ? v.firstBad().getAsLong() : null,
        v.firstBad().isPresent() ? v.reason() : null,
        Math.round(v.seconds() * 1000) / 1000.0,
        Math.round(v.rate()));
  }
}
