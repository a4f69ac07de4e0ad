package org.credo.app.subjects;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import org.credo.app.Caller;
import org.credo.audit.AuditEntry;
import org.credo.audit.AuditLog;
import org.credo.engine.Engine;
import org.credo.retention.Erasure;
import org.credo.store.Catalogues;
import org.credo.subject.SubjectId;

/**
 * Erasure where lawful (GDPR Art. 17), at an operator's hand on the subject's request: {@code credo
 * subject erase} and {@code DELETE /v1/subjects/{s}} call this. Every record whose catalogue entry
 * carries no legal duty to keep it is deleted, with the subject's consents, scoring-mode changes,
 * name, inquiries, notices and the disputes of erased records; the audit log's entries about the
 * subject lose their content and keep their hash. The answer lists what had to be kept and on which
 * legal basis. The erasure itself is logged without naming the subject.
 */
public final class SubjectErasure {
  private final Engine engine;
  private final AuditLog audit;

  public SubjectErasure(Engine engine, AuditLog audit) {
    this.engine = requireNonNull(engine, "engine is null");
    this.audit = requireNonNull(audit, "audit is null");
  }

  /** Erases what may be erased about {@code subject}, under the active catalogue. */
  public Erasure.Result erase(Caller caller, SubjectId subject, Instant now) {
    var catalogue =
        engine
            .store()
            .catalogues()
            .active()
            .map(Catalogues.Active::catalogue)
            .orElseGet(Catalogues::shipped);
    Erasure.Result r = new Erasure(engine, audit).erase(subject, catalogue);
    StringBuilder kept = new StringBuilder();
    r.kept().forEach(k -> kept.append(' ').append(k.type()).append('=').append(k.records()));
    // Not about the subject: an entry naming it would be one more thing to erase.
    audit.appendAndWait(
        new AuditEntry(
            now,
            caller.actor(),
            "subject.erase",
            null,
            "records erased="
                + r.recordsErased()
                + " kept by law:"
                + (kept.length() == 0 ? " none" : kept)
                + " consents="
                + r.consents()
                + " audit entries erased="
                + r.auditEntries()
                + " catalogue="
                + catalogue.label()));
    return r;
  }
}
