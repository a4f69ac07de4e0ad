package org.credo.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import org.credo.access.Principal;
import org.credo.app.wire.ApiWire;
import org.credo.records.RecordFormatException;
import org.credo.records.RecordJson;
import org.credo.records.SourceId;
import org.credo.subject.SubjectId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every route does with a request and its answer, and needs nothing but the request for:
 * reading and checking the body, fields and query parameters, and writing the JSON answer. (What
 * needs the tokens, the clock or the audit log is in {@link Requests}.) Bad input is refused with
 * an {@link ApiException}, rendered by {@link ErrorMapper}.
 */
final class Http {
  private static final Logger LOG = LoggerFactory.getLogger(Http.class);
  static final String JSON = "application/json";
  // Javalin compresses no body smaller than this (CompressionStrategy's default minimum).
  private static final int SMALL_BODY = 1500;
  // set once a handler has read the whole request body
  private static final String BODY_READ = "credo.bodyRead";
  // An oversized body was read as far as the server reads one before its 413.
  static final String BODY_DRAINED = "credo.bodyDrained";
  // The caller, set by the access filter once its token is checked.
  static final String PRINCIPAL = "credo.principal";

  /** How much of an oversized body is read and dropped before the 413 is sent. */
  private static final long DRAIN_BYTES = 16L << 20;

  private Http() {}

