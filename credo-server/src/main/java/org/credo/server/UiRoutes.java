package org.credo.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.credo.access.Principal;
import org.credo.app.wire.ApiWire;
import org.credo.engine.Distribution;
import org.credo.engine.Engine;
import org.credo.policy.GradeBand;
import org.credo.policy.Policy;
import org.credo.scoring.Score;
import org.credo.subject.SubjectId;

/**
 * The read endpoints the web UI draws from beyond the core API (issue #6): a subject's score
 * replayed month by month ({@link #subjectRoutes()}, relative to {@code /v1/subjects/{subject}}),
 * and the score distribution of a policy over the whole population ({@link #routes()}, under {@code
 * /v1}).
 */
final class UiRoutes {
  static final int DEFAULT_MONTHS = 12;
  static final int MAX_MONTHS = 60;

  /**
   * How long a computed distribution is served again while no record has changed: a full rescoring
   * costs a scan of every subject (tens of milliseconds per 100 000 on two cores, about half a
   * second per million), and a console that is reloaded, or several operators, need not pay it each
   * time. A new record makes it stale at once; time alone (records expiring, notice periods ending)
   * only after this long. {@code fresh=true} recomputes.
   */
  static final java.time.Duration DISTRIBUTION_MAX_AGE = java.time.Duration.ofMinutes(5);

  private record Computed(
      org.credo.policy.PolicyRef policy, long nanos, long changes, ObjectNode body) {}

  private final Map<String, Computed> distributions =
      new java.util.concurrent.ConcurrentHashMap<>();

  private final Engine engine;
  private final RateLimits limits;
  private final Requests requests;
  private final Clock clock;

