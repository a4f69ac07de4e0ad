package org.credo.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.io.IOException;
import org.credo.access.InquiryLog;
import org.credo.app.Refusal;
import org.credo.app.wire.ApiWire;
import org.credo.audit.AuditLog;
import org.credo.records.RecordFormatException;
import org.credo.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every error the API answers, rendered in one place as {@code {"error": code, "message": text}}
 * with a stable code: a route's {@link ApiException}, the application's refusals (one status per
 * kind), a rate limit, Javalin's own 404/405/413, bad input the parsers throw, an unavailable
 * store, and anything else as a 500 with a reference in the log (never a stack trace).
 */
final class ErrorMapper {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorMapper.class);
  private static final String ERROR_WRITTEN = "credo.error";

  /** The error code of the answer, for the audit of refused access. */
  static final String ERROR_CODE = "credo.error-code";

  private final long maxBodyBytes;
  private final RateLimits limits;

  /**
   * @param limits counts each refused request (401, 403) against its address, before the answer
   *     goes out (so the client's next request already sees it)
   */
  ErrorMapper(long maxBodyBytes, RateLimits limits) {
    this.maxBodyBytes = maxBodyBytes;
    this.limits = java.util.Objects.requireNonNull(limits, "limits is null");
  }

  /** The HTTP form of the application's refusals: one status per kind, the refusal's own code. */
  static ApiException refused(Refusal r) {
    int status =
        switch (r.kind()) {
          case BAD_INPUT -> 400;
          case FORBIDDEN -> 403;
          case NOT_FOUND -> 404;
          case CONFLICT -> 409;
        };
    return new ApiException(status, r.code(), r.message());
  }

  /** Javalin's exception handler. */
  void handle(Exception e, Context ctx) {
    if (e instanceof java.util.concurrent.CompletionException
        && e.getCause() instanceof Exception c) {
      e = c;
    }
    if (e instanceof ApiException a) {
      if (a.status() == 401) {
        ctx.header("WWW-Authenticate", "Bearer realm=\"credo\"");
      }
      error(ctx, a.status(), a.code(), a.getMessage());
    } else if (e instanceof org.eclipse.jetty.http.BadMessageException b) {
      // The web server's own refusal while a body was read (too slow: 408; malformed framing):
      // the body cannot be read any further, so it is not drained.
      LOG.debug("{} {}: {}", ctx.method(), ctx.path(), b.getMessage());
      ctx.attribute(Http.BODY_DRAINED, Boolean.TRUE);
      error(ctx, b.getCode(), JettyErrors.code(b.getCode()), JettyErrors.message(b.getCode()));
    } else if (e instanceof RateLimits.RateLimited r) {
      ctx.header("Retry-After", Long.toString(r.retryAfterSeconds));
      error(ctx, 429, "rate_limited", r.getMessage());
    } else if (e instanceof HttpResponseException h) {
      int status = h.getStatus();
      String code =
          switch (status) {
            case 413 -> "body_too_large";
            case 415 -> "unsupported_media_type";
            case 400 -> "bad_request";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            default -> "http_" + status;
          };
      String message =
          status == 413 ? "the body is larger than " + maxBodyBytes + " bytes" : h.getMessage();
      error(ctx, status, code, message);
    } else if (e instanceof JsonProcessingException j) {
      error(
          ctx,
          400,
          "malformed_json",
          "the body is not JSON: " + org.credo.records.StrictJson.problem(j));
    } else if (e instanceof RecordFormatException || e instanceof IllegalArgumentException) {
      error(ctx, 400, "bad_request", e.getMessage());
    } else if (e instanceof InquiryLog.Unavailable
        || e instanceof AuditLog.Unavailable
        || e instanceof StoreException) {
      String ref = "ERR-" + Long.toHexString(System.nanoTime());
      LOG.error("{} {} {}: store unavailable", ref, ctx.method(), ctx.path(), e);
      error(ctx, 503, "unavailable", "the store is unavailable; try again later (" + ref + ")");
    } else {
      String ref = "ERR-" + Long.toHexString(System.nanoTime());
      LOG.error("{} {} {} failed", ref, ctx.method(), ctx.path(), e);
      error(ctx, 500, "internal_error", "internal error, logged as " + ref);
    }
  }

  /** Javalin's 404 page, unless a route's own 404 was written. */
  void notFound(Context ctx) {
    if (ctx.attribute(ERROR_WRITTEN) == null) {
      error(ctx, 404, "not_found", "no such endpoint: " + ctx.method() + " " + ctx.path());
    }
  }

  /** Javalin's 405 page, unless a route's own 405 was written. */
  void methodNotAllowed(Context ctx) {
    if (ctx.attribute(ERROR_WRITTEN) == null) {
      error(ctx, 405, "method_not_allowed", ctx.method() + " is not allowed on " + ctx.path());
    }
  }

  private void error(Context ctx, int status, String code, String message) {
    if (status == 401 || status == 403) {
      limits.refused(ctx.ip());
    }
    if (!Http.requestBodyRead(ctx) && ctx.attribute(Http.BODY_DRAINED) == null) {
      // A refusal before the body was read (401, 403, 429…): read what the client is still
      // sending, as for a 413, or a client that sends its whole body before reading the answer
      // finds the connection closed and never sees the refusal.
      try {
        Http.drain(ctx.req().getInputStream());
      } catch (IOException | RuntimeException e) {
        // too slow, cut off or gone: answer all the same
        LOG.debug("{} {}: the request's body could not be read ({})", ctx.method(), ctx.path(), e);
      }
    }
    ObjectNode n = ApiWire.MAPPER.createObjectNode();
    n.put("error", code);
    n.put("message", message == null ? code : message);
    ctx.attribute(ERROR_WRITTEN, Boolean.TRUE);
    ctx.attribute(ERROR_CODE, code);
    Http.send(ctx, status, n);
  }
}
