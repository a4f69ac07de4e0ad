package org.credo.server;

import static java.util.Objects.requireNonNull;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.credo.access.Principal;
import org.credo.app.Refusal;
import org.credo.app.scores.Report;
import org.credo.app.scores.Scores;
import org.credo.app.scores.ScoresOutcome;
import org.credo.app.wire.ReportWire;
import org.credo.app.wire.ScoresWire;
import org.credo.subject.SubjectId;

/**
 * A subject's score and full report, through the application's {@link Scores} (as {@code credo
 * score} and {@code credo report}); paths relative to {@code /v1/subjects/{subject}}.
 */
final class ScoreRoutes {
  private final Scores scores;
  private final RateLimits limits;
  private final Requests requests;
  private final Clock clock;

  ScoreRoutes(Scores scores, RateLimits limits, Requests requests, Clock clock) {
    this.scores = requireNonNull(scores, "scores is null");
    this.limits = requireNonNull(limits, "limits is null");
    this.requests = requireNonNull(requests, "requests is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  List<ApiRoute> routes() {
    return List.of(
        new ApiRoute(
            HandlerType.GET,
            "/score",
            EnumSet.of(ApiRole.SUBJECT, ApiRole.OPERATOR),
            "The subject's score under every active policy, with contributions",
            List.of(),
            List.of("asOf", "knownAt"),
            List.of(400, 404),
            this::score),
        new ApiRoute(
            HandlerType.GET,
            "/report",
            EnumSet.of(ApiRole.SUBJECT, ApiRole.OPERATOR),
            "The full report: records with sources and evidence, scores, lists, inquiries,"
                + " consents",
            List.of(),
            List.of(),
            List.of(400, 404),
            this::report));
  }

  private void score(Context ctx) {
    Principal p = Http.principal(ctx);
    SubjectId subject = requests.subject(ctx, p);
    limits.take(RateLimits.Kind.REPORTS, p.tokenId());
    Instant now = clock.instant();
    Instant asOf = Http.time(ctx, "asOf", now);
    Instant knownAt = Http.time(ctx, "knownAt", now);
    ScoresOutcome outcome =
        scores.score(subject, asOf, knownAt, Optional.ofNullable(ctx.queryParam("policy")), now);
    if (outcome instanceof ScoresOutcome.Served served) {
      requests.logRead(ctx, subject, p, "operator_score_read", "subject.score", now);
      Http.send(ctx, 200, served.wire());
      return;
    }
    if (!(outcome instanceof ScoresOutcome.Scored scored)) {
      throw ErrorMapper.refused((Refusal) outcome);
    }
    requests.logRead(ctx, subject, p, "operator_score_read", "subject.score", now);
    Http.send(ctx, 200, ScoresWire.of(scored));
  }

  private void report(Context ctx) {
    Principal p = Http.principal(ctx);
    SubjectId subject = requests.subject(ctx, p);
    limits.take(RateLimits.Kind.REPORTS, p.tokenId());
    Instant now = clock.instant();
    Report report =
        scores
            .report(subject, now)
            .orElseThrow(() -> ErrorMapper.refused(new ScoresOutcome.NothingHeld(subject)));
    requests.logRead(ctx, subject, p, "operator_report_read", "subject.report", now);
    Http.send(ctx, 200, ReportWire.of(report));
  }
}
