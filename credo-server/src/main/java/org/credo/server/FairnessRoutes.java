package org.credo.server;

import static java.util.Objects.requireNonNull;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.credo.app.Caller;
import org.credo.app.Refusal;
import org.credo.app.fairness.FairnessAudit;
import org.credo.app.fairness.FairnessOutcome;

/** The fairness audit, as {@code credo fairness report} gives it. Under {@code /v1}. */
final class FairnessRoutes {
  private final FairnessAudit fairness;
  private final Clock clock;

  FairnessRoutes(FairnessAudit fairness, Clock clock) {
    this.fairness = requireNonNull(fairness, "fairness is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  List<ApiRoute> routes() {
    return List.of(
        new ApiRoute(
            HandlerType.GET,
            "/fairness",
            EnumSet.of(ApiRole.AUDITOR, ApiRole.OPERATOR),
            "Selection rates, adverse-impact ratios (four-fifths flag) with a significance test,"
                + " mean scores and grade shares, and the rules driving a gap, by age band, sex and"
                + " region, per active policy (or ?policy=) and purpose; audited",
            List.of(),
            List.of("policy", "asOf"),
            List.of(400),
            this::report));
  }

  private void report(Context ctx) {
    Instant now = clock.instant();
    Instant at = Http.time(ctx, "asOf", now);
    String policy = ctx.queryParam("policy");
    FairnessOutcome outcome =
        fairness.report(
            Caller.of(Http.principal(ctx)),
            Optional.ofNullable(policy).filter(p -> !p.isBlank()),
            at,
            now);
    if (!(outcome instanceof FairnessOutcome.Reported done)) {
      throw ErrorMapper.refused((Refusal) outcome);
    }
    RequestAudit.audited(ctx);
    Http.send(ctx, 200, done.report());
  }
}
