package org.credo.server;

/**
 * A request that cannot be served, with its HTTP status, a stable error code and a one-line message
 * for the client. Rendered as {@code {"error": code, "message": …}} by the one exception mapper in
 * {@link ErrorMapper}.
 */
public final class ApiException extends RuntimeException {
  private final int status;
  private final String code;

  public ApiException(int status, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  static ApiException badRequest(String code, String message) {
    return new ApiException(400, code, message);
  }

  static ApiException forbidden(String code, String message) {
    return new ApiException(403, code, message);
  }

  static ApiException notFound(String code, String message) {
    return new ApiException(404, code, message);
  }
}
