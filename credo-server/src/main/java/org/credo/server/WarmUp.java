package org.credo.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.credo.app.wire.ApiWire;
import org.credo.app.wire.ScoreWire;
import org.credo.engine.Engine;
import org.credo.scoring.Score;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Work done in the background right after the server starts, so that the first visitor does not pay
 * for it: the console's first histogram, and the first request of each kind.
 */
final class WarmUp {
  private static final Logger LOG = LoggerFactory.getLogger(WarmUp.class);

  private WarmUp() {}

  /**
   * Computes every active policy's distribution (the console's first histogram) and compiles the
   * scoring and JSON paths a subject's first page load takes.
   */
  static void caches(UiRoutes ui, Engine engine, Clock clock) {
    try {
      ui.warmUp();
      for (Score s : engine.warmUp(200, clock.instant())) {
        ApiWire.MAPPER.valueToTree(ScoreWire.of(s));
      }
    } catch (RuntimeException e) {
      LOG.info("warm-up skipped: {}", e.getMessage());
    }
  }

  /**
   * Asks the server for its pages once: the first request of each kind loads and initialises
   * classes (Jetty's static files, the handlers, JSON) that would otherwise cost the first real
   * visitor a few hundred milliseconds.
   */
  static void pages(String configuredHost, int port) {
    String host =
        configuredHost.equals("0.0.0.0") || configuredHost.equals("::")
            ? "127.0.0.1"
            : configuredHost;
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    for (String path :
        List.of(
            "/portal.html",
            "/console.html",
            "/verify.html",
            "/credo.js",
            "/credo.css",
            "/portal.js",
            "/console.js",
            "/verify.js",
            "/webjars/uplot/1.6.30/dist/uPlot.iife.min.js",
            "/health",
            "/v1/keys",
            "/v1/policies")) {
      try {
        http.send(
            HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + path))
                .timeout(Duration.ofSeconds(5))
                .build(),
            HttpResponse.BodyHandlers.discarding());
      } catch (IOException | IllegalArgumentException e) {
        return; // not reachable from here (e.g. a firewall): nothing to warm
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
