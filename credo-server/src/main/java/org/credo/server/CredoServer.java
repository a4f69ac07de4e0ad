package org.credo.server;

import static java.util.Objects.requireNonNull;
import static org.credo.server.RouteTable.path;

import io.javalin.Javalin;
import io.javalin.http.HttpResponseException;
import io.javalin.security.RouteRole;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.credo.access.Consents;
import org.credo.access.InquiryLog;
import org.credo.access.Parties;
import org.credo.access.Tokens;
import org.credo.app.Caller;
import org.credo.app.CredoApplication;
import org.credo.audit.AuditLog;
import org.credo.certificates.CertificateIssuer;
import org.credo.disputes.Disputes;
import org.credo.engine.Engine;
import org.credo.engine.StoreFollower;
import org.credo.notify.Outbox;
import org.credo.notify.WebhookSender;
import org.credo.repairs.Repairs;
import org.credo.retention.Retention;
import org.credo.signing.AuditKeys;
import org.credo.signing.BatchSigner;
import org.credo.signing.SigningKey;
import org.credo.store.Keys;
import org.credo.store.Store;
import org.credo.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API of SPEC §5 — the composition root of {@code credo serve} and its lifecycle. It
 * builds the one {@link CredoApplication}, the route classes (one per feature, each given what it
 * needs), the route table of {@link #routeTable} — which registers the routes with Javalin, with
 * the roles that may call each, and writes {@code /openapi.json} — the filters ({@link
 * AccessFilter}), the error mapper ({@link ErrorMapper}), the due-process scheduler and the {@link
 * StoreFollower}; and starts and stops them. No route calls back into it.
 */
public final class CredoServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CredoServer.class);

  private final ServerConfig config;
  private final Store store;
  private final boolean ownsStore;
  private final Clock clock;
  private final Engine engine;
  private final Tokens tokens;
  private final Parties parties;
  private final Consents consents;
  private final InquiryLog inquiries;
  private final AuditLog auditLog;
  private final SigningKey key;
  private final BatchSigner batchSigner;
  private final ExecutorService answers;
  private final PrometheusMeterRegistry metrics;
  private final Disputes disputes;
  private final Repairs repairs;
  private final Outbox outbox;
  private final WebhookSender webhook;
  private final ScheduledExecutorService scheduler;
  // What other processes write to the store (an import, an activation, a revocation …) reaches
  // this server's index and caches within a tick.
  private final StoreFollower follower;
  private final AccessFilter access;
  private final ErrorMapper errors;
  private final UiRoutes ui;
  private Instant lastPurge;
  private final List<ApiRoute> routes;
  private final List<String> registered = new CopyOnWriteArrayList<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Javalin app;
  private final CredoApplication application;

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
    this.inquiries = application.inquiries();
    this.disputes = application.disputes();
    this.repairs = application.repairs();
    this.outbox = application.outbox();
    ServerConfig.DueProcess due = config.dueProcess();
    this.webhook =
        due.webhook()
            .map(u -> new WebhookSender(outbox, u, clock, due.webhookAttempts()))
            .orElse(null);
    this.answers =
        Executors.newFixedThreadPool(
            Math.max(2, Runtime.getRuntime().availableProcessors()),
            r -> {
              Thread t = new Thread(r, "credo-answers");
              t.setDaemon(true);
              return t;
            });
    this.metrics = ServerMetrics.registry(inquiries, auditLog);
    RequestAudit audit = new RequestAudit(auditLog, store.keys());
    RateLimits limits = new RateLimits(config.limits());
    Requests requests =
        new Requests(tokens, clock, config.maxBodyBytes(), audit, application.subjectReads());
    this.access = new AccessFilter(tokens, audit, metrics, limits, clock);
    this.errors = new ErrorMapper(config.maxBodyBytes(), limits);
    this.ui = new UiRoutes(engine, limits, requests, clock);
    this.routes =
        routeTable(
            new SystemRoutes(store, inquiries, metrics, key, access::draining, this::table),
            new RecordRoutes(application.recordIntake(), requests, audit, metrics, clock),
            new DecisionRoutes(
                application.decisions(),
                answers,
                application.decisionReplays(),
                limits,
                requests,
                metrics,
                clock),
            new ScoreRoutes(application.scores(), limits, requests, clock),
            new ConsentRoutes(
                application.subjectConsents(),
                application.subjectScoring(),
                application.subjectErasure(),
                inquiries,
                requests,
                clock),
            new CertificateRoutes(
                new CertificateIssuer(
                    engine, key, config.certificateValidity(), config.certificateMaxValidity()),
                key,
                requests,
                clock),
            new AuditRoutes(application.auditTrail(), key, requests, clock),
            new DisputeRoutes(application.disputeDesk(), requests, clock),
            new ListRoutes(application.lists(), requests, clock),
            new SourceRoutes(application.sources(), requests, clock),
            new PolicyRoutes(application.policies(), requests, clock),
            new CatalogueRoutes(application.catalogue()),
            new FairnessRoutes(application.fairness(), clock),
            new NotificationRoutes(application.subjectNotices(), requests, clock),
            ui);
    this.follower =
        new StoreFollower(engine, clock)
            .on(StoreFollower.Topic.TOKENS, tokens::forget)
            .on(StoreFollower.Topic.PARTIES, parties::forget)
            .on(StoreFollower.Topic.DISPUTES, disputes::reload, disputes::changesWritten)
            .on(StoreFollower.Topic.REPAIRS, repairs::reload)
            .start(StoreFollower.EVERY);
    this.app = javalin();
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "credo-due-process");
              t.setDaemon(true);
              return t;
            });
    long every = due.schedulerInterval().toMillis();
    scheduler.scheduleWithFixedDelay(this::dueProcessTick, 0, every, TimeUnit.MILLISECONDS);
    // The console's first histogram comes from this, computed while nobody waits for it.
    scheduler.execute(() -> WarmUp.caches(ui, engine, clock));
  }

  // ---- the route table ------------------------------------------------------------------------

  /** The whole API, nested by path as Javalin's {@code apiBuilder(path(...))} would have it. */
  /** The web server's threads at most (a blocked one costs its stack, not a core). */
  static final int MAX_HTTP_THREADS = 2_500;

  /** A request's body must arrive at least this fast (after its first second). */
  static final long MIN_REQUEST_BYTES_PER_SECOND = 1024;

  /** How long a request may send nothing before it is cut off. */
  static final Duration REQUEST_IDLE_TIMEOUT = Duration.ofSeconds(5);

  private static List<ApiRoute> routeTable(
      SystemRoutes system,
      RecordRoutes records,
      DecisionRoutes decisions,
      ScoreRoutes scores,
      ConsentRoutes consents,
      CertificateRoutes certificates,
      AuditRoutes audit,
      DisputeRoutes disputes,
      ListRoutes lists,
      SourceRoutes sources,
      PolicyRoutes policies,
      CatalogueRoutes catalogue,
      FairnessRoutes fairness,
      NotificationRoutes notifications,
      UiRoutes ui) {
    return path(
        "",
        system.routes(),
        path(
            "/v1",
            system.keyRoutes(),
            records.routes(),
            decisions.routes(),
            certificates.routes(),
            audit.routes(),
            disputes.routes(),
            sources.routes(),
            policies.routes(),
            catalogue.routes(),
            fairness.routes(),
            lists.routes(),
            ui.routes(),
            path(
                "/subjects/{subject}",
                scores.routes(),
                consents.routes(),
                certificates.subjectRoutes(),
                audit.subjectRoutes(),
                disputes.subjectRoutes(),
                notifications.routes(),
                lists.subjectRoutes(),
                ui.subjectRoutes())));
  }

  private Javalin javalin() {
    return Javalin.create(
        cfg -> {
          cfg.startup.showJavalinBanner = false;
          cfg.startup.showOldJavalinVersionWarning = false;
          cfg.http.maxRequestSize = config.maxBodyBytes();
          cfg.http.prefer405over404 = true;
          // Errors the web server writes before routing (414, 431, malformed requests) are JSON
          // too; a client that sends its request slower than the minimum rate is cut off, so slow
          // connections cannot hold the server's threads.
          cfg.jetty.modifyServer(server -> server.setErrorHandler(new JettyErrors()));
          // Threads enough that clients waiting on slow bodies (cut off by the minimum rate
          // within seconds) do not take the last thread from everyone else; idle ones go.
          var threads = new org.eclipse.jetty.util.thread.QueuedThreadPool(MAX_HTTP_THREADS, 8);
          threads.setName("credo-http");
          cfg.jetty.threadPool = threads;
          cfg.jetty.modifyHttpConfiguration(
              h -> {
                h.setMinRequestDataRate(MIN_REQUEST_BYTES_PER_SECOND);
                h.setIdleTimeout(REQUEST_IDLE_TIMEOUT.toMillis());
              });
          cfg.events.handlerAdded(
              info -> {
                if (!info.getPath().equals("*") && !info.getPath().isEmpty()) {
                  registered.add(info.getHttpMethod().name() + " " + info.getPath());
                }
              });
          org.credo.web.WebUi.configure(cfg, ApiRole.ANYONE);
          cfg.routes.before(access::beforeAll);
          cfg.routes.beforeMatched(access::authenticate);
          cfg.routes.after(access::afterAll);
          for (ApiRoute route : routes) {
            cfg.routes.addHttpHandler(
                route.method(),
                route.path(),
                route.handler(),
                route.roles().toArray(new RouteRole[0]));
          }
          cfg.routes.exception(HttpResponseException.class, errors::handle);
          cfg.routes.exception(Exception.class, errors::handle);
          cfg.routes.error(404, errors::notFound);
          cfg.routes.error(405, errors::methodNotAllowed);
        });
  }

  // ---- the due-process scheduler --------------------------------------------------------------

  /**
   * The time-driven steps of due process, run at start (so a deadline that passed while the server
   * was down is honoured at once) and then every {@code scheduler.interval}.
   */
  void dueProcessTick() {
    try {
      int expired = application.disputeDesk().expireDue(SCHEDULER, clock.instant());
      if (expired > 0) {
        LOG.info("{} disputes expired unanswered; their records are suppressed", expired);
      }
      int granted = application.lists().expireRepairs(SCHEDULER, clock.instant());
      if (granted > 0) {
        LOG.info("{} repair applications granted: the operator did not decide in time", granted);
      }
      Instant now = clock.instant();
      if (lastPurge == null || !now.isBefore(lastPurge.plus(Duration.ofDays(1)))) {
        lastPurge = now;
        Retention.Purge purge = application.purges().purge(SCHEDULER, now, Optional.empty(), false);
        if (purge.purged() > 0) {
          LOG.info("retention: {} records past expiry and grace purged", purge.purged());
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

  /** The scheduler acts as the operator; the audit log names it {@code credo:scheduler}. */
  private static final Caller SCHEDULER = Caller.operator("credo:scheduler");

  public Disputes disputes() {
    return disputes;
  }

  public Outbox outbox() {
    return outbox;
  }

  // ---- lifecycle -----------------------------------------------------------------------------

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
    server.scheduler.execute(() -> WarmUp.pages(config.host(), server.port()));
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
    access.drain();
    long deadline = System.nanoTime() + config.shutdownGrace().toNanos();
    while (access.inFlight() > 0 && System.nanoTime() < deadline) {
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

  /** The route table, once built (for {@code /openapi.json}). */
  private List<ApiRoute> table() {
    return routes;
  }

  /** For tests: the route table as {@code METHOD path → roles}. */
  Map<String, Set<ApiRole>> routeRoles() {
    return RouteTable.roles(routes);
  }
}
