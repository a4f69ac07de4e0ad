package org.credo.server;

import static java.util.Objects.requireNonNull;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import org.credo.app.Caller;
import org.credo.app.Refusal;
import org.credo.app.policies.Policies;
import org.credo.app.policies.PolicyOutcome;
import org.credo.app.policies.SimulationOutcome;
import org.credo.app.wire.PoliciesWire;
import org.credo.app.wire.RequestBodies;
import org.credo.app.wire.SimulationWire;

/**
 * Scoring policies: the active ones and every activation (for the operator console), and activation
 * of a new version, as {@code credo policy activate} does it. Under {@code /v1}.
 */
final class PolicyRoutes {
  private final Policies policies;
  private final Requests requests;
  private final Clock clock;

  PolicyRoutes(Policies policies, Requests requests, Clock clock) {
    this.policies = requireNonNull(policies, "policies is null");
    this.requests = requireNonNull(requests, "requests is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  List<ApiRoute> routes() {
    return List.of(
        new ApiRoute(
            HandlerType.GET,
            "/policies",
            EnumSet.of(ApiRole.OPERATOR, ApiRole.AUDITOR),
            "The active policies and every activation, oldest first",
            List.of(),
            List.of(),
            List.of(),
            this::policies),
        new ApiRoute(
            HandlerType.POST,
            "/policies",
            EnumSet.of(ApiRole.OPERATOR),
            "Check a policy (its YAML text), save it as a new version and make it active now",
            List.of(Http.JSON),
            List.of(),
            List.of(400, 409, 413, 415),
            this::activate),
        new ApiRoute(
            HandlerType.POST,
            "/policies/simulate",
            EnumSet.of(ApiRole.OPERATOR, ApiRole.AUDITOR),
            "What-if of a candidate policy (its YAML text) against the active or a named version:"
                + " grade transitions, score shifts, list and decision changes, reason codes,"
                + " rules and a sample of diffs; saved, and its SHA-256 audited",
            List.of(Http.JSON),
            List.of(),
            List.of(400, 404, 413, 415),
            this::simulate));
  }

  private void simulate(Context ctx) {
    var body = Http.bind(requests.jsonObject(ctx), RequestBodies.SimulationRequest.class);
    String yaml = Http.required(body.yaml(), "yaml");
    String name = body.name() == null || body.name().isBlank() ? "policy" : body.name();
    Instant now = clock.instant();
    Instant asOf;
    try {
      asOf =
          body.asOf() == null || body.asOf().isBlank()
              ? now
              : org.credo.records.RecordJson.parseTime("asOf", body.asOf());
    } catch (org.credo.records.RecordFormatException e) {
      throw ApiException.badRequest("bad_request", e.getMessage());
    }
    SimulationOutcome outcome =
        policies
            .simulations()
            .simulate(
                Caller.of(Http.principal(ctx)),
                name,
                yaml,
                java.util.Optional.ofNullable(body.against()).filter(a -> !a.isBlank()),
                asOf,
                now);
    if (!(outcome instanceof SimulationOutcome.Simulated done)) {
      throw ErrorMapper.refused((Refusal) outcome);
    }
    RequestAudit.audited(ctx);
    Http.send(ctx, 200, SimulationWire.of(done));
  }

  private void policies(Context ctx) {
    Instant now = clock.instant();
    Http.send(ctx, 200, PoliciesWire.of(policies.history(now), policies.active(now)));
  }

  private void activate(Context ctx) {
    var body = Http.bind(requests.jsonObject(ctx), RequestBodies.PolicyRequest.class);
    String yaml = Http.required(body.yaml(), "yaml");
    String name = body.name() == null || body.name().isBlank() ? "policy" : body.name();
    Instant now = clock.instant();
    PolicyOutcome outcome =
        policies.activate(
            Caller.of(Http.principal(ctx)),
            name,
            yaml,
            now,
            Boolean.TRUE.equals(body.withoutSimulation()));
    if (!(outcome instanceof PolicyOutcome.Activated done)) {
      throw ErrorMapper.refused((Refusal) outcome);
    }
    RequestAudit.audited(ctx);
    Http.send(
        ctx,
        201,
        new PoliciesWire.ActivationWire(
            done.policy().ref().id(),
            done.policy().ref().version(),
            done.policy().title(),
            now.toString(),
            done.simulation().orElse(null)));
  }
}
