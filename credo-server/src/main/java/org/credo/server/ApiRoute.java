package org.credo.server;

import static java.util.Objects.requireNonNull;

import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.List;
import java.util.Set;

/**
 * One route of the API: method, path, the roles that may call it, and what the OpenAPI document
 * says about it. The same table registers the routes with Javalin and writes {@code /openapi.json},
 * so the two cannot drift apart.
 *
 * @param consumes the request body's content types; empty for no body
 * @param query the query parameters
 * @param errors the error statuses the route may answer besides 401/403/429/500
 */
record ApiRoute(
    HandlerType method,
    String path,
    Set<ApiRole> roles,
    String summary,
    List<String> consumes,
    List<String> query,
    List<Integer> errors,
    Handler handler) {
  ApiRoute {
    requireNonNull(method, "method is null");
    requireNonNull(path, "path is null");
    roles = Set.copyOf(roles);
    requireNonNull(summary, "summary is null");
    consumes = List.copyOf(consumes);
    query = List.copyOf(query);
    errors = List.copyOf(errors);
    requireNonNull(handler, "handler is null");
  }

  boolean open() {
    return roles.contains(ApiRole.ANYONE);
  }

  /** The same route with its path under {@code prefix}. */
  ApiRoute under(String prefix) {
    return new ApiRoute(method, prefix + path, roles, summary, consumes, query, errors, handler);
  }
}
