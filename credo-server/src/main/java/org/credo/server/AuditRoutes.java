package org.credo.server;

import static java.util.Objects.requireNonNull;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.credo.access.Principal;
import org.credo.app.Caller;
import org.credo.app.audit.AuditTrail;
import org.credo.app.wire.AuditEntryWire;
import org.credo.app.wire.VerificationWire;
import org.credo.audit.LoggedEntry;
import org.credo.audit.Verification;
import org.credo.signing.AuditKeys;
import org.credo.signing.SigningKey;
import org.credo.subject.SubjectId;

/**
 * The audit log (issue #5): the entries about a subject ({@link #subjectRoutes()}, relative to
 * {@code /v1/subjects/{subject}}) and the chain's verification ({@link #routes()}).
 */
final class AuditRoutes {
  private final AuditTrail trail;
  private final SigningKey key;
  private final Requests requests;
  private final Clock clock;

  AuditRoutes(AuditTrail trail, SigningKey key, Requests requests, Clock clock) {
    this.trail = requireNonNull(trail, "trail is null");
    this.key = requireNonNull(key, "key is null");
    this.requests = requireNonNull(requests, "requests is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  List<ApiRoute> routes() {
    return List.of(
        new ApiRoute(
            HandlerType.GET,
            "/audit/verify",
            EnumSet.of(ApiRole.AUDITOR, ApiRole.OPERATOR),
            "Recompute the audit hash chain and check the signed checkpoints; the first bad entry",
            List.of(),
            List.of(),
            List.of(),
            this::verify));
  }

  List<ApiRoute> subjectRoutes() {
    return List.of(
        new ApiRoute(
            HandlerType.GET,
            "/audit",
            EnumSet.of(ApiRole.SUBJECT, ApiRole.AUDITOR),
            "The audit entries about the subject: who read or wrote its data, when, why",
            List.of(),
            List.of("limit"),
            List.of(400),
            this::subjectAudit));
  }

  private void subjectAudit(Context ctx) {
    Principal p = Http.principal(ctx);
    SubjectId subject = requests.subject(ctx, p);
    int limit = Http.limit(ctx, 100, 1000);
    List<LoggedEntry> entries = trail.about(Caller.of(p), subject, limit, clock.instant());
    RequestAudit.audited(ctx);
    Http.send(
        ctx,
        200,
        new AuditEntryWire.OfSubject(
            subject.toString(), entries.stream().map(AuditEntryWire::of).toList()));
  }

  private void verify(Context ctx) {
    Principal p = Http.principal(ctx);
    Verification v =
        trail.verify(Caller.of(p), Optional.of(AuditKeys.check(key.publicKey())), clock.instant());
    RequestAudit.audited(ctx);
    Http.send(ctx, 200, VerificationWire.of(v));
  }
}
