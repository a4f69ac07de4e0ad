package org.credo.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.credo.access.Principal;
import org.credo.app.wire.ApiWire;
import org.credo.app.wire.AuditEntryWire;
import org.credo.audit.AuditLog;
import org.credo.audit.Verification;
import org.credo.signing.AuditKeys;
import org.credo.signing.SigningKey;
import org.credo.store.Keys;
import org.credo.subject.SubjectId;

/**
 * The audit log (issue #5): the entries about a subject ({@link #subjectRoutes()}, relative to
 * {@code /v1/subjects/{subject}}) and the chain's verification ({@link #routes()}).
 */
final class AuditRoutes {
  private final AuditLog auditLog;
  private final Keys keys;
  private final SigningKey key;
  private final Requests requests;
  private final Clock clock;

  AuditRoutes(AuditLog auditLog, Keys keys, SigningKey key, Requests requests, Clock clock) {
    this.auditLog = requireNonNull(auditLog, "auditLog is null");
    this.keys = requireNonNull(keys, "keys is null");
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
    requests.record(ctx, p, "audit.read", subject, "limit=" + limit, clock.instant());
    Http.send(
        ctx,
        200,
        new AuditEntryWire.OfSubject(
            subject.toString(),
            auditLog.about(keys.pseudonym(subject), limit).stream()
                .map(AuditEntryWire::of)
                .toList()));
  }

  private void verify(Context ctx) {
    Principal p = Http.principal(ctx);
    Verification v = auditLog.verify(Optional.of(AuditKeys.check(key.publicKey())));
    requests.record(
        ctx,
        p,
        "audit.verify",
        null,
        "entries="
            + v.entries()
            + " ok="
            + v.ok()
            + v.firstBad().stream().mapToObj(b -> " firstBad=" + b).findFirst().orElse(""),
        clock.instant());
    Http.send(ctx, 200, verificationJson(v));
  }

  /**
   * The verification as JSON, as {@code GET /v1/audit/verify} and {@code credo audit verify --json}
   * give it.
   */
  static ObjectNode verificationJson(Verification v) {
    ObjectNode n = ApiWire.MAPPER.createObjectNode();
    n.put("ok", v.ok());
    n.put("entries", v.entries());
    n.put("checkpoints", v.checkpoints());
    n.put("signaturesChecked", v.signaturesChecked());
    if (v.firstBad().isPresent()) {
      n.put("firstBad", v.firstBad().getAsLong());
      n.put("reason", v.reason());
    } else {
      n.putNull("firstBad");
    }
    n.put("seconds", Math.round(v.seconds() * 1000) / 1000.0);
    n.put("entriesPerSecond", Math.round(v.rate()));
    return n;
  }
}
