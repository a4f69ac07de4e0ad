package org.credo.server;

import static java.util.Objects.requireNonNull;
import static org.credo.server.Http.principal;
import static org.credo.server.Http.send;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.credo.access.Principal;
import org.credo.app.Caller;
import org.credo.app.Refusal;
import org.credo.app.lists.ListOutcome;
import org.credo.app.lists.Lists;
import org.credo.app.lists.RepairOutcome;
import org.credo.app.wire.ListWire;
import org.credo.app.wire.RepairWire;
import org.credo.app.wire.RequestBodies;
import org.credo.repairs.Repair;
import org.credo.subject.SubjectId;

/**
 * Lists: a list's entries (in full for operators and auditors; a public red list's opted-in
 * subjects for anyone), a subject's choice to appear on a public red list, and repairs — a
 * subject's application to end a black-list entry whose basis is remedied, and the operator's
 * decision. {@link #routes()} sit under {@code /v1}, {@link #subjectRoutes()} under {@code
 * /v1/subjects/{subject}}.
 */
final class ListRoutes {
  private final Lists lists;
  private final Requests requests;
  private final Clock clock;

  ListRoutes(Lists lists, Requests requests, Clock clock) {
    this.lists = requireNonNull(lists, "lists is null");
    this.requests = requireNonNull(requests, "requests is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  List<ApiRoute> routes() {
    return List.of(
        new ApiRoute(
            HandlerType.GET,
            "/lists/{name}",
            EnumSet.of(ApiRole.ANYONE),
            "A list's entries: operators and auditors see every entry (by pseudonym); anyone sees"
                + " a public red list's subjects who opted in",
            List.of(),
            List.of("policy"),
            List.of(400, 401, 403, 404),
            this::list),
        new ApiRoute(
            HandlerType.GET,
            "/repairs",
            EnumSet.of(ApiRole.OPERATOR, ApiRole.AUDITOR),
            "Repair applications, earliest deadline first",
            List.of(),
            List.of("state", "limit"),
            List.of(400),
            this::repairQueue),
        new ApiRoute(
            HandlerType.POST,
            "/repairs/{id}/decision",
            EnumSet.of(ApiRole.OPERATOR),
            "Grant or refuse a repair application before its deadline",
            List.of(Http.JSON),
            List.of(),
            List.of(400, 404, 409, 413, 415),
            this::decideRepair));
  }

  List<ApiRoute> subjectRoutes() {
    return List.of(
        new ApiRoute(
            HandlerType.PUT,
            "/publication/{list}",
            EnumSet.of(ApiRole.SUBJECT),
            "Opt in to appear on a public red list",
            List.of(),
            List.of(),
            List.of(400, 404),
            ctx -> publication(ctx, true)),
        new ApiRoute(
            HandlerType.DELETE,
            "/publication/{list}",
            EnumSet.of(ApiRole.SUBJECT),
            "Withdraw from a public red list",
            List.of(),
            List.of(),
            List.of(400, 404),
            ctx -> publication(ctx, false)),
        new ApiRoute(
            HandlerType.POST,
            "/repairs",
            EnumSet.of(ApiRole.SUBJECT, ApiRole.OPERATOR),
            "Apply, with evidence, to end a black-list entry whose basis is remedied",
            List.of(Http.JSON),
            List.of(),
            List.of(400, 409, 413, 415),
            this::applyForRepair),
        new ApiRoute(
            HandlerType.GET,
            "/repairs",
            EnumSet.of(ApiRole.SUBJECT, ApiRole.OPERATOR),
            "The subject's repair applications",
            List.of(),
            List.of(),
            List.of(400),
            this::subjectRepairs));
  }

  // ---- lists -----------------------------------------------------------------------------------

  private void list(Context ctx) {
    Optional<Principal> p = requests.optionalPrincipal(ctx);
    ListOutcome outcome =
        lists.view(
            p.map(Caller::of),
            ctx.pathParam("name"),
            Optional.ofNullable(ctx.queryParam("policy")),
            clock.instant());
    if (outcome instanceof ListOutcome.Listed l) {
      if (p.isPresent()) {
        RequestAudit.audited(ctx);
      }
      send(ctx, 200, ListWire.of(l));
    } else if (outcome instanceof ListOutcome.NotPublic n && n.anonymous()) {
      throw new ApiException(
          401, "unauthenticated", "list '" + n.list() + "' is not public: send an operator token");
    } else {
      throw ErrorMapper.refused((Refusal) outcome);
    }
  }

  private void publication(Context ctx, boolean optIn) {
    Principal p = principal(ctx);
    SubjectId subject = requests.subject(ctx, p);
    Lists.PublicationOutcome outcome =
        lists.publish(Caller.of(p), subject, ctx.pathParam("list"), optIn, clock.instant());
    if (outcome instanceof Lists.PublicationOutcome.Published done) {
      RequestAudit.audited(ctx);
      send(ctx, 200, new ListWire.Publication(done.list(), done.published()));
    } else {
      throw ErrorMapper.refused((Refusal) outcome);
    }
  }

  // ---- repairs ---------------------------------------------------------------------------------

  private void applyForRepair(Context ctx) {
    Principal p = principal(ctx);
    SubjectId subject = requests.subject(ctx, p);
    var body = Http.bind(requests.jsonObject(ctx), RequestBodies.RepairRequest.class);
    String list = Http.required(body.list(), "list");
    Repair r =
        done(
            lists.applyForRepair(
                Caller.of(p),
                subject,
                list,
                Optional.ofNullable(body.evidence()).orElse(""),
                clock.instant()));
    RequestAudit.audited(ctx);
    send(ctx, 201, RepairWire.of(r));
  }

  private void subjectRepairs(Context ctx) {
    Principal p = principal(ctx);
    SubjectId subject = requests.subject(ctx, p);
    send(ctx, 200, RepairWire.Many.of(lists.repairsOf(subject)));
  }

  private void repairQueue(Context ctx) {
    Optional<String> state = Optional.ofNullable(ctx.queryParam("state"));
    if (state.isPresent() && !Lists.REPAIR_STATES.contains(state.get())) {
      throw ApiException.badRequest("bad_request", "'state' is open, granted or refused");
    }
    send(ctx, 200, RepairWire.Many.of(lists.repairQueue(state, Http.limit(ctx, 100, 1000))));
  }

  private void decideRepair(Context ctx) {
    Principal p = principal(ctx);
    String id = ctx.pathParam("id");
    var body = Http.bind(requests.jsonObject(ctx), RequestBodies.RepairDecisionRequest.class);
    if (body.granted() == null) {
      throw ApiException.badRequest("bad_request", "'granted' is required (true or false)");
    }
    Repair r =
        done(
            lists.decideRepair(
                Caller.of(p),
                id,
                body.granted(),
                Optional.ofNullable(body.reason()).orElse(""),
                clock.instant()));
    RequestAudit.audited(ctx);
    send(ctx, 200, RepairWire.of(r));
  }

  /** The application a repair step gave, or its refusal as the HTTP error of its kind. */
  private static Repair done(RepairOutcome outcome) {
    if (outcome instanceof RepairOutcome.Done d) {
      return d.repair();
    }
    throw ErrorMapper.refused((Refusal) outcome);
  }
}
