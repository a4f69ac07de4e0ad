package org.credo.server;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeSet;
import org.credo.audit.AuditLog;

/**
 * The server's configuration: one typed, validated object. Each setting has a key in the
 * configuration file (Java properties syntax), an environment variable ({@code CREDO_} and the key
 * in upper case with {@code .} and {@code -} as {@code _}) and a default. Later sources win:
 * defaults, then the file, then the environment, then command-line options.
 *
 * @param dataDir the store folder (keys, signing key, and the SQLite database unless PostgreSQL)
 * @param jdbcUrl a PostgreSQL JDBC URL; empty for the embedded SQLite store
 * @param host the address to listen on; {@code 0.0.0.0} for every interface
 * @param port the port; 0 picks a free one
 * @param maxBodyBytes the largest request body accepted (413 above)
 * @param limits rate limits per token and per address
 * @param certificateValidity how long a certificate is valid unless the request says less
 * @param certificateMaxValidity the longest validity a request may ask for
 * @param tokenCache how long a validated token is remembered (a revocation takes that long)
 * @param shutdownGrace how long a stop waits for requests in flight
 * @param inquiryQueue inquiries that may wait for their commit before decisions get 503
 * @param auditCheckpointEvery a signed checkpoint of the audit chain after this many entries
 * @param auditCheckpointInterval a signed checkpoint when this long has passed since the last one
 *     (and the chain has grown)
 * @param auditEnabled false stops writing audit entries — only to measure the audit log's cost; a
 *     server without it logs a warning at start and must not hold real data
 * @param auditGroupCommitWait how long the audit writer waits for more entries before a commit
 *     while requests come at once: fewer, larger commits (less fsync CPU, fewer pages written) for
 *     up to that much latency; a lone request never waits; zero commits at once
 * @param indexCycle on SQLite, how long one sweep of the records' and the audit log's indexes by
 *     subject takes: their rows are written in sweeps of the key space rather than one with each
 *     record or entry (a longer cycle writes less, and keeps more rows waiting in memory)
 * @param dueProcess disputes, notifications, source review and retention
 */
