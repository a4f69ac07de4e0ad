package org.credo.server;

import static java.util.Objects.requireNonNull;

import io.javalin.http.Context;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.credo.access.Principal;
import org.credo.audit.AuditEntry;
import org.credo.audit.AuditLog;
import org.credo.store.Keys;
import org.credo.subject.SubjectId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API's side of the audit log: one entry per request that uses a token. A handler that reads or
 * writes subject data records its own entry (and waits for its commit before answering); any other
 * request with a token gets a {@code request} entry naming the route template — never the path,
 * which may hold a raw subject identifier — and the status, after it is answered.
 */
final class RequestAudit {
  private static final Logger LOG = LoggerFactory.getLogger(RequestAudit.class);
  private static final String AUDITED = "credo.audited";
  private static final String SUBJECT_PARAM = "credo.subject-param";

  private final AuditLog log;
  private final Keys keys;

  RequestAudit(AuditLog log, Keys keys) {
    this.log = requireNonNull(log, "log is null");
    this.keys = requireNonNull(keys, "keys is null");
  }

  AuditLog log() {
    return log;
  }

  /** How a token appears in the log: {@code role:tokenId}. */
  static String actor(Principal p) {
    return p.role().word() + ":" + p.tokenId();
  }

  /** Remembers the {subject} path parameter while it is known (after-handlers do not see it). */
  static void matched(Context ctx) {
    String s = ctx.pathParamMap().get("subject");
    if (s != null) {
      ctx.attribute(SUBJECT_PARAM, s);
    }
  }

  /** Marks the request as audited by its handler (e.g. through the inquiry log). */
  static void audited(Context ctx) {
    ctx.attribute(AUDITED, Boolean.TRUE);
  }

  /**
   * Appends the request's entry and waits for its commit: the answer is not sent before it is
   * durable.
   *
   * @throws ApiException 503 when the log cannot be written
   */
  void record(
      Context ctx, Principal p, String action, SubjectId subject, String detail, Instant now) {
    CompletableFuture<Long> f =
        log.append(
            new AuditEntry(
                now, actor(p), action, subject == null ? null : keys.pseudonym(subject), detail));
    audited(ctx);
    await(f);
  }

  /** Queues an entry without waiting (the caller waits on the futures it collects). */
  CompletableFuture<Long> queue(
      Principal p, String action, byte[] subjectKey, String detail, Instant now) {
    return log.append(new AuditEntry(now, actor(p), action, subjectKey, detail));
  }

  static void await(CompletableFuture<Long> f) {
    try {
      AuditLog.await(f);
    } catch (AuditLog.Unavailable e) {
      throw new ApiException(
          503, "unavailable", "the audit log cannot be written, so nothing is done or shown");
    }
  }

  /**
   * After a request refused with 401 or 403: who tried (the token's id, or a fingerprint of a token
   * that is not valid, or {@code none}), the route, the address and why — about the subject named
   * in the path, if any, so the subject sees failed attempts on its data.
   */
  void denied(Context ctx, Principal p, String route, Instant now) {
    String who;
    if (p != null) {
      who = actor(p);
    } else {
      String header = ctx.header("Authorization");
      who =
          header == null || header.isBlank()
              ? "none"
              : "unknown-token:" + fingerprint(header.strip());
    }
    var matched = ctx.endpoints().matchedHttpEndpoint();
    String template = matched != null ? matched.path : route == null ? "unmatched" : route;
    String code = ctx.attribute(ErrorMapper.ERROR_CODE);
    log.append(
            new AuditEntry(
                now,
                who,
                "access.denied",
                subjectOfPath(ctx),
                ctx.method().name()
                    + " "
                    + template
                    + " "
                    + ctx.statusCode()
                    + " "
                    + (code == null ? "-" : code)
                    + " from "
                    + ctx.ip()))
        .whenComplete(
            (seq, e) -> {
              if (e != null) {
                LOG.error(
                    "cannot audit a refused {} {}: {}", ctx.method(), template, e.getMessage());
              }
            });
  }

  /** The first 12 hex digits of the SHA-256 of what was presented: enough to tell tries apart. */
  private static String fingerprint(String presented) {
    try {
      byte[] d =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(presented.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(d, 0, 6);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private byte[] subjectOfPath(Context ctx) {
    String s = ctx.attribute(SUBJECT_PARAM);
    if (s == null) {
      s = ctx.pathParamMap().get("subject");
    }
    if (s != null) {
      try {
        return keys.pseudonym(SubjectId.parse(s));
      } catch (IllegalArgumentException e) {
        // not a subject identifier: the entry names no subject
      }
    }
    return null;
  }

  /** After a request: token use, unless its handler recorded an entry already. */
  void afterRequest(Context ctx, Principal p, String route, Instant now) {
    if (ctx.statusCode() == 401 || ctx.statusCode() == 403) {
      denied(ctx, p, route, now);
      return;
    }
    if (p == null || ctx.attribute(AUDITED) != null) {
      return;
    }
    var matched = ctx.endpoints().matchedHttpEndpoint();
    String template = matched != null ? matched.path : route;
    byte[] subjectKey = null;
    String s = ctx.attribute(SUBJECT_PARAM);
    if (s != null) {
      try {
        subjectKey = keys.pseudonym(SubjectId.parse(s));
      } catch (IllegalArgumentException e) {
        // not a subject identifier: the entry names no subject
      }
    }
    log.append(
            new AuditEntry(
                now,
                actor(p),
                "request",
                subjectKey,
                ctx.method().name() + " " + template + " " + ctx.statusCode()))
        .whenComplete(
            (seq, e) -> {
              if (e != null) {
                LOG.error("cannot audit {} {}: {}", ctx.method(), template, e.getMessage());
              }
            });
  }
}
