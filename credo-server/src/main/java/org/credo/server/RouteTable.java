package org.credo.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Nests routes under path prefixes, as Javalin's {@code apiBuilder(path(...))} does, so the whole
 * API reads as one table in {@link CredoServer} while each route class declares its paths relative
 * to its place in it. The same flat list registers the routes with Javalin and writes {@code
 * /openapi.json}.
 */
final class RouteTable {
  private RouteTable() {}

  /** The routes of {@code groups}, in order, with {@code prefix} before each path. */
  @SafeVarargs
  static List<ApiRoute> path(String prefix, List<ApiRoute>... groups) {
    List<ApiRoute> out = new ArrayList<>();
    for (List<ApiRoute> group : groups) {
      for (ApiRoute r : group) {
        out.add(r.under(prefix));
      }
    }
    return List.copyOf(out);
  }

  /** The table as {@code METHOD path → roles}. */
  static Map<String, Set<ApiRole>> roles(List<ApiRoute> routes) {
    Map<String, Set<ApiRole>> out = new TreeMap<>();
    routes.forEach(r -> out.put(r.method().name() + " " + r.path(), r.roles()));
    return out;
  }
}