public record ServerConfig(
    Path dataDir,
    Optional<String> jdbcUrl,
    Optional<String> jdbcUser,
    Optional<String> jdbcPassword,
    String host,
    int port,
    long maxBodyBytes,
    Limits limits,
    Duration certificateValidity,
    Duration certificateMaxValidity,
    Duration tokenCache,
    Duration shutdownGrace,
    int inquiryQueue,
    long auditCheckpointEvery,
    Duration auditCheckpointInterval,
    boolean auditEnabled,
    Duration auditGroupCommitWait,
    Duration indexCycle,
    DueProcess dueProcess,
    boolean serving) {

  /**
   * Rate limits (429 above each, with Retry-After).
   *
   * @param decisionsPerSecond decisions per second per token
   * @param reportsPerMinute score and report reads per minute per token
   * @param refusedPerMinute refused requests (401, 403) per minute from one address, after which
   *     its requests get 429 until the budget refills
   * @param subjectReadsPerMinute requests per minute per token to routes that read a subject's data
   *     (everything under {@code /v1/subjects/{subject}}, replays, disputes, lists, repairs, the
   *     audit log)
   * @param addressReadsPerSecond requests per second from one address to routes that read subject
   *     data, decisions included, counted before the token is looked at
   */
  public record Limits(
      int decisionsPerSecond,
      int reportsPerMinute,
      int refusedPerMinute,
      int subjectReadsPerMinute,
      int addressReadsPerSecond) {
    public Limits {
      check(decisionsPerSecond >= 1, "limits.decisions-per-second", "must be at least 1");
      check(reportsPerMinute >= 1, "limits.reports-per-minute", "must be at least 1");
      check(refusedPerMinute >= 1, "limits.refused-per-minute", "must be at least 1");
      check(subjectReadsPerMinute >= 1, "limits.subject-reads-per-minute", "must be at least 1");
      check(addressReadsPerSecond >= 1, "limits.address-reads-per-second", "must be at least 1");
    }
  }

  /**
   * Due process settings (issue #5).
   *
   * @param webhook where notices to subjects are POSTed; none keeps them in the outbox only
   * @param webhookAttempts deliveries tried before a notice is marked failed
   * @param reviewThreshold a source whose upheld-dispute rate exceeds this is flagged for review
   * @param reviewMinimum answered disputes a source needs before its rate is judged
   * @param schedulerInterval how often time-driven steps run (expired disputes, repairs, purge)
   * @param repairDeadline how long the operator has to decide a repair application
   * @param retentionGrace how long records are kept past their rule's expiry before the purge
   */
  public record DueProcess(
      Optional<java.net.URI> webhook,
      int webhookAttempts,
      double reviewThreshold,
      int reviewMinimum,
      Duration schedulerInterval,
      Duration repairDeadline,
      Duration retentionGrace) {
    public DueProcess {
      requireNonNull(webhook, "webhook is null");
      check(webhookAttempts >= 1, "notifications.webhook-attempts", "must be at least 1");
      check(
          reviewThreshold >= 0 && reviewThreshold <= 1,
          "sources.review-threshold",
          "must be a rate from 0 to 1");
      check(reviewMinimum >= 1, "sources.review-minimum", "must be at least 1");
      check(positive(schedulerInterval), "scheduler.interval", "must be above zero");
      check(positive(repairDeadline), "lists.repair-deadline", "must be above zero");
      check(!retentionGrace.isNegative(), "retention.grace", "must not be negative");
      webhook.ifPresent(
          u ->
              check(
                  "http".equals(u.getScheme()) || "https".equals(u.getScheme()),
                  "notifications.webhook",
                  "must be an http:// or https:// URL"));
    }
  }

  /** The settings the application reads, from the same keys as the rest of this configuration. */
  public org.credo.app.AppSettings app() {
    DueProcess d = dueProcess();
    return new org.credo.app.AppSettings(
        d.repairDeadline(), d.reviewThreshold(), d.reviewMinimum(), d.retentionGrace(), serving);
  }

  /** Every key, with its default (null: none). */
  static final Map<String, String> DEFAULTS = new LinkedHashMap<>();

  static {
    DEFAULTS.put("data", "credo-data");
    DEFAULTS.put("jdbc.url", null);
    DEFAULTS.put("jdbc.user", null);
    DEFAULTS.put("jdbc.password", null);
    DEFAULTS.put("host", "127.0.0.1");
    DEFAULTS.put("port", "8080");
    DEFAULTS.put("http.max-body-bytes", "16777216");
    DEFAULTS.put("limits.decisions-per-second", "200");
    DEFAULTS.put("limits.reports-per-minute", "60");
    DEFAULTS.put("limits.refused-per-minute", "60");
    DEFAULTS.put("limits.subject-reads-per-minute", "600");
    DEFAULTS.put("limits.address-reads-per-second", "1000");
    DEFAULTS.put("certificates.validity", "PT24H");
    DEFAULTS.put("certificates.max-validity", "P30D");
    DEFAULTS.put("tokens.cache", "PT10S");
    DEFAULTS.put("shutdown.grace", "PT10S");
    DEFAULTS.put("inquiries.queue", "100000");
    DEFAULTS.put("notifications.webhook", null);
    DEFAULTS.put("notifications.webhook-attempts", "12");
    DEFAULTS.put("sources.review-threshold", "0.2");
    DEFAULTS.put("sources.review-minimum", "10");
    DEFAULTS.put("scheduler.interval", "PT60S");
    DEFAULTS.put("lists.repair-deadline", "P14D");
    DEFAULTS.put("retention.grace", "P90D");
    DEFAULTS.put("audit.checkpoint-every", "10000");
    DEFAULTS.put("audit.checkpoint-interval", "PT1M");
    DEFAULTS.put("audit.enabled", "true");
    DEFAULTS.put("audit.group-commit-wait", "PT0.001S");
    DEFAULTS.put("index.cycle", "PT30S");
    DEFAULTS.put("serving", "false");
  }

  public ServerConfig {
    requireNonNull(dataDir, "dataDir is null");
    requireNonNull(jdbcUrl, "jdbcUrl is null");
    requireNonNull(jdbcUser, "jdbcUser is null");
    requireNonNull(jdbcPassword, "jdbcPassword is null");
    requireNonNull(host, "host is null");
    check(port >= 0 && port <= 65535, "port", "must be 0 to 65535");
    check(maxBodyBytes >= 1024, "http.max-body-bytes", "must be at least 1024");
    requireNonNull(limits, "limits is null");
    check(positive(certificateValidity), "certificates.validity", "must be above zero");
    check(
        positive(certificateMaxValidity)
            && certificateMaxValidity.compareTo(certificateValidity) >= 0,
        "certificates.max-validity",
        "must be at least certificates.validity");
    check(!tokenCache.isNegative(), "tokens.cache", "must not be negative");
    check(!shutdownGrace.isNegative(), "shutdown.grace", "must not be negative");
    check(inquiryQueue >= 100, "inquiries.queue", "must be at least 100");
    requireNonNull(dueProcess, "dueProcess is null");
    check(auditCheckpointEvery >= 1, "audit.checkpoint-every", "must be at least 1");
    check(positive(auditCheckpointInterval), "audit.checkpoint-interval", "must be above zero");
    check(
        !auditGroupCommitWait.isNegative()
            && auditGroupCommitWait.compareTo(AuditLog.Options.MAX_GROUP_COMMIT_WAIT) <= 0,
        "audit.group-commit-wait",
        "must be 0 to 1 s (PT0S to PT1S)");
    check(positive(indexCycle), "index.cycle", "must be above zero");
    jdbcUrl.ifPresent(
        u -> check(u.startsWith("jdbc:postgresql:"), "jdbc.url", "must be a jdbc:postgresql: URL"));
  }

  /** The defaults alone. */
  public static ServerConfig defaults() {
    return load(Optional.empty(), Map.of(), Map.of());
  }

  /**
   * Loads the configuration.
   *
   * @param file a properties file, if given; an unknown key in it is an error (a typo would
   *     otherwise be ignored silently)
   * @param env the environment ({@code System.getenv()})
   * @param overrides settings from the command line, by key
   * @throws IllegalArgumentException naming the setting, where it came from and what is wrong
   */
  public static ServerConfig load(
      Optional<Path> file, Map<String, String> env, Map<String, String> overrides) {
    Map<String, String> values = new LinkedHashMap<>(DEFAULTS);
    Map<String, String> origin = new LinkedHashMap<>();
    DEFAULTS.keySet().forEach(k -> origin.put(k, "default"));
    if (file.isPresent()) {
      Properties p = new Properties();
      try (java.io.Reader in = Files.newBufferedReader(file.get(), StandardCharsets.UTF_8)) {
        p.load(in);
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "cannot read the configuration " + file.get() + ": " + e.getMessage());
      }
      for (String key : new TreeSet<>(p.stringPropertyNames())) {
        if (!DEFAULTS.containsKey(key)) {
          throw new IllegalArgumentException(
              file.get() + ": unknown setting '" + key + "' (known: " + DEFAULTS.keySet() + ")");
        }
        values.put(key, p.getProperty(key).strip());
        origin.put(key, file.get().toString());
      }
    }
    for (String key : DEFAULTS.keySet()) {
      String value = env.get(envName(key));
      if (value != null && !value.isBlank()) {
        values.put(key, value.strip());
        origin.put(key, "$" + envName(key));
      }
    }
    overrides.forEach(
        (key, value) -> {
          if (!DEFAULTS.containsKey(key)) {
            throw new IllegalArgumentException("unknown setting '" + key + "'");
          }
          if (value != null) {
            values.put(key, value);
            origin.put(key, "the command line");
          }
        });
    Settings r = new Settings(values, origin);
    try {
      return new ServerConfig(
          Path.of(r.text("data")),
          r.optional("jdbc.url"),
          r.optional("jdbc.user"),
          r.optional("jdbc.password"),
          r.text("host"),
          r.integer("port"),
          r.bytes("http.max-body-bytes"),
          new Limits(
              r.integer("limits.decisions-per-second"),
              r.integer("limits.reports-per-minute"),
              r.integer("limits.refused-per-minute"),
              r.integer("limits.subject-reads-per-minute"),
              r.integer("limits.address-reads-per-second")),
          r.duration("certificates.validity"),
          r.duration("certificates.max-validity"),
          r.duration("tokens.cache"),
          r.duration("shutdown.grace"),
          r.integer("inquiries.queue"),
          r.integer("audit.checkpoint-every"),
          r.duration("audit.checkpoint-interval"),
          r.bool("audit.enabled"),
          r.duration("audit.group-commit-wait"),
          r.duration("index.cycle"),
          new DueProcess(
              r.optional("notifications.webhook").map(r::uri),
              r.integer("notifications.webhook-attempts"),
              r.number("sources.review-threshold"),
              r.integer("sources.review-minimum"),
              r.duration("scheduler.interval"),
              r.duration("lists.repair-deadline"),
              r.duration("retention.grace")),
          r.bool("serving"));
    } catch (Invalid e) {
      String key = e.key;
      throw new IllegalArgumentException(
          "setting '" + key + "' (from " + origin.get(key) + ") " + e.getMessage());
    }
  }

  /** The environment variable of a key, e.g. {@code CREDO_LIMITS_DECISIONS_PER_SECOND}. */
  public static String envName(String key) {
    return "CREDO_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /** A copy listening on {@code port}. */
  public ServerConfig withPort(int port) {
    return new ServerConfig(
        dataDir,
        jdbcUrl,
        jdbcUser,
        jdbcPassword,
        host,
        port,
        maxBodyBytes,
        limits,
        certificateValidity,
        certificateMaxValidity,
        tokenCache,
        shutdownGrace,
        inquiryQueue,
        auditCheckpointEvery,
        auditCheckpointInterval,
        auditEnabled,
        auditGroupCommitWait,
        indexCycle,
        dueProcess,
        serving);
  }

  private static boolean positive(Duration d) {
    return d != null && !d.isNegative() && !d.isZero();
  }

  private static void check(boolean ok, String key, String problem) {
    if (!ok) {
      throw new Invalid(key, problem);
    }
  }

  private static final class Invalid extends IllegalArgumentException {
    final String key;

    Invalid(String key, String message) {
      super(message);
      this.key = key;
    }
  }

  private record Settings(Map<String, String> values, Map<String, String> origin) {
    String text(String key) {
      String v = values.get(key);
      if (v == null || v.isBlank()) {
        throw new Invalid(key, "is empty");
      }
      return v;
    }

    Optional<String> optional(String key) {
      String v = values.get(key);
      return v == null || v.isBlank() ? Optional.empty() : Optional.of(v);
    }

    double number(String key) {
      try {
        return Double.parseDouble(text(key));
      } catch (NumberFormatException e) {
        throw new Invalid(key, "is not a number: '" + values.get(key) + "'");
      }
    }

    java.net.URI uri(String text) {
      try {
        return new java.net.URI(text);
      } catch (java.net.URISyntaxException e) {
        throw new Invalid("notifications.webhook", "is not a URL: '" + text + "'");
      }
    }

    int integer(String key) {
      try {
        return Integer.parseInt(text(key));
      } catch (NumberFormatException e) {
        throw new Invalid(key, "is not a whole number: '" + values.get(key) + "'");
      }
    }

    boolean bool(String key) {
      String v = text(key).toLowerCase(Locale.ROOT);
      if (!v.equals("true") && !v.equals("false")) {
        throw new Invalid(key, "must be true or false: '" + values.get(key) + "'");
      }
      return v.equals("true");
    }

    /** A byte count, optionally with a k, m or g suffix (powers of 1024). */
    long bytes(String key) {
      String v = text(key).toLowerCase(Locale.ROOT);
      long unit = 1;
      if (v.endsWith("k") || v.endsWith("m") || v.endsWith("g")) {
        unit = v.endsWith("k") ? 1L << 10 : v.endsWith("m") ? 1L << 20 : 1L << 30;
        v = v.substring(0, v.length() - 1);
      }
      try {
        return Math.multiplyExact(Long.parseLong(v), unit);
      } catch (NumberFormatException | ArithmeticException e) {
        throw new Invalid(key, "is not a byte count such as 16m: '" + values.get(key) + "'");
      }
    }

    Duration duration(String key) {
      String v = text(key);
      try {
        return Duration.parse(v.toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException e) {
        throw new Invalid(key, "is not an ISO-8601 duration such as PT10S or P30D: '" + v + "'");
      }
    }
  }
}
