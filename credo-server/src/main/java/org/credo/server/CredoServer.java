package org.credo.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.security.RouteRole;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.credo.access.Consent;
import org.credo.access.Consents;
import org.credo.access.Inquiry;
import org.credo.access.InquiryLog;
import org.credo.access.Parties;
import org.credo.access.Party;
import org.credo.access.Principal;
import org.credo.access.Role;
import org.credo.access.Tokens;
import org.credo.app.CredoApplication;
import org.credo.app.decisions.DecisionAnswer;
import org.credo.app.scores.Report;
import org.credo.app.scores.ScoresOutcome;
import org.credo.app.wire.ApiWire;
import org.credo.audit.AuditLog;
import org.credo.audit.Verification;
import org.credo.certificates.CertificateIssuer;
import org.credo.certificates.Certificates;
import org.credo.disputes.Disputes;
import org.credo.engine.Engine;
import org.credo.ingest.ImportSummary;
import org.credo.notify.Outbox;
import org.credo.notify.WebhookSender;
import org.credo.policy.Purpose;
import org.credo.records.RecordFormatException;
import org.credo.records.RecordJson;
import org.credo.records.SourceId;
import org.credo.repairs.Repairs;
import org.credo.retention.Retention;
import org.credo.scoring.Score;
import org.credo.signing.AuditKeys;
import org.credo.signing.BatchSigner;
import org.credo.signing.SigningKey;
import org.credo.store.Keys;
import org.credo.store.Store;
import org.credo.store.StoreException;
import org.credo.subject.SubjectId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API of SPEC §5 — the composition root of {@code credo serve}. Every route is declared
 * once, in {@link #routes()}, with the roles that may call it; the same table registers the routes
 * with Javalin and writes {@code /openapi.json}.
 */
public final class CredoServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CredoServer.class);
  private static final String JSON = "application/json";
  // Javalin compresses no body smaller than this (CompressionStrategy's default minimum).
  private static final int SMALL_BODY = 1500;
  // set once a handler has read the whole request body
  private static final String BODY_READ = "credo.bodyRead";
  // An oversized body was read as far as the server reads one before its 413.
  private static final String BODY_DRAINED = "credo.bodyDrained";
  private static final String PRINCIPAL = "credo.principal";
  private static final String ROUTE = "credo.route";
  private static final String STARTED = "credo.started";
  private static final String ERROR_WRITTEN = "credo.error";

  private final ServerConfig config;
  private final Store store;
  private final boolean ownsStore;
  private final Clock clock;
  private final CredoApplication application;
  private final Engine engine;
  private final Tokens tokens;
  private final Parties parties;
  private final Consents consents;
  private final InquiryLog inquiries;
  private final AuditLog auditLog;
  private final RequestAudit audit;
  private final SigningKey key;
  private final BatchSigner batchSigner;
  private final ExecutorService answers;
  private final RateLimits limits;
  private final RecordsIntake intake;
  private final DecisionDesk desk;
  private final CertificateIssuer issuer;
  private final PrometheusMeterRegistry metrics;
  private final Disputes disputes;
  private final Repairs repairs;
  private final Outbox outbox;
  private final WebhookSender webhook;
  private final DueProcessRoutes dueProcess;
  private final ScheduledExecutorService scheduler;
  // What other processes write to the store (an import, an activation, a revocation …) reaches
  // this server's index and caches within a tick.
  private final org.credo.engine.StoreFollower follower;
  private final UiEndpoints ui;
  private Instant lastPurge;
  private final List<ApiRoute> routes;
  private final List<String> registered = new CopyOnWriteArrayList<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicBoolean draining = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Javalin app;

  private CredoServer(
      ServerConfig config, Store store, boolean ownsStore, SigningKey key, Clock clock) {
    this.config = requireNonNull(config, "config is null");
    this.store = requireNonNull(store, "store is null");
    this.ownsStore = ownsStore;
    this.key = requireNonNull(key, "key is null");
    this.clock = requireNonNull(clock, "clock is null");
    // The indexes by subject are written in sweeps while the server runs (SubjectKeyIndex).
    if (!store.deferSubjectIndex(config.indexCycle())
        && store.kind() == Store.Kind.SQLITE
        && !config.indexCycle().isZero()) {
      LOG.warn(
          "another process (an import?) defers the records' index by subject: this server writes"
              + " it with each append until it restarts");
    }
    this.auditLog =
        AuditLog.open(
            store,
            new AuditLog.Options(
                config.inquiryQueue(),
                Optional.of(AuditKeys.signer(key)),
                config.auditCheckpointEvery(),
                config.auditCheckpointInterval(),
                clock,
                config.auditEnabled(),
                config.indexCycle(),
                config.auditGroupCommitWait()));
    if (!config.auditEnabled()) {
      LOG.warn("audit.enabled=false: reads and writes are NOT audited (for measurements only)");
    }
    this.batchSigner = new BatchSigner(key);
    // The one application every route calls; the server adds only HTTP around it.
    this.application = new CredoApplication(store, auditLog, config.app(), clock, batchSigner);
    this.engine = application.engine();
    // Every record in memory, so a decision or a score reads no record from the database;
    // accepted records are added as they commit.
    Engine.IndexFigures index = engine.buildIndex(clock.instant());
    LOG.info(
        "in-memory index: {} subjects, {} records, {} MB, built in {} s",
        index.subjects(),
        index.records(),
        index.bytes() >> 20,
        String.format(java.util.Locale.ROOT, "%.1f", index.seconds()));
    this.tokens = new Tokens(store, config.tokenCache());
    this.parties = application.parties();
    this.consents = application.consents();
    this.audit = new RequestAudit(auditLog, store.keys());
    this.inquiries = application.inquiries();
    this.limits = new RateLimits(config.decisionsPerSecond(), config.reportsPerMinute());
    this.intake = new RecordsIntake(engine, clock, auditLog);
    ServerConfig.DueProcess due = config.dueProcess();
    this.disputes = application.disputes();
    this.repairs = application.repairs();
    this.outbox = application.outbox();
    this.webhook =
        due.webhook()
            .map(u -> new WebhookSender(outbox, u, clock, due.webhookAttempts()))
            .orElse(null);
    this.dueProcess =
        new DueProcessRoutes(
            this, engine, disputes, outbox, application.sourceQuality(), repairs, clock);
    this.answers =
        Executors.newFixedThreadPool(
            Math.max(2, Runtime.getRuntime().availableProcessors()),
            r -> {
              Thread t = new Thread(r, "credo-answers");
              t.setDaemon(true);
              return t;
            });
    this.desk = new DecisionDesk(application.decisions(), answers);
    this.issuer =
        new CertificateIssuer(
            engine, key, config.certificateValidity(), config.certificateMaxValidity());
    this.metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(metrics);
    new JvmGcMetrics().bindTo(metrics);
    new JvmThreadMetrics().bindTo(metrics);
    new ProcessorMetrics().bindTo(metrics);
    Gauge.builder("credo_inquiries_written", inquiries, InquiryLog::written)
        .description("inquiries committed since start")
        .register(metrics);
    Gauge.builder("credo_inquiry_commits", inquiries, InquiryLog::batches)
        .description("inquiry log commits since start (group commit: many inquiries each)")
        .register(metrics);
    Gauge.builder("credo_inquiry_commit_seconds", inquiries, InquiryLog::commitSeconds)
        .description("time spent writing and committing inquiries since start")
        .register(metrics);
    Gauge.builder("credo_inquiries_waiting", inquiries, InquiryLog::waiting)
        .description("inquiries waiting for their commit")
        .register(metrics);
    Gauge.builder("credo_audit_entries_written", auditLog, AuditLog::written)
        .description("audit entries committed since start")
        .register(metrics);
    Gauge.builder("credo_audit_commits", auditLog, AuditLog::batches)
        .description("audit log commits since start (inquiries ride in them)")
        .register(metrics);
    this.ui = new UiEndpoints(this, engine, limits, clock);
    this.follower =
        new org.credo.engine.StoreFollower(engine, clock)
            .on(org.credo.engine.StoreFollower.Topic.TOKENS, tokens::forget)
            .on(org.credo.engine.StoreFollower.Topic.PARTIES, parties::forget)
            .on(
                org.credo.engine.StoreFollower.Topic.DISPUTES,
                disputes::reload,
                disputes::changesWritten)
            .on(org.credo.engine.StoreFollower.Topic.REPAIRS, repairs::reload)
            .start(org.credo.engine.StoreFollower.EVERY);
    this.routes = routes();
    this.app = javalin();
    this.scheduler =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "credo-due-process");
              t.setDaemon(true);
              return t;
            });
    long every = due.schedulerInterval().toMillis();
    scheduler.scheduleWithFixedDelay(this::dueProcessTick, 0, every, TimeUnit.MILLISECONDS);
    // The console's first histogram comes from this, computed while nobody waits for it.
    scheduler.execute(
        () -> {
          try {
            ui.warmUp();
            // The scoring and JSON paths a subject's first page load takes, compiled now.
            for (Score s : engine.warmUp(200, clock.instant())) {
              ApiWire.score(s);
            }
          } catch (RuntimeException e) {
            LOG.info("warm-up skipped: {}", e.getMessage());
          }
        });
  }

  /**
   * The time-driven steps of due process, run at start (so a deadline that passed while the server
   * was down is honoured at once) and then every {@code scheduler.interval}.
   */
  void dueProcessTick() {
    try {
      int expired = disputes.expireDue(clock.instant());
      if (expired > 0) {
        LOG.info("{} disputes expired unanswered; their records are suppressed", expired);
        schedulerAudit("dispute.expire", "expired=" + expired);
      }
      int granted = repairs.expireDue(clock.instant());
      if (granted > 0) {
        LOG.info("{} repair applications granted: the operator did not decide in time", granted);
        schedulerAudit("repair.expire", "granted=" + granted);
      }
      Instant now = clock.instant();
      if (lastPurge == null || !now.isBefore(lastPurge.plus(java.time.Duration.ofDays(1)))) {
        lastPurge = now;
        Retention.Purge purge =
            new Retention(engine).purge(now, config.dueProcess().retentionGrace(), false);
        if (purge.purged() > 0) {
          LOG.info("retention: {} records past expiry and grace purged", purge.purged());
          // That a purge happened and how much, never what was purged.
          schedulerAudit("retention.purge", "purged=" + purge.purged() + " " + purge.byType());
        }
      }
    } catch (RuntimeException e) {
      if (closed.get()) {
        LOG.info("due-process step cut short by the stop; it runs again at the next start");
      } else {
        LOG.warn("due-process step failed (it runs again): {}", e.getMessage(), e);
      }
    }
  }

  private void schedulerAudit(String action, String detail) {
    AuditLog.await(
        auditLog.append(
            new org.credo.audit.AuditEntry(
                clock.instant(), "credo:scheduler", action, null, detail)));
  }

  RequestAudit audit() {
    return audit;
  }

  public Disputes disputes() {
    return disputes;
  }

  public Outbox outbox() {
    return outbox;
  }

  /**
   * Opens the store the configuration names (SQLite in the data folder, or PostgreSQL with the keys
   * in the data folder), creates the signing key on first start, and starts serving.
   */
  public static CredoServer start(ServerConfig config, Clock clock) {
    Store store;
    if (config.jdbcUrl().isPresent()) {
      try {
        java.nio.file.Files.createDirectories(config.dataDir());
      } catch (IOException e) {
        throw new StoreException("cannot create " + config.dataDir() + ": " + e.getMessage(), e);
      }
      store =
          Store.openPostgres(
              config.jdbcUrl().get(),
              config.jdbcUser().orElse(null),
              config.jdbcPassword().orElse(null),
              Keys.inFolder(config.dataDir(), true));
    } else {
      store = Store.openFolder(config.dataDir(), true);
    }
    try {
      return start(config, store, true, SigningKey.inFolder(config.dataDir()), clock);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  /**
   * Serves an open store. With {@code ownsStore} the store is closed when the server stops.
   *
   * @param keyFolder where the signing key lives (created on first start)
   */
  public static CredoServer start(
      ServerConfig config, Store store, boolean ownsStore, Path keyFolder, Clock clock) {
    return start(config, store, ownsStore, SigningKey.inFolder(keyFolder), clock);
  }

  private static CredoServer start(
      ServerConfig config, Store store, boolean ownsStore, SigningKey key, Clock clock) {
    CredoServer server = new CredoServer(config, store, ownsStore, key, clock);
    try {
      server.app.start(config.host(), config.port());
    } catch (RuntimeException e) {
      server.auditLog.close();
      throw e;
    }
    server.scheduler.execute(server::warmUpPages);
    LOG.info(
        "Credo API on http://{}:{}/ (store {}, signing key {})",
        config.host(),
        server.port(),
        store.location(),
        key.keyId());
    return server;
  }

  public int port() {
    return app.port();
  }

  /**
   * Asks this server for its pages once, in the background, right after it starts: the first
   * request of each kind loads and initialises classes (Jetty's static files, the handlers, JSON)
   * that would otherwise cost the first real visitor a few hundred milliseconds.
   */
  private void warmUpPages() {
    String host =
        config.host().equals("0.0.0.0") || config.host().equals("::") ? "127.0.0.1" : config.host();
    java.net.http.HttpClient http =
        java.net.http.HttpClient.newBuilder()
            .connectTimeout(java.time.Duration.ofSeconds(2))
            .build();
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
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://" + host + ":" + port() + path))
                .timeout(java.time.Duration.ofSeconds(5))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.discarding());
      } catch (IOException | IllegalArgumentException e) {
        return; // not reachable from here (e.g. a firewall): nothing to warm
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  public Store store() {
    return store;
  }

  public Tokens tokens() {
    return tokens;
  }

  public Parties parties() {
    return parties;
  }

  public Consents consents() {
    return consents;
  }

  public InquiryLog inquiries() {
    return inquiries;
  }

  public AuditLog auditLog() {
    return auditLog;
  }

  /** Figures of the engine's in-memory index (built at start). */
  public Engine.IndexFigures index() {
    return engine.indexFigures().orElseThrow();
  }

  public SigningKey signingKey() {
    return key;
  }

  /** The routes Javalin registered, as {@code METHOD path}, for the OpenAPI check. */
  public List<String> registeredRoutes() {
    return List.copyOf(registered);
  }

  /**
   * Stops gracefully: readiness turns to 503 and new requests are refused with 503, requests in
   * flight may finish (up to {@code shutdown.grace}), then the HTTP server stops, every queued
   * inquiry is committed, and the store is closed if this server opened it.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    draining.set(true);
    long deadline = System.nanoTime() + config.shutdownGrace().toNanos();
    while (inFlight.get() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    app.stop();
    follower.close();
    scheduler.shutdown(); // a step under way finishes; none starts
    try {
      if (!scheduler.awaitTermination(
          config.shutdownGrace().toMillis() + 1000, TimeUnit.MILLISECONDS)) {
        scheduler.shutdownNow();
      }
    } catch (InterruptedException e) {
      scheduler.shutdownNow();
      Thread.currentThread().interrupt();
    }
    if (webhook != null) {
      webhook.close();
    }
    batchSigner.close();
    auditLog.close(); // commits what is queued and signs a last checkpoint
    answers.shutdown();
    metrics.close();
    if (ownsStore) {
      store.close();
    }
    LOG.info("Credo API stopped");
  }

  // ---- the route table --------------------------------------------------------------------

  private static final Set<ApiRole> ANYONE = EnumSet.of(ApiRole.ANYONE);

  private List<ApiRoute> routes() {
    List<ApiRoute> r = new ArrayList<>();
    r.add(
        route(
            HandlerType.GET,
            "/health",
            ANYONE,
            "Liveness and readiness together; 503 when not ready",
            List.of(),
            List.of(),
            List.of(503),
            ctx -> health(ctx, true, true)));
    r.add(
        route(
            HandlerType.GET,
            "/health/live",
            ANYONE,
            "Liveness: the process serves requests",
            List.of(),
            List.of(),
            List.of(),
            ctx -> health(ctx, true, false)));
    r.add(
        route(
            HandlerType.GET,
            "/health/ready",
            ANYONE,
            "Readiness: the store answers and the server is not stopping; 503 otherwise",
            List.of(),
            List.of(),
            List.of(503),
            ctx -> health(ctx, false, true)));
    r.add(
        route(
            HandlerType.GET,
            "/metrics",
            ANYONE,
            "Prometheus metrics",
            List.of(),
            List.of(),
            List.of(),
            ctx -> ctx.contentType("text/plain; version=0.0.4").result(metrics.scrape())));
    r.add(
        route(
            HandlerType.GET,
            "/openapi.json",
            ANYONE,
            "This API's OpenAPI 3.1 document",
            List.of(),
            List.of(),
            List.of(),
            ctx -> send(ctx, 200, OpenApi.document(routes))));
    r.add(
        route(
            HandlerType.GET,
            "/v1/keys",
            ANYONE,
            "The public keys that sign decisions and certificates",
            List.of(),
            List.of(),
            List.of(),
            this::keys));
    r.add(
        route(
            HandlerType.POST,
            "/v1/records",
            EnumSet.of(ApiRole.PROVIDER),
            "Submit records as the token's source (JSON array or NDJSON); per-record outcome",
            List.of(JSON, "application/x-ndjson"),
            List.of(),
            List.of(400, 413, 415),
            this::submitRecords));
    r.add(
        route(
            HandlerType.GET,
            "/v1/subjects/{subject}/score",
            EnumSet.of(ApiRole.SUBJECT, ApiRole.OPERATOR),
            "The subject's score under every active policy, with contributions",
            List.of(),
            List.of("asOf", "knownAt"),
            List.of(400, 404),
            this::score));
    r.add(
        route(
            HandlerType.GET,
            "/v1/subjects/{subject}/report",
            EnumSet.of(ApiRole.SUBJECT, ApiRole.OPERATOR),
            "The full report: records with sources and evidence, scores, lists, inquiries,"
                + " consents",
            List.of(),
            List.of(),
            List.of(400, 404),
            this::report));
    r.add(
        route(
            HandlerType.POST,
            "/v1/decisions",
            EnumSet.of(ApiRole.RELYING_PARTY),
            "A signed, purpose-bound decision: allow, deny or refer",
            List.of(JSON),
            List.of(),
            List.of(400, 404, 413, 415, 503),
            this::decide));
    r.add(
        route(
            HandlerType.GET,
            "/v1/subjects/{subject}/inquiries",
            EnumSet.of(ApiRole.SUBJECT, ApiRole.OPERATOR, ApiRole.AUDITOR),
            "Who asked about the subject, for which purpose, when, with what outcome",
            List.of(),
            List.of("limit"),
            List.of(400),
            this::listInquiries));
    r.add(
        route(
            HandlerType.GET,
            "/v1/subjects/{subject}/consents",
            EnumSet.of(ApiRole.SUBJECT),
            "The subject's consents, live and past",
            List.of(),
            List.of(),
            List.of(400),
            this::listConsents));
    r.add(
        route(
            HandlerType.POST,
            "/v1/subjects/{subject}/consents",
            EnumSet.of(ApiRole.SUBJECT),
            "Grant a relying party consent for one purpose until a time",
            List.of(JSON),
            List.of(),
            List.of(400, 413, 415),
            this::grantConsent));
    r.add(
        route(
            HandlerType.DELETE,
            "/v1/subjects/{subject}/consents/{id}",
            EnumSet.of(ApiRole.SUBJECT),
            "Revoke a consent",
            List.of(),
            List.of(),
            List.of(400, 404, 409),
            this::revokeConsent));
    r.add(
        route(
            HandlerType.POST,
            "/v1/subjects/{subject}/certificates",
            EnumSet.of(ApiRole.SUBJECT),
            "Issue a signed, short-lived certificate of the claims the subject chooses",
            List.of(JSON),
            List.of(),
            List.of(400, 404, 409, 413, 415),
            this::issueCertificate));
    r.add(
        route(
            HandlerType.POST,
            "/v1/certificates/verify",
            ANYONE,
            "Check a certificate's signature, issuer key and validity",
            List.of(JSON),
            List.of(),
            List.of(400, 413, 415),
            this::verifyCertificate));
    // ---- the audit log (issue #5) ----
    r.add(
        route(
            HandlerType.GET,
            "/v1/subjects/{subject}/audit",
            EnumSet.of(ApiRole.SUBJECT, ApiRole.AUDITOR),
            "The audit entries about the subject: who read or wrote its data, when, why",
            List.of(),
            List.of("limit"),
            List.of(400),
            this::subjectAudit));
    r.add(
        route(
            HandlerType.GET,
            "/v1/audit/verify",
            EnumSet.of(ApiRole.AUDITOR, ApiRole.OPERATOR),
            "Recompute the audit hash chain and check the signed checkpoints; the first bad entry",
            List.of(),
            List.of(),
            List.of(),
            this::verifyAudit));
    r.addAll(dueProcess.routes());
    // The web UI's read endpoints (issue #6): history, distribution, policies.
    r.addAll(ui.routes());
    return List.copyOf(r);
  }

  private static ApiRoute route(
      HandlerType method,
      String path,
      Set<ApiRole> roles,
      String summary,
      List<String> consumes,
      List<String> query,
      List<Integer> errors,
      io.javalin.http.Handler handler) {
    return new ApiRoute(method, path, roles, summary, consumes, query, errors, handler);
  }

  private Javalin javalin() {
    return Javalin.create(
        cfg -> {
          cfg.startup.showJavalinBanner = false;
          cfg.startup.showOldJavalinVersionWarning = false;
          cfg.http.maxRequestSize = config.maxBodyBytes();
          cfg.http.prefer405over404 = true;
          cfg.events.handlerAdded(
              info -> {
                if (!info.getPath().equals("*") && !info.getPath().isEmpty()) {
                  registered.add(info.getHttpMethod().name() + " " + info.getPath());
                }
              });
          org.credo.web.WebUi.configure(cfg, ApiRole.ANYONE);
          cfg.routes.before(this::beforeAll);
          cfg.routes.beforeMatched(this::authenticate);
          cfg.routes.after(this::afterAll);
          for (ApiRoute route : routes) {
            cfg.routes.addHttpHandler(
                route.method(),
                route.path(),
                route.handler(),
                route.roles().toArray(new RouteRole[0]));
          }
          cfg.routes.exception(HttpResponseException.class, (e, ctx) -> mapException(e, ctx));
          cfg.routes.exception(Exception.class, (e, ctx) -> mapException(e, ctx));
          cfg.routes.error(
              404,
              ctx -> {
                if (ctx.attribute(ERROR_WRITTEN) == null) {
                  error(
                      ctx,
                      404,
                      "not_found",
                      "no such endpoint: " + ctx.method() + " " + ctx.path());
                }
              });
          cfg.routes.error(
              405,
              ctx -> {
                if (ctx.attribute(ERROR_WRITTEN) == null) {
                  error(
                      ctx,
                      405,
                      "method_not_allowed",
                      ctx.method() + " is not allowed on " + ctx.path());
                }
              });
        });
  }

  // ---- cross-cutting: draining, authentication, metrics, errors ----------------------------

  private void beforeAll(Context ctx) {
    ctx.attribute(STARTED, System.nanoTime());
    inFlight.incrementAndGet();
    if (draining.get() && !ctx.path().startsWith("/health")) {
      throw new ApiException(503, "unavailable", "the server is stopping");
    }
  }

  /** The route a request matched, e.g. {@code /v1/decisions} (not the filter's {@code *}). */
  private static String matchedPath(Context ctx) {
    io.javalin.router.Endpoint e = ctx.endpoints().matchedHttpEndpoint();
    return e != null ? e.path : ctx.path();
  }

  private void authenticate(Context ctx) {
    ctx.attribute(ROUTE, matchedPath(ctx));
    Set<RouteRole> roles = ctx.routeRoles();
    if (roles.contains(ApiRole.ANYONE)) {
      return;
    }
    String header = ctx.header("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new ApiException(401, "unauthenticated", "send a token: Authorization: Bearer <token>");
    }
    Tokens.Check check = tokens.check(header.substring(7).strip(), clock.instant());
    if (check instanceof Tokens.Invalid invalid) {
      throw new ApiException(401, "unauthenticated", invalid.reason());
    }
    Principal p = ((Tokens.Valid) check).principal();
    RequestAudit.matched(ctx);
    ctx.attribute(PRINCIPAL, p); // set before the role check, so a refused use is audited too
    if (!roles.contains(ApiRole.of(p.role()))) {
      throw ApiException.forbidden(
          "forbidden_role",
          "a "
              + p.role().word()
              + " token may not call "
              + ctx.req().getMethod()
              + " "
              + matchedPath(ctx)
              + " (allowed: "
              + roles.stream()
                  .map(x -> ((ApiRole) x).role().map(Role::word).orElse("anyone"))
                  .sorted()
                  .toList()
              + ")");
    }
  }

  private void afterAll(Context ctx) {
    inFlight.decrementAndGet();
    Long started = ctx.attribute(STARTED);
    if (started == null) {
      return;
    }
    String route = ctx.attribute(ROUTE);
    try {
      audit.afterRequest(ctx, ctx.attribute(PRINCIPAL), route, clock.instant());
    } catch (RuntimeException e) {
      LOG.error("cannot audit {} {}", ctx.method(), route, e);
    }
    Timer.builder("http_server_requests")
        .tag("method", ctx.method().name())
        .tag("route", route == null ? "unmatched" : route)
        .tag("status", Integer.toString(ctx.statusCode()))
        .register(metrics)
        .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
  }

  private void mapException(Exception e, Context ctx) {
    if (e instanceof java.util.concurrent.CompletionException
        && e.getCause() instanceof Exception c) {
      e = c;
    }
    if (e instanceof ApiException a) {
      if (a.status() == 401) {
        ctx.header("WWW-Authenticate", "Bearer realm=\"credo\"");
      }
      error(ctx, a.status(), a.code(), a.getMessage());
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
          status == 413
              ? "the body is larger than " + config.maxBodyBytes() + " bytes"
              : h.getMessage();
      error(ctx, status, code, message);
    } else if (e instanceof JsonProcessingException j) {
      error(ctx, 400, "malformed_json", "the body is not JSON: " + j.getOriginalMessage());
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

  private static void error(Context ctx, int status, String code, String message) {
    if (!requestBodyRead(ctx) && ctx.attribute(BODY_DRAINED) == null) {
      // A refusal before the body was read (401, 403, 429…): read what the client is still
      // sending, as for a 413, or a client that sends its whole body before reading the answer
      // finds the connection closed and never sees the refusal.
      try {
        drain(ctx.req().getInputStream());
      } catch (IOException e) {
        LOG.debug("{} {}: the request's body could not be read ({})", ctx.method(), ctx.path(), e);
      }
    }
    ObjectNode n = ApiWire.MAPPER.createObjectNode();
    n.put("error", code);
    n.put("message", message == null ? code : message);
    ctx.attribute(ERROR_WRITTEN, Boolean.TRUE);
    send(ctx, status, n);
  }

  static void send(Context ctx, int status, JsonNode body) {
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
  private static boolean requestBodyRead(Context ctx) {
    if (Boolean.TRUE.equals(ctx.attribute(BODY_READ))) {
      return true;
    }
    return ctx.req().getContentLengthLong() <= 0 && ctx.header("Transfer-Encoding") == null;
  }

  // ---- request helpers -----------------------------------------------------------------------

  static Principal principal(Context ctx) {
    Principal p = ctx.attribute(PRINCIPAL);
    if (p == null) {
      throw new ApiException(401, "unauthenticated", "send a token: Authorization: Bearer <token>");
    }
    return p;
  }

  /** The {subject} path parameter, checked against a subject token's own subject. */
  SubjectId subject(Context ctx, Principal p) {
    SubjectId s = parseSubject(ctx.pathParam("subject"));
    if (p.role() == Role.SUBJECT && !p.scope().equals(Optional.of(tokens.subjectScope(s)))) {
      throw ApiException.forbidden("not_your_subject", "a subject token sees only its own subject");
    }
    return s;
  }

  /** The caller of an open route, if it sent a token; a bad token is still refused (401). */
  Optional<Principal> optionalPrincipal(Context ctx) {
    String header = ctx.header("Authorization");
    if (header == null) {
      return Optional.empty();
    }
    if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new ApiException(401, "unauthenticated", "send a token: Authorization: Bearer <token>");
    }
    Tokens.Check check = tokens.check(header.substring(7).strip(), clock.instant());
    if (check instanceof Tokens.Invalid invalid) {
      throw new ApiException(401, "unauthenticated", invalid.reason());
    }
    return Optional.of(((Tokens.Valid) check).principal());
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

  /** Refuses a subject token naming another subject. */
  void checkSubject(Principal p, SubjectId s) {
    if (p.role() == Role.SUBJECT && !p.scope().equals(Optional.of(tokens.subjectScope(s)))) {
      throw ApiException.forbidden("not_your_subject", "a subject token sees only its own subject");
    }
  }

  static SubjectId parseSubject(String text) {
    try {
      return SubjectId.parse(text);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("bad_subject", e.getMessage());
    }
  }

  private static String mediaType(Context ctx) {
    String ct = ctx.contentType();
    return ct == null ? "" : ct.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
  }

  /** How much of an oversized body is read and dropped before the 413 is sent. */
  private static final long DRAIN_BYTES = 16L << 20;

  /** Reads and drops what is left of a request's body, up to {@link #DRAIN_BYTES}. */
  private static void drain(InputStream in) throws IOException {
    byte[] sink = new byte[64 * 1024];
    for (long left = DRAIN_BYTES; left > 0; ) {
      int n = in.read(sink, 0, (int) Math.min(sink.length, left));
      if (n < 0) {
        break;
      }
      left -= n;
    }
  }

  private byte[] body(Context ctx) {
    long max = config.maxBodyBytes();
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

  /** A JSON object body; 415 for another content type, 400 for malformed JSON. */
  JsonNode jsonObject(Context ctx) {
    if (!mediaType(ctx).equals(JSON)) {
      throw new ApiException(
          415, "unsupported_media_type", "send the body as Content-Type: application/json");
    }
    byte[] bytes = body(ctx);
    JsonNode node;
    try {
      node = ApiWire.MAPPER.readTree(bytes);
    } catch (IOException e) {
      String m = e instanceof JsonProcessingException j ? j.getOriginalMessage() : "unreadable";
      throw ApiException.badRequest("malformed_json", "the body is not JSON: " + m);
    }
    if (node == null || !node.isObject()) {
      throw ApiException.badRequest("bad_request", "the body must be a JSON object");
    }
    return node;
  }

  static String requiredText(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      throw ApiException.badRequest("bad_request", "'" + field + "' is required (a string)");
    }
    return v.asText();
  }

  static Optional<String> optionalText(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isTextual()) {
      throw ApiException.badRequest("bad_request", "'" + field + "' must be a string");
    }
    return Optional.of(v.asText());
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

  /**
   * Audits a read of a subject's data; an operator's or auditor's read is also an inquiry the
   * subject sees (written in the same transaction as its audit entry).
   */
  void logRead(
      Context ctx, SubjectId subject, Principal p, String what, String action, Instant now) {
    if (p.role() == Role.SUBJECT) {
      // a subject reading its own data is no inquiry, but it is audited
      audit.record(ctx, p, action, subject, "own data", now);
      return;
    }
    RequestAudit.audited(ctx);
    inquiryWritten(
        inquiries.append(
            subject,
            new Inquiry(
                RequestAudit.actor(p),
                Purpose.of(what),
                "read",
                Optional.empty(),
                org.credo.app.decisions.Decisions.newId().replace("dec-", "read-"),
                now),
            RequestAudit.actor(p),
            action));
  }

  private static void inquiryWritten(CompletableFuture<Void> f) {
    try {
      f.get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new ApiException(
          503, "unavailable", "the inquiry log cannot be written, so nothing is shown");
    }
  }

  // ---- handlers ------------------------------------------------------------------------------

  private void health(Context ctx, boolean live, boolean ready) {
    ObjectNode n = ApiWire.MAPPER.createObjectNode();
    boolean ok = true;
    if (live) {
      n.put("live", true);
    }
    if (ready) {
      ObjectNode checks = n.putObject("checks");
      String storeState = storeState();
      checks.put("store", storeState);
      checks.put("stopping", draining.get());
      checks.put("inquiriesWaiting", inquiries.waiting());
      boolean isReady = storeState.equals("up") && !draining.get();
      n.put("ready", isReady);
      ok = isReady;
    }
    n.put("status", ok ? "up" : "down");
    send(ctx, ok ? 200 : 503, n);
  }

  private String storeState() {
    try {
      return CompletableFuture.supplyAsync(
              () -> {
                try (Connection c = store.dataSource().getConnection()) {
                  return c.isValid(2) ? "up" : "down";
                } catch (Exception e) {
                  return "down";
                }
              })
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
    send(ctx, 200, n);
  }

  private void submitRecords(Context ctx) {
    Principal p = principal(ctx);
    String type = mediaType(ctx);
    boolean ndjson =
        switch (type) {
          case JSON -> false;
          case "application/x-ndjson", "application/ndjson", "application/jsonl" -> true;
          default ->
              throw new ApiException(
                  415,
                  "unsupported_media_type",
                  "send records as application/json (an array) or application/x-ndjson");
        };
    SourceId source =
        SourceId.of(p.scope().orElseThrow(() -> ApiException.forbidden("forbidden", "no source")));
    List<Object> items = RecordsIntake.parse(body(ctx), ndjson);
    RecordsIntake.Result result = intake.submit(source, items, RequestAudit.actor(p));
    auditRecords(ctx, p, source, result);
    ObjectNode n = ApiWire.MAPPER.createObjectNode();
    ImportSummary s = result.summary();
    ObjectNode summary = n.putObject("summary");
    summary.put("records", s.lines());
    summary.put("accepted", s.accepted());
    summary.put("superseding", s.superseding());
    summary.put("retracting", s.retracting());
    summary.put("duplicate", s.duplicate());
    summary.put("rejected", s.rejected());
    summary.put("conflicts", s.conflicts());
    ArrayNode outcomes = n.putArray("records");
    for (RecordsIntake.Outcome o : result.outcomes()) {
      ObjectNode x = outcomes.addObject();
      x.put("index", o.index());
      o.id().ifPresent(id -> x.put("id", id));
      x.put("status", o.status());
      o.reason().ifPresent(r -> x.put("reason", r));
      metrics.counter("credo_records_total", "status", o.status()).increment();
    }
    send(ctx, 200, n);
  }

  private void score(Context ctx) {
    Principal p = principal(ctx);
    SubjectId subject = subject(ctx, p);
    limits.take(RateLimits.Kind.REPORTS, p.tokenId());
    Instant now = clock.instant();
    Instant asOf = time(ctx, "asOf", now);
    Instant knownAt = time(ctx, "knownAt", now);
    ScoresOutcome outcome =
        application
            .scores()
            .score(subject, asOf, knownAt, Optional.ofNullable(ctx.queryParam("policy")), now);
    if (!(outcome instanceof ScoresOutcome.Scored scored)) {
      throw ApiErrors.refused((org.credo.app.Refusal) outcome);
    }
    logRead(ctx, subject, p, "operator_score_read", "subject.score", now);
    send(ctx, 200, ApiWire.scores(scored));
  }

  private void report(Context ctx) {
    Principal p = principal(ctx);
    SubjectId subject = subject(ctx, p);
    limits.take(RateLimits.Kind.REPORTS, p.tokenId());
    Instant now = clock.instant();
    Report report =
        application
            .scores()
            .report(subject, now)
            .orElseThrow(() -> ApiErrors.refused(new ScoresOutcome.NothingHeld(subject)));
    logRead(ctx, subject, p, "operator_report_read", "subject.report", now);
    send(ctx, 200, ApiWire.report(report));
  }

  private void decide(Context ctx) {
    Principal p = principal(ctx);
    limits.take(RateLimits.Kind.DECISIONS, p.tokenId());
    JsonNode body = jsonObject(ctx);
    onlyFields(body, Set.of("subject", "purpose", "policy"));
    SubjectId subject = parseSubject(requiredText(body, "subject"));
    Purpose purpose;
    try {
      purpose = Purpose.of(requiredText(body, "purpose"));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("unknown_purpose", e.getMessage());
    }
    CompletableFuture<DecisionAnswer> answer;
    try {
      answer = desk.decide(p, subject, purpose, optionalText(body, "policy"), clock.instant());
    } catch (ApiException e) {
      if (e.code().equals("consent_required")) {
        RequestAudit.audited(ctx); // the refusal was logged with its inquiry
      }
      throw e;
    }
    RequestAudit.audited(ctx);
    // Answered when signed and logged; the request thread goes back to the pool meanwhile.
    ctx.future(
        () ->
            answer.thenAccept(
                a -> {
                  metrics.counter("credo_decisions_total", "outcome", a.outcome()).increment();
                  send(ctx, 200, a.body());
                }));
  }

  private void listInquiries(Context ctx) {
    Principal p = principal(ctx);
    SubjectId subject = subject(ctx, p);
    int limit = limit(ctx, 100, 1000);
    audit.record(ctx, p, "subject.inquiries", subject, "limit=" + limit, clock.instant());
    ObjectNode n = ApiWire.MAPPER.createObjectNode();
    n.put("subject", subject.toString());
    ArrayNode a = n.putArray("inquiries");
    inquiries.list(subject, limit).forEach(i -> a.add(ApiWire.inquiry(i)));
    send(ctx, 200, n);
  }

  private void listConsents(Context ctx) {
    Principal p = principal(ctx);
    SubjectId subject = subject(ctx, p);
    Instant now = clock.instant();
    audit.record(ctx, p, "consent.list", subject, "", now);
    ObjectNode n = ApiWire.MAPPER.createObjectNode();
    ArrayNode a = n.putArray("consents");
    consents.list(subject).forEach(c -> a.add(ApiWire.consent(c, now)));
    send(ctx, 200, n);
  }

  private void grantConsent(Context ctx) {
    Principal p = principal(ctx);
    SubjectId subject = subject(ctx, p);
    JsonNode body = jsonObject(ctx);
    onlyFields(body, Set.of("party", "purpose", "until"));
    String partyId = requiredText(body, "party");
    Purpose purpose;
    try {
      Party.checkId(partyId);
      purpose = Purpose.of(requiredText(body, "purpose"));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("bad_request", e.getMessage());
    }
    Instant until;
    try {
      until = RecordJson.parseTime("until", requiredText(body, "until"));
    } catch (RecordFormatException e) {
      throw ApiException.badRequest("bad_request", e.getMessage());
    }
    Party party =
        parties
            .find(partyId)
            .orElseThrow(
                () ->
                    ApiException.badRequest(
                        "unknown_party", "party '" + partyId + "' is not registered"));
    if (!party.mayAsk(purpose)) {
      throw ApiException.badRequest(
          "purpose_not_registered",
          "party '" + partyId + "' is not registered for purpose '" + purpose + "'");
    }
    Instant now = clock.instant();
    Consent c = consents.grant(subject, partyId, purpose, until, now);
    audit.record(
        ctx,
        p,
        "consent.grant",
        subject,
        "id=" + c.id() + " party=" + partyId + " purpose=" + purpose.name() + " until=" + until,
        now);
    send(ctx, 201, ApiWire.consent(c, now));
  }

  private void revokeConsent(Context ctx) {
    Principal p = principal(ctx);
    SubjectId subject = subject(ctx, p);
    String id = ctx.pathParam("id");
    if (!id.matches("con-[0-9a-f]{16}")) {
      throw ApiException.badRequest(
          "bad_request", "consent id must look like con-0123456789abcdef");
    }
    Instant now = clock.instant();
    Consents.Revocation revocation = consents.revoke(subject, id, now);
    audit.record(
        ctx,
        p,
        "consent.revoke",
        subject,
        "id=" + id + " " + revocation.name().toLowerCase(Locale.ROOT),
        now);
    switch (revocation) {
      case NOT_FOUND -> throw ApiException.notFound("unknown_consent", "no consent " + id);
      case ALREADY_ENDED ->
          throw new ApiException(
              409, "consent_ended", "consent " + id + " has already expired or been revoked");
      case REVOKED ->
          send(ctx, 200, ApiWire.consent(consents.find(subject, id).orElseThrow(), now));
    }
  }

  private void issueCertificate(Context ctx) {
    Principal p = principal(ctx);
    SubjectId subject = subject(ctx, p);
    JsonNode body = jsonObject(ctx);
    onlyFields(body, Set.of("claims", "policy", "validFor"));
    Optional<Duration> validFor;
    try {
      validFor = optionalText(body, "validFor").map(Duration::parse);
    } catch (java.time.format.DateTimeParseException e) {
      throw ApiException.badRequest(
          "bad_request", "'validFor' must be an ISO-8601 duration such as PT1H or P7D");
    }
    CertificateIssuer.Outcome outcome =
        issuer.issue(
            subject,
            CertificateIssuer.parseClaims(body.get("claims")),
            optionalText(body, "policy"),
            validFor,
            clock.instant());
    audit.record(
        ctx,
        p,
        "certificate.issue",
        subject,
        "outcome=" + outcome.getClass().getSimpleName().toLowerCase(Locale.ROOT),
        clock.instant());
    if (outcome instanceof CertificateIssuer.Issued issued) {
      send(ctx, 201, issued.document());
    } else if (outcome instanceof CertificateIssuer.NotHeld notHeld) {
      throw new ApiException(
          409,
          "claim_not_held",
          "the claim '" + notHeld.claim() + "' does not hold now: nothing was signed");
    } else {
      throw ApiException.notFound("unknown_subject", "Credo holds no records about this subject");
    }
  }

  private void verifyCertificate(Context ctx) {
    JsonNode doc = jsonObject(ctx);
    Certificates.Verification v =
        Certificates.verify(doc, Map.of(key.keyId(), key.publicKey()), clock.instant());
    ObjectNode n = ApiWire.MAPPER.createObjectNode();
    n.put("valid", v.valid());
    n.put("reason", v.reason());
    n.put("message", v.message());
    v.certificate()
        .ifPresent(
            c -> {
              n.set("subject", c.get("subject"));
              n.set("claims", c.get("claims"));
              n.set("validUntil", c.get("validUntil"));
              // What the verifier page shows besides the claims (issue #6).
              n.set("validFrom", c.get("validFrom"));
              n.set("issuedAt", c.get("issuedAt"));
              n.set("issuer", c.get("issuer"));
              n.set("keyId", c.get("keyId"));
              n.set("policy", c.get("policy"));
              n.set("id", c.get("id"));
            });
    send(ctx, 200, n);
  }

  // ---- the audit log (issue #5) --------------------------------------------------------------

  /**
   * One entry for the submission; the entries of each subject with records accepted about it are
   * written by the intake, in the records' own transaction.
   */
  private void auditRecords(
      Context ctx, Principal p, SourceId source, RecordsIntake.Result result) {
    Instant now = clock.instant();
    ImportSummary s = result.summary();
    List<CompletableFuture<Long>> written = new ArrayList<>();
    written.add(
        audit.queue(
            p,
            "records.submit",
            null,
            "source="
                + source
                + " records="
                + s.lines()
                + " accepted="
                + s.accepted()
                + " duplicate="
                + s.duplicate()
                + " rejected="
                + s.rejected(),
            now));
    // The entries of the subjects with records accepted were committed with the records.
    RequestAudit.audited(ctx);
    written.forEach(RequestAudit::await);
  }

  private void subjectAudit(Context ctx) {
    Principal p = principal(ctx);
    SubjectId subject = subject(ctx, p);
    int limit = limit(ctx, 100, 1000);
    audit.record(ctx, p, "audit.read", subject, "limit=" + limit, clock.instant());
    ObjectNode n = ApiWire.MAPPER.createObjectNode();
    n.put("subject", subject.toString());
    ArrayNode a = n.putArray("entries");
    auditLog
        .about(store.keys().pseudonym(subject), limit)
        .forEach(e -> a.add(RequestAudit.wire(e)));
    send(ctx, 200, n);
  }

  private void verifyAudit(Context ctx) {
    Principal p = principal(ctx);
    Verification v = auditLog.verify(Optional.of(AuditKeys.check(key.publicKey())));
    audit.record(
        ctx,
        p,
        "audit.verify",
        null,
        "entries="
            + v.entries()
            + " ok="
            + v.ok()
            + v.firstBad().stream().mapToObj(b -> " firstBad=" + b).findFirst().orElse(""),
        clock.instant());
    send(ctx, 200, verificationJson(v));
  }

  /**
   * The verification as JSON, as {@code GET /v1/audit/verify} and {@code credo audit verify --json}
   * give it.
   */
  public static ObjectNode verificationJson(Verification v) {
    ObjectNode n = ApiWire.MAPPER.createObjectNode();
    n.put("ok", v.ok());
    n.put("entries", v.entries());
    n.put("checkpoints", v.checkpoints());
    n.put("signaturesChecked", v.signaturesChecked());
    if (v.firstBad().isPresent()) {
      n.put("firstBad", v.firstBad().getAsLong());
      n.put("reason", v.reason());
    } else {
      n.putNull("firstBad");
    }
    n.put("seconds", Math.round(v.seconds() * 1000) / 1000.0);
    n.put("entriesPerSecond", Math.round(v.rate()));
    return n;
  }

  /** For tests: the route table as {@code METHOD path → roles}. */
  Map<String, Set<ApiRole>> routeRoles() {
    Map<String, Set<ApiRole>> out = new TreeMap<>();
    routes.forEach(r -> out.put(r.method().name() + " " + r.path(), r.roles()));
    return out;
  }
}