  UiRoutes(Engine engine, RateLimits limits, Requests requests, Clock clock) {
    this.requests = requireNonNull(requests, "requests is null");
    this.engine = requireNonNull(engine, "engine is null");
    this.limits = requireNonNull(limits, "limits is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  List<ApiRoute> subjectRoutes() {
    return List.of(
        new ApiRoute(
            HandlerType.GET,
            "/history",
            EnumSet.of(ApiRole.SUBJECT, ApiRole.OPERATOR),
            "The subject's score under every active policy, replayed month by month (each month"
                + " as Credo knew it then)",
            List.of(),
            List.of("from", "months"),
            List.of(400, 404),
            this::history));
  }

  List<ApiRoute> routes() {
    return List.of(
        new ApiRoute(
            HandlerType.GET,
            "/distribution",
            EnumSet.of(ApiRole.OPERATOR),
            "Score histogram, grade and list counts of an active policy over every subject",
            List.of(),
            List.of("policy", "fresh"),
            List.of(400),
            this::distribution));
  }

  /**
   * Month-end points: {@code months} points one calendar month apart, ending at {@code from +
   * months - 1} or, without {@code from}, at now. Each point is scored as of that instant as known
   * at that instant, so the line shows what Credo said then, under the policies active now.
   */
  private void history(Context ctx) {
    Principal p = Http.principal(ctx);
    SubjectId subject = requests.subject(ctx, p);
    limits.take(RateLimits.Kind.REPORTS, p.tokenId());
    Instant now = clock.instant();
    int months = DEFAULT_MONTHS;
    String m = ctx.queryParam("months");
    if (m != null) {
      try {
        months = Integer.parseInt(m);
      } catch (NumberFormatException e) {
        months = -1;
      }
      if (months < 1 || months > MAX_MONTHS) {
        throw ApiException.badRequest("bad_request", "'months' must be 1 to " + MAX_MONTHS);
      }
    }
    ZonedDateTime last = now.atZone(ZoneOffset.UTC);
    ZonedDateTime first = last.minusMonths(months - 1L);
    if (ctx.queryParam("from") != null) {
      first = Http.time(ctx, "from", now).atZone(ZoneOffset.UTC);
      if (first.toInstant().isAfter(now)) {
        throw ApiException.badRequest("bad_request", "'from' cannot be in the future");
      }
    }
    List<Instant> points = new ArrayList<>();
    for (int i = 0; i < months; i++) {
      Instant t = first.plusMonths(i).toInstant();
      if (t.isAfter(now)) {
        break;
      }
      points.add(t);
    }
    if (engine.records(subject).isEmpty()) {
      throw ApiException.notFound("unknown_subject", "Credo holds no records about this subject");
    }
    requests.logRead(ctx, subject, p, "operator_history_read", "subject.history", now);
    ObjectNode n = ApiWire.MAPPER.createObjectNode();
    n.put("subject", subject.toString());
    n.put("from", points.get(0).toString());
    n.put("months", points.size());
    ArrayNode series = n.putArray("series");
    for (Policy policy : engine.activePolicies(now)) {
      if (!policy.subjects().contains(subject.kind())) {
        continue;
      }
      ObjectNode s = series.addObject();
      s.put("policy", policy.ref().id());
      s.put("policyVersion", policy.ref().version());
      ObjectNode scale = s.putObject("scale");
      scale.set("min", ApiWire.num(policy.scale().min()));
      scale.set("max", ApiWire.num(policy.scale().max()));
      grades(s.putArray("grades"), policy);
      ArrayNode a = s.putArray("points");
      for (Instant t : points) {
        Score score = engine.score(subject, policy, t, t);
        ObjectNode o = a.addObject();
        o.put("asOf", t.toString());
        if (score.hasNumber()) {
          o.set("score", ApiWire.num(score.value()));
          o.put("grade", score.grade().name());
        } else {
          o.putNull("score");
          o.put("unscorable", score.noScore().get().code());
        }
      }
    }
    Http.send(ctx, 200, n);
  }

  /** A full rescoring of the population (over the in-memory index, on every core). */
  private void distribution(Context ctx) {
    Instant now = clock.instant();
    List<Policy> active = engine.activePolicies(now);
    if (active.isEmpty()) {
      throw ApiException.badRequest("bad_request", "no policy is active");
    }
    String wanted = ctx.queryParam("policy");
    Policy policy =
        wanted == null || wanted.isBlank()
            ? active.get(0)
            : active.stream()
                .filter(x -> x.ref().id().equals(wanted))
                .findFirst()
                .orElseThrow(
                    () ->
                        ApiException.badRequest(
                            "no_active_policy", "policy '" + wanted + "' is not active"));
    Computed last = distributions.get(policy.ref().id());
    if (last != null
        && last.policy().equals(policy.ref())
        && System.nanoTime() - last.nanos() < DISTRIBUTION_MAX_AGE.toNanos()
        && last.changes() == engine.changes()
        && !"true".equals(ctx.queryParam("fresh"))) {
      ObjectNode again = last.body().deepCopy();
      again.put("cached", true);
      Http.send(ctx, 200, again);
      return;
    }
    Http.send(ctx, 200, compute(policy, active, now));
  }

  /**
   * Computes every active policy's distribution into the cache: run once in the background when the
   * server starts, so the first operator to open the console does not wait for the first full
   * rescoring (and its compilation).
   */
  void warmUp() {
    Instant now = clock.instant();
    List<Policy> active = engine.activePolicies(now);
    for (Policy policy : active) {
      compute(policy, active, now);
    }
  }

  private ObjectNode compute(Policy policy, List<Policy> active, Instant now) {
    long started = System.nanoTime();
    long changes = engine.changes();
    Distribution d = engine.distribution(policy, now);
    long micros = (System.nanoTime() - started) / 1_000;
    ObjectNode n = ApiWire.MAPPER.createObjectNode();
    n.put("policy", policy.ref().id());
    n.put("policyVersion", policy.ref().version());
    n.put("title", policy.title());
    n.put("at", now.toString());
    ArrayNode ids = n.putArray("policies");
    active.forEach(x -> ids.add(x.ref().id()));
    n.put("subjects", d.subjects());
    // Subjects with no number are their own count, never a bin or a grade.
    n.put("unscorable", d.unscorable());
    policy.scorable().ifPresent(c -> n.put("scorableRule", c.statement()));
    n.put("records", d.records());
    n.set("mean", ApiWire.num(d.mean()));
    double min = policy.scale().min();
    double max = policy.scale().max();
    ObjectNode scale = n.putObject("scale");
    scale.set("min", ApiWire.num(min));
    scale.set("max", ApiWire.num(max));
    ArrayNode grades = grades(n.putArray("grades"), policy);
    for (int i = 0; i < grades.size(); i++) {
      ObjectNode g = (ObjectNode) grades.get(i);
      g.put("count", d.grades().getOrDefault(g.get("grade").asText(), 0L));
    }
    ObjectNode lists = n.putObject("lists");
    new TreeMap<>(d.lists()).forEach(lists::put);
    ArrayNode bins = n.putArray("histogram");
    double width = (max - min) / d.histogram().length;
    for (int b = 0; b < d.histogram().length; b++) {
      ObjectNode o = bins.addObject();
      o.set("from", ApiWire.num(min + b * width));
      o.set("to", ApiWire.num(min + (b + 1) * width));
      o.put("count", d.histogram()[b]);
    }
    n.put("computedMicros", micros);
    n.put("cached", false);
    distributions.put(
        policy.ref().id(), new Computed(policy.ref(), started, changes, n.deepCopy()));
    return n;
  }

  /** The policy's grade bands, best first as the policy lists them, each with its lower bound. */
  private static ArrayNode grades(ArrayNode into, Policy policy) {
    for (GradeBand b : policy.grades()) {
      ObjectNode g = into.addObject();
      g.put("grade", b.grade().name());
      g.set("min", ApiWire.num(b.min()));
    }
    return into;
  }
}
