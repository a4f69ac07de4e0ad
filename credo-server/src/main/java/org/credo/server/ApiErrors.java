package org.credo.server;

import org.credo.app.Refusal;

/** The HTTP form of the application's refusals: one status per kind, the refusal's own code. */
final class ApiErrors {
  private ApiErrors() {}

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
}
