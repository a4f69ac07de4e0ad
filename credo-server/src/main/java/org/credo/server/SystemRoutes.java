package org.credo.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.credo.access.InquiryLog;
import org.credo.app.wire.ApiWire;
import org.credo.signing.SigningKey;
import org.credo.store.Store;

/**
 * The routes open to anyone that say how the server is: health (liveness, readiness), Prometheus
 * metrics, the OpenAPI document of the whole route table, and the public signing keys.
 */
final class SystemRoutes {
  private static final Set<ApiRole> ANYONE = EnumSet.of(ApiRole.ANYONE);

  private final Store store;
  private final InquiryLog inquiries;
  private final PrometheusMeterRegistry metrics;
  private final SigningKey key;
  private final BooleanSupplier stopping;
  private final Supplier<List<ApiRoute>> table;

  /**
   * @param stopping whether the server is stopping (then it is not ready)
   * @param table the whole route table, for {@code /openapi.json}
   */
  SystemRoutes(
      Store store,
      InquiryLog inquiries,
      PrometheusMeterRegistry metrics,
      SigningKey key,
      BooleanSupplier stopping,
      Supplier<List<ApiRoute>> table) {
    this.store = requireNonNull(store, "store is null");
    this.inquiries = requireNonNull(inquiries, "inquiries is null");
    this.metrics = requireNonNull(metrics, "metrics is null");
    this.key = requireNonNull(key, "key is null");
    this.stopping = requireNonNull(stopping, "stopping is null");
    this.table = requireNonNull(table, "table is null");
  }

  /** Health, metrics and the OpenAPI document, at the root. */
  List<ApiRoute> routes() {
    return List.of(
        new ApiRoute(
            HandlerType.GET,
            "/health",
            ANYONE,
            "Liveness and readiness together; 503 when not ready",
            List.of(),
            List.of(),
            List.of(503),
            ctx -> health(ctx, true, true)),
        new ApiRoute(
            HandlerType.GET,
            "/health/live",
            ANYONE,
            "Liveness: the process serves requests",
            List.of(),
            List.of(),
            List.of(),
            ctx -> health(ctx, true, false)),
        new ApiRoute(
            HandlerType.GET,
            "/health/ready",
            ANYONE,
            "Readiness: the store answers and the server is not stopping; 503 otherwise",
            List.of(),
            List.of(),
            List.of(503),
            ctx -> health(ctx, false, true)),
        new ApiRoute(
            HandlerType.GET,
            "/metrics",
            ANYONE,
            "Prometheus metrics",
            List.of(),
            List.of(),
            List.of(),
            ctx -> ctx.contentType("text/plain; version=0.0.4").result(metrics.scrape())),
        new ApiRoute(
            HandlerType.GET,
            "/openapi.json",
            ANYONE,
            "This API's OpenAPI 3.1 document",
            List.of(),
            List.of(),
            List.of(),
            ctx -> Http.send(ctx, 200, OpenApi.document(table.get()))));
  }

  /** The signing keys, under the API's version prefix. */
  List<ApiRoute> keyRoutes() {
    return List.of(
        new ApiRoute(
            HandlerType.GET,
            "/keys",
            ANYONE,
            "The public keys that sign decisions and certificates",
            List.of(),
            List.of(),
            List.of(),
            this::keys));
  }

  private void health(Context ctx, boolean live, boolean ready) {
    ObjectNode n = ApiWire.MAPPER.createObjectNode();
    boolean ok = true;
    if (live) {
      n.put("live", true);
    }
    if (ready) {
      ObjectNode checks = n.putObject("checks");
      String storeState = storeState();
      boolean draining = stopping.getAsBoolean();
      checks.put("store", storeState);
      checks.put("stopping", draining);
      checks.put("inquiriesWaiting", inquiries.waiting());
      boolean isReady = storeState.equals("up") && !draining;
      n.put("ready", isReady);
      ok = isReady;
    }
    n.put("status", ok ? "up" : "down");
    Http.send(ctx, ok ? 200 : 503, n);
  }

  /** {@code up} or {@code down}; {@code busy} when the store does not answer within 2 s. */
  private String storeState() {
    try {
      return CompletableFuture.supplyAsync(() -> store.answers(2) ? "up" : "down")
          .get(2, TimeUnit.SECONDS);
    } catch (Exception e) {
      return "busy";
    }
  }

  private void keys(Context ctx) {
    ObjectNode n = ApiWire.MAPPER.createObjectNode();
    ArrayNode keys = n.putArray("keys");
    ObjectNode k = keys.addObject();
    k.put("keyId", key.keyId());
    k.put("algorithm", "Ed25519");
    k.put("publicKey", key.publicKey().base64Url());
    k.put("pem", key.publicKey().pem());
    n.put(
        "signatures",
        "Ed25519 over the canonical form (RFC 8785 JSON canonicalization: members sorted, no"
            + " whitespace, UTF-8) of the signed object without its 'signature' member");
    Http.send(ctx, 200, n);
  }
}
