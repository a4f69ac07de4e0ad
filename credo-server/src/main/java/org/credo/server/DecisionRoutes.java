package org.credo.server;

import static java.util.Objects.requireNonNull;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.credo.access.Principal;
import org.credo.access.Role;
import org.credo.app.Refusal;
import org.credo.app.decisions.DecisionAnswer;
import org.credo.app.decisions.DecisionOutcome;
import org.credo.app.decisions.Decisions;
import org.credo.app.replays.DecisionReplays;
import org.credo.app.replays.ReplayOutcome;
import org.credo.app.wire.ReplayWire;
import org.credo.app.wire.RequestBodies;
import org.credo.policy.Purpose;
import org.credo.subject.SubjectId;

/**
 * Decisions: {@code POST /decisions} over the application's {@link Decisions}, and a past
 * decision's replay. A decision's caller is the party its token names, a refusal becomes its HTTP
 * error, and the answer is sent once it is signed and its inquiry committed — on the {@code
 * answers} pool, so neither the signer's nor the audit writer's thread serves the response and the
 * request thread goes back to Jetty meanwhile. The hot path of the API.
 */
final class DecisionRoutes {
  private final Decisions decisions;
  private final Executor answers;
  private final DecisionReplays replays;
  private final RateLimits limits;
  private final Requests requests;
  private final MeterRegistry metrics;
  private final Clock clock;

  DecisionRoutes(
      Decisions decisions,
      Executor answers,
      DecisionReplays replays,
      RateLimits limits,
      Requests requests,
      MeterRegistry metrics,
      Clock clock) {
    this.decisions = requireNonNull(decisions, "decisions is null");
    this.answers = requireNonNull(answers, "answers is null");
    this.replays = requireNonNull(replays, "replays is null");
    this.limits = requireNonNull(limits, "limits is null");
    this.requests = requireNonNull(requests, "requests is null");
    this.metrics = requireNonNull(metrics, "metrics is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  List<ApiRoute> routes() {
    return List.of(
        new ApiRoute(
            HandlerType.POST,
            "/decisions",
            EnumSet.of(ApiRole.RELYING_PARTY),
            "A signed, purpose-bound decision: allow, deny or refer",
            List.of(Http.JSON),
            List.of(),
            List.of(400, 404, 413, 415, 503),
            this::decide),
        new ApiRoute(
            HandlerType.GET,
            "/decisions/{id}/replay",
            EnumSet.of(ApiRole.RELYING_PARTY, ApiRole.SUBJECT, ApiRole.OPERATOR, ApiRole.AUDITOR),
            "A past decision replayed exactly (the records and policy version Credo had then),"
                + " next to what it would be with today's knowledge and today's policy",
            List.of(),
            List.of("subject"),
            List.of(400, 404),
            this::replay));
  }

  // ---- deciding --------------------------------------------------------------------------------

  private void decide(Context ctx) {
    Principal p = Http.principal(ctx);
    limits.take(RateLimits.Kind.DECISIONS, p.tokenId());
    var body = Http.bind(requests.jsonObject(ctx), RequestBodies.DecisionRequest.class);
    SubjectId subject = Http.parseSubject(Http.required(body.subject(), "subject"));
    Purpose purpose;
    try {
      purpose = Purpose.of(Http.required(body.purpose(), "purpose"));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("unknown_purpose", e.getMessage());
    }
    CompletableFuture<DecisionAnswer> answer;
    try {
      answer = decide(p, subject, purpose, Optional.ofNullable(body.policy()), clock.instant());
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
                  Http.send(ctx, 200, a.body());
                }));
  }

  /** The decision, completed on the answers pool once signed and logged; a refusal is thrown. */
  private CompletableFuture<DecisionAnswer> decide(
      Principal caller,
      SubjectId subject,
      Purpose purpose,
      Optional<String> policyId,
      Instant now) {
    DecisionOutcome outcome =
        decisions.decide(
            new Decisions.Asker(caller.scope(), RequestAudit.actor(caller)),
            subject,
            purpose,
            policyId,
            now);
    if (outcome instanceof DecisionOutcome.DecisionMade made) {
      return made.answer()
          .handleAsync(
              (answer, failure) -> {
                if (failure != null) {
                  throw new ApiException(
                      503,
                      "unavailable",
                      "the decision could not be signed and logged, so none is given; try again"
                          + " later");
                }
                return answer;
              },
              answers);
    }
    throw ErrorMapper.refused((Refusal) outcome);
  }

  // ---- replay ----------------------------------------------------------------------------------

  private void replay(Context ctx) {
    Principal p = Http.principal(ctx);
    String id = ctx.pathParam("id");
    String subjectText = ctx.queryParam("subject");
    if (subjectText == null) {
      throw ApiException.badRequest(
          "bad_request", "name the decision's subject: ?subject= (Credo keeps only a pseudonym)");
    }
    SubjectId subject = Http.parseSubject(subjectText);
    requests.checkSubject(p, subject);
    // A replay reads the subject's history: rate-limited like a report.
    limits.take(RateLimits.Kind.REPORTS, p.tokenId());
    Instant now = clock.instant();
    Optional<String> onlyParty =
        p.role() == Role.RELYING_PARTY ? Optional.of(p.scope().orElse("")) : Optional.empty();
    ReplayOutcome outcome = replays.replay(subject, id, onlyParty, now);
    if (!(outcome instanceof ReplayOutcome.Replayed r)) {
      throw ErrorMapper.refused((Refusal) outcome);
    }
    requests.logRead(ctx, subject, p, "decision_replay", "decision.replay", now);
    Http.send(ctx, 200, ReplayWire.of(r));
  }
}
