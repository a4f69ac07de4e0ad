package org.credo.app.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import org.credo.access.Consent;

/**
 * A consent as a subject's report and the consents routes show it, with its state at {@code now}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConsentWire(
    String id,
    String party,
    String purpose,
    String granted,
    String until,
    String revoked,
    String state) {
  /** A subject's consents, as {@code GET /v1/subjects/{s}/consents} gives them. */
  public record All(java.util.List<ConsentWire> consents) {}

  public static ConsentWire of(Consent c, Instant now) {
    return new ConsentWire(
        c.id(),
        c.party(),
        c.purpose().name(),
        c.granted().toString(),
        c.until().toString(),
        c.revoked().map(Instant::toString).orElse(null),
        c.state(now));
  }
}
