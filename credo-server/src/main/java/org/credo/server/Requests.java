package org.credo.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.credo.access.InquiryLog;
import org.credo.access.Principal;
import org.credo.access.Role;
import org.credo.access.Tokens;
import org.credo.app.Caller;
import org.credo.app.SubjectReads;
import org.credo.audit.AuditLog;
import org.credo.subject.SubjectId;

/**
 * The request helpers that need more than the request: the subject a token may see, the body size
 * limit, and the audit entry or inquiry a read of a subject's data leaves. One per server, handed
 * to every route class.
 */
final class Requests {
  private final Tokens tokens;
  private final Clock clock;
  private final long maxBodyBytes;
  private final RequestAudit audit;
  private final SubjectReads reads;

  Requests(Tokens tokens, Clock clock, long maxBodyBytes, RequestAudit audit, SubjectReads reads) {
    this.tokens = requireNonNull(tokens, "tokens is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.maxBodyBytes = maxBodyBytes;
    this.audit = requireNonNull(audit, "audit is null");
    this.reads = requireNonNull(reads, "reads is null");
  }

  /** The {subject} path parameter, checked against a subject token's own subject. */
  SubjectId subject(Context ctx, Principal p) {
    SubjectId s = Http.parseSubject(ctx.pathParam("subject"));
    checkSubject(p, s);
    return s;
  }

  /** Refuses a subject token naming another subject. */
  void checkSubject(Principal p, SubjectId s) {
    if (p.role() == Role.SUBJECT && !p.scope().equals(Optional.of(tokens.subjectScope(s)))) {
      throw ApiException.forbidden("not_your_subject", "a subject token sees only its own subject");
    }
  }

  /** The caller of an open route, if it sent a token; a bad token is still refused (401). */
  Optional<Principal> optionalPrincipal(Context ctx) {
    String header = ctx.header("Authorization");
    if (header == null) {
      return Optional.empty();
    }
    if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new ApiException(401, "unauthenticated", "send a token: Authorization: Bearer <token>");
    }
    Tokens.Check check = tokens.check(header.substring(7).strip(), clock.instant());
    if (check instanceof Tokens.Invalid invalid) {
      throw new ApiException(401, "unauthenticated", invalid.reason());
    }
    return Optional.of(((Tokens.Valid) check).principal());
  }

  /** The whole body, up to {@code max.body.bytes}; 413 above. */
  byte[] body(Context ctx) {
    return Http.body(ctx, maxBodyBytes);
  }

  /** A JSON object body; 415 for another content type, 400 for malformed JSON, 413 too large. */
  JsonNode jsonObject(Context ctx) {
    return Http.jsonObject(ctx, maxBodyBytes);
  }

  /**
   * Appends the request's audit entry and waits for its commit: nothing is done or shown unaudited.
   */
  void record(
      Context ctx, Principal p, String action, SubjectId subject, String detail, Instant now) {
    audit.record(ctx, p, action, subject, detail, now);
  }

  /** The same, for an entry about a subject known by its pseudonym (or about none). */
  void record(Context ctx, Principal p, String action, byte[] subjectKey, String detail) {
    RequestAudit.await(audit.queue(p, action, subjectKey, detail, clock.instant()));
    RequestAudit.audited(ctx);
  }

  /**
   * Audits a read of a subject's data by the application's one rule ({@link SubjectReads}): an
   * operator's or auditor's read is also an inquiry the subject sees.
   *
   * @throws ApiException 503 when the entry cannot be written: nothing is shown then
   */
  void logRead(
      Context ctx, SubjectId subject, Principal p, String what, String action, Instant now) {
    try {
      reads.read(Caller.of(p), subject, what, action, now);
    } catch (InquiryLog.Unavailable | AuditLog.Unavailable e) {
      throw new ApiException(
          503, "unavailable", "the inquiry log cannot be written, so nothing is shown");
    }
    RequestAudit.audited(ctx);
  }
}
