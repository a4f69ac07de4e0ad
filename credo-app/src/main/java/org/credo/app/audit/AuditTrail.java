package org.credo.app.audit;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.credo.app.Caller;
import org.credo.audit.AuditEntry;
import org.credo.audit.AuditLog;
import org.credo.audit.LoggedEntry;
import org.credo.audit.SignatureCheck;
import org.credo.audit.Verification;
import org.credo.store.Keys;
import org.credo.subject.SubjectId;

/**
 * The tamper-evident audit log as its readers use it: a subject (or an auditor) reads the entries
 * about the subject, and anyone entitled recomputes the chain and checks the signed checkpoints.
 * Each read is itself written to the log before it is answered.
 */
public final class AuditTrail {
  private final AuditLog log;
  private final Keys keys;

  public AuditTrail(AuditLog log, Keys keys) {
    this.log = requireNonNull(log, "log is null");
    this.keys = requireNonNull(keys, "keys is null");
  }

  /** The newest {@code limit} entries about {@code subject}, newest first. */
  public List<LoggedEntry> about(Caller caller, SubjectId subject, int limit, Instant now) {
    byte[] key = keys.pseudonym(subject);
    log.appendAndWait(new AuditEntry(now, caller.actor(), "audit.read", key, "limit=" + limit));
    return log.about(key, limit);
  }

  /** How far back {@link #refused} looks. */
  public static final long REFUSED_SCAN = 1_000_000;

  /**
   * The newest refused requests ({@code access.denied}: who tried, the route, why and from where),
   * newest first, among the last {@link #REFUSED_SCAN} entries; the listing is audited.
   */
  public List<LoggedEntry> refused(Caller caller, int limit, Instant now) {
    log.appendAndWait(new AuditEntry(now, caller.actor(), "audit.refused", null, "limit=" + limit));
    return log.newest(e -> e.entry().action().equals("access.denied"), limit, REFUSED_SCAN);
  }

  /**
   * Recomputes the whole hash chain and checks every signed checkpoint with {@code signatures}
   * (when the public key is at hand); the first bad entry and why, if any.
   */
  public Verification verify(Caller caller, Optional<SignatureCheck> signatures, Instant now) {
    Verification v = log.verify(signatures);
    log.appendAndWait(
        new AuditEntry(
            now,
            caller.actor(),
            "audit.verify",
            null,
            "entries="
                + v.entries()
                + " ok="
                + v.ok()
                + (v.ok() ? "" : " firstBad=" + v.firstBad().getAsLong())));
    return v;
  }
}