  static void send(Context ctx, int status, Object body) {
    byte[] bytes;
    try {
      bytes = ApiWire.MAPPER.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    ctx.status(status).contentType(JSON);
    if (bytes.length >= SMALL_BODY || !requestBodyRead(ctx)) {
      // Through Javalin: compressed when large; and when the request's body was not read (a
      // refusal before it), Jetty can still add "Connection: close" to the uncommitted answer.
      ctx.result(bytes);
      return;
    }
    // A small body gains nothing from compression: written straight to the response, without
    // Javalin's copy through a fresh 8 KB buffer (about 9 % of a small request's CPU).
    HttpServletResponse res = ctx.res();
    res.setContentLength(bytes.length);
    try {
      res.getOutputStream().write(bytes);
    } catch (IOException e) {
      // The client has gone: nobody is left to answer.
      LOG.debug("{} {}: the client left before its answer ({})", ctx.method(), ctx.path(), e);
    }
  }

  /** Whether the request had no body, or its handler read all of it ({@link #body}). */
  static boolean requestBodyRead(Context ctx) {
    if (Boolean.TRUE.equals(ctx.attribute(BODY_READ))) {
      return true;
    }
    return ctx.req().getContentLengthLong() <= 0 && ctx.header("Transfer-Encoding") == null;
  }

  /** The caller, as the access filter found it; 401 on a route open to anyone. */
  static Principal principal(Context ctx) {
    Principal p = ctx.attribute(PRINCIPAL);
    if (p == null) {
      throw new ApiException(401, "unauthenticated", "send a token: Authorization: Bearer <token>");
    }
    return p;
  }

  /** The {@code limit} query parameter, from 1 to {@code max}; {@code otherwise} when absent. */
  static int limit(Context ctx, int otherwise, int max) {
    String v = ctx.queryParam("limit");
    if (v == null) {
      return otherwise;
    }
    try {
      int n = Integer.parseInt(v);
      if (n >= 1 && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw ApiException.badRequest("bad_request", "'limit' must be 1 to " + max);
  }

  static SubjectId parseSubject(String text) {
    try {
      return SubjectId.parse(text);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("bad_subject", e.getMessage());
    }
  }

  static SourceId parseSource(String text) {
    try {
      return SourceId.of(text);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("bad_source", e.getMessage());
    }
  }

  static String mediaType(Context ctx) {
    String ct = ctx.contentType();
    if (ct == null) {
      return "";
    }
    String[] parts = ct.split(";");
    for (int i = 1; i < parts.length; i++) {
      String[] kv = parts[i].split("=", 2);
      if (kv.length == 2 && kv[0].strip().equalsIgnoreCase("charset")) {
        String charset = kv[1].strip().replace("\"", "").toLowerCase(Locale.ROOT);
        if (!charset.equals("utf-8") && !charset.equals("utf8")) {
          throw new ApiException(
              415,
              "unsupported_media_type",
              "bodies are UTF-8; send charset=utf-8 or no charset (not " + charset + ")");
        }
      }
    }
    return parts[0].strip().toLowerCase(Locale.ROOT);
  }

  /** Reads and drops what is left of a request's body, up to {@link #DRAIN_BYTES}. */
  static void drain(InputStream in) throws IOException {
    byte[] sink = new byte[64 * 1024];
    for (long left = DRAIN_BYTES; left > 0; ) {
      int n = in.read(sink, 0, (int) Math.min(sink.length, left));
      if (n < 0) {
        break;
      }
      left -= n;
    }
  }

  /** The whole body, up to {@code max} bytes; 413 above. */
  static byte[] body(Context ctx, long max) {
    long declared = ctx.req().getContentLengthLong();
    if (declared > max + DRAIN_BYTES) {
      // Said to be far too large: answered before a byte of it is read (or waited for).
      throw new ApiException(413, "body_too_large", "the body is larger than " + max + " bytes");
    }
    try (InputStream in = ctx.bodyInputStream()) {
      byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
      if (bytes.length > max) {
        // Read (and drop) what the client is still sending, up to a bound: a client that sends
        // its whole body before it reads the answer would otherwise find the connection closed
        // and never see the 413.
        drain(in);
        ctx.attribute(BODY_DRAINED, Boolean.TRUE);
        throw new ApiException(413, "body_too_large", "the body is larger than " + max + " bytes");
      }
      ctx.attribute(BODY_READ, Boolean.TRUE);
      return bytes;
    } catch (IOException e) {
      throw ApiException.badRequest("bad_request", "the body could not be read");
    }
  }

  /**
   * A JSON object body of at most {@code max} bytes; 415 for another content type, 400 for
   * malformed JSON.
   */
  static JsonNode jsonObject(Context ctx, long max) {
    if (!mediaType(ctx).equals(JSON)) {
      throw new ApiException(
          415, "unsupported_media_type", "send the body as Content-Type: application/json");
    }
    byte[] bytes = body(ctx, max);
    JsonNode node;
    try {
      node = ApiWire.MAPPER.readTree(org.credo.records.StrictJson.utf8(bytes));
    } catch (org.credo.records.StrictJson.NotUtf8 e) {
      throw ApiException.badRequest("malformed_json", e.getMessage());
    } catch (IOException e) {
      String m =
          e instanceof JsonProcessingException j
              ? org.credo.records.StrictJson.problem(j)
              : "unreadable";
      throw ApiException.badRequest("malformed_json", "the body is not JSON: " + m);
    }
    if (node == null || !node.isObject()) {
      throw ApiException.badRequest("bad_request", "the body must be a JSON object");
    }
    return node;
  }

  /** Each body record's fields and their types, read once per record class. */
  private static final ClassValue<java.util.Map<String, Class<?>>> FIELDS =
      new ClassValue<>() {
        @Override
        protected java.util.Map<String, Class<?>> computeValue(Class<?> type) {
          java.util.Map<String, Class<?>> fields = new java.util.LinkedHashMap<>();
          for (java.lang.reflect.RecordComponent c : type.getRecordComponents()) {
            fields.put(c.getName(), c.getType());
          }
          return java.util.Map.copyOf(fields);
        }
      };

  /**
   * Binds a JSON object to one of {@link org.credo.app.wire.RequestBodies}' records: a field the
   * record does not name, a string field that is not a string and a boolean field that is not true
   * or false are refused with a 400 that names the field; an absent field is null.
   */
  static <T extends Record> T bind(JsonNode body, Class<T> type) {
    java.util.Map<String, Class<?>> fields = FIELDS.get(type);
    onlyFields(body, fields.keySet());
    fields.forEach(
        (name, kind) -> {
          JsonNode v = body.get(name);
          if (v == null || v.isNull()) {
            return;
          }
          if (kind == String.class && !v.isTextual()) {
            throw ApiException.badRequest("bad_request", "'" + name + "' must be a string");
          }
          if (kind == Boolean.class && !v.isBoolean()) {
            throw ApiException.badRequest("bad_request", "'" + name + "' must be true or false");
          }
        });
    try {
      return ApiWire.MAPPER.treeToValue(body, type);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw ApiException.badRequest(
          "bad_request", "the body does not fit: " + e.getOriginalMessage());
    }
  }

  /** A required string field of a bound body. */
  static String required(String value, String field) {
    if (value == null || value.isBlank()) {
      throw ApiException.badRequest("bad_request", "'" + field + "' is required (a string)");
    }
    return value;
  }

  static void onlyFields(JsonNode body, Set<String> allowed) {
    body.fieldNames()
        .forEachRemaining(
            f -> {
              if (!allowed.contains(f)) {
                throw ApiException.badRequest(
                    "bad_request",
                    "unknown field '"
                        + f
                        + "' (expected "
                        + new java.util.TreeSet<>(allowed)
                        + ")");
              }
            });
  }

  /** An instant query parameter; {@code otherwise} when absent or blank. */
  static Instant time(Context ctx, String param, Instant otherwise) {
    String v = ctx.queryParam(param);
    if (v == null || v.isBlank()) {
      return otherwise;
    }
    try {
      return RecordJson.parseTime(param, v);
    } catch (RecordFormatException e) {
      throw ApiException.badRequest("bad_request", e.getMessage());
    }
  }
}
