package org.credo.web;

import io.javalin.config.JavalinConfig;
import io.javalin.http.staticfiles.Location;
import io.javalin.security.RouteRole;
import java.util.Map;
import java.util.Set;

/**
 * The web UI of SPEC §5: static pages (subject portal, operator console, verifier) under {@code
 * /credo-web} on the classpath, and the chart library from its WebJar. The pages call the JSON API
 * with the bearer token the user signs in with, kept in the tab's {@code sessionStorage}; the
 * server renders nothing, so the UI needs no route of its own and the API's rules (roles, a subject
 * sees only itself, errors as JSON) are the UI's rules.
 *
 * <p>Served with a Content-Security-Policy that allows scripts, styles and fetches from this origin
 * only: no CDN, no inline script.
 */
public final class WebUi {
  /** The classpath folder of the pages. */
  public static final String PAGES = "/credo-web";

  static final Map<String, String> HEADERS =
      Map.of(
          "Content-Security-Policy",
          "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none';"
              + " frame-ancestors 'none'; form-action 'self'",
          "X-Content-Type-Options",
          "nosniff",
          "Referrer-Policy",
          "no-referrer",
          "Cache-Control",
          "no-cache");

  /** A WebJar's path names its version, so what it serves never changes: cache it for good. */
  static final Map<String, String> LIBRARY_HEADERS =
      Map.of(
          "X-Content-Type-Options", "nosniff",
          "Cache-Control", "public, max-age=31536000, immutable");

  private WebUi() {}

  /**
   * Adds the pages at {@code /} and the chart library at {@code /webjars/}; both open to anyone
   * ({@code open} is the role an authenticating before-handler lets through).
   */
  public static void configure(JavalinConfig cfg, RouteRole open) {
    cfg.staticFiles.add(
        files -> {
          files.hostedPath = "/";
          files.directory = PAGES;
          files.location = Location.CLASSPATH;
          files.headers = HEADERS;
          files.roles = Set.of(open);
        });
    cfg.staticFiles.add(
        files -> {
          files.hostedPath = "/webjars";
          files.directory = "/META-INF/resources/webjars";
          files.location = Location.CLASSPATH;
          files.headers = LIBRARY_HEADERS;
          files.roles = Set.of(open);
        });
  }
}
