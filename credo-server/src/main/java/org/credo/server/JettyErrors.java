package org.credo.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.credo.app.wire.ApiWire;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The errors the web server writes itself, before a request reaches a route — a URI too long (414),
 * headers too large (431), a malformed request line, path or framing (400) — as the same JSON every
 * route answers with ({@code {"error": code, "message": text}}), never Jetty's HTML page.
 */
final class JettyErrors extends ErrorHandler {

  static String code(int status) {
    return switch (status) {
      case 400 -> "bad_request";
      case 404 -> "not_found";
      case 405 -> "method_not_allowed";
      case 408 -> "request_timeout";
      case 413 -> "body_too_large";
      case 414 -> "uri_too_long";
      case 415 -> "unsupported_media_type";
      case 431 -> "headers_too_large";
      case 505 -> "http_version_not_supported";
      case 500 -> "internal_error";
      case 503 -> "unavailable";
      default -> "http_" + status;
    };
  }

  static String message(int status) {
    return switch (status) {
      case 400 -> "the request is malformed (its request line, path, headers or framing)";
      case 408 -> "the request was not sent in time";
      case 413 -> "the body is too large";
      case 414 -> "the URI is too long";
      case 431 -> "the request's headers are too large";
      case 505 -> "the HTTP version is not supported; send HTTP/1.1";
      case 500 -> "internal error";
      case 503 -> "the server is unavailable; try again later";
      default -> "HTTP error " + status;
    };
  }

  static byte[] body(int status) {
    ObjectNode n = ApiWire.MAPPER.createObjectNode();
    n.put("error", code(status));
    n.put("message", message(status));
    return n.toString().getBytes(StandardCharsets.UTF_8);
  }

  @Override
  protected void generateResponse(
      Request request,
      Response response,
      int code,
      String message,
      Throwable cause,
      Callback callback) {
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.write(true, ByteBuffer.wrap(body(code)), callback);
  }

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(HttpHeader.CONTENT_TYPE, "application/json");
    return ByteBuffer.wrap(body(status));
  }
}
