package org.credo.app.wire;

import java.util.List;
import java.util.Map;
import org.credo.retention.Erasure;

/**
 * What an erasure did, as {@code DELETE /v1/subjects/{s}} and {@code credo subject erase --json}
 * show it: what was erased, and what had to be kept and why.
 */
public record ErasureWire(String subject, Erased erased, List<KeptWire> kept) {

  /** Counts of what was deleted; the audit entries lost their content and kept their hash. */
  public record Erased(
      long records,
      Map<String, Long> recordsByType,
      int consents,
      int scoringModeChanges,
      int inquiries,
      int notices,
      int disputes,
      boolean name,
      long auditEntries) {}

  /** A record type kept, how many, and the legal basis that obliges keeping it. */
  public record KeptWire(String type, long records, String basis) {}

  public static ErasureWire of(String subject, Erasure.Result r) {
    return new ErasureWire(
        subject,
        new Erased(
            r.recordsErased(),
            r.erasedByType(),
            r.consents(),
            r.scoringModes(),
            r.inquiries(),
            r.notices(),
            r.disputes(),
            r.name(),
            r.auditEntries()),
        r.kept().stream().map(k -> new KeptWire(k.type(), k.records(), k.basis())).toList());
  }
}
