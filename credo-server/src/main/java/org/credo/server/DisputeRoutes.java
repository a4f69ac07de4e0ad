package org.credo.server;

import static java.util.Objects.requireNonNull;
import static org.credo.server.Http.principal;
import static org.credo.server.Http.send;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.credo.access.Principal;
import org.credo.app.Caller;
import org.credo.app.Refusal;
import org.credo.app.disputes.DisputeDesk;
import org.credo.app.disputes.DisputeOutcome;
import org.credo.app.wire.DisputeWire;
import org.credo.app.wire.RequestBodies;
import org.credo.disputes.Dispute;
import org.credo.disputes.DisputeState;
import org.credo.disputes.Disputes;
import org.credo.records.SourceId;
import org.credo.subject.SubjectId;

/**
 * Disputes (issue #5): a subject opens one on a record, the source answers it before its deadline
 * (upheld: withdrawn or corrected; or rejected), and a record an expired dispute suppressed comes
 * back only with evidence. {@link #routes()} sit under {@code /v1}, {@link #subjectRoutes()} under
 * {@code /v1/subjects/{subject}}.
 */
final class DisputeRoutes {
  private final DisputeDesk desk;
  private final Requests requests;
  private final Clock clock;

  DisputeRoutes(DisputeDesk desk, Requests requests, Clock clock) {
    this.desk = requireNonNull(desk, "desk is null");
    this.requests = requireNonNull(requests, "requests is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  List<ApiRoute> routes() {
    return List.of(
        new ApiRoute(
            HandlerType.POST,
            "/disputes",
            EnumSet.of(ApiRole.SUBJECT, ApiRole.OPERATOR),
            "Open a dispute on one of the subject's records, with a statement of up to 100 words",
            List.of(Http.JSON),
            List.of(),
            List.of(400, 404, 409, 413, 415),
            this::open),
        new ApiRoute(
            HandlerType.GET,
            "/disputes",
            EnumSet.of(ApiRole.PROVIDER, ApiRole.OPERATOR, ApiRole.AUDITOR),
            "The dispute queue, earliest deadline first (a provider sees its own source's)",
            List.of(),
            List.of("state", "source", "limit"),
            List.of(400),
            this::queue),
        new ApiRoute(
            HandlerType.GET,
            "/disputes/{id}",
            EnumSet.of(ApiRole.SUBJECT, ApiRole.PROVIDER, ApiRole.OPERATOR, ApiRole.AUDITOR),
            "One dispute with its history",
            List.of(),
            List.of(),
            List.of(404),
            this::one),
        new ApiRoute(
            HandlerType.POST,
            "/disputes/{id}/resolution",
            EnumSet.of(ApiRole.PROVIDER, ApiRole.OPERATOR),
            "Answer a dispute before its deadline: upheld (withdraw or correct) or rejected",
            List.of(Http.JSON),
            List.of(),
            List.of(400, 404, 409, 413, 415),
            this::resolve),
        new ApiRoute(
            HandlerType.POST,
            "/disputes/{id}/recertification",
            EnumSet.of(ApiRole.PROVIDER, ApiRole.OPERATOR),
            "Bring back a record an expired dispute suppressed, with evidence; the subject is told",
            List.of(Http.JSON),
            List.of(),
            List.of(400, 404, 409, 413, 415),
            this::recertify));
  }

  List<ApiRoute> subjectRoutes() {
    return List.of(
        new ApiRoute(
            HandlerType.GET,
            "/disputes",
            EnumSet.of(ApiRole.SUBJECT, ApiRole.OPERATOR),
            "The subject's disputes, newest first",
            List.of(),
            List.of(),
            List.of(400),
            this::subjectDisputes));
  }

  private void open(Context ctx) {
    Principal p = principal(ctx);
    var body = Http.bind(requests.jsonObject(ctx), RequestBodies.DisputeRequest.class);
    SubjectId subject = Http.parseSubject(Http.required(body.subject(), "subject"));
    requests.checkSubject(p, subject);
    Instant now = clock.instant();
    Dispute d =
        done(
            desk.open(
                Caller.of(p),
                subject,
                Http.required(body.record(), "record"),
                Optional.ofNullable(body.statement()).orElse(""),
                now));
    RequestAudit.audited(ctx);
    send(ctx, 201, DisputeWire.of(d, now));
  }

  private void queue(Context ctx) {
    Principal p = principal(ctx);
    Optional<DisputeState> state;
    try {
      state = Optional.ofNullable(ctx.queryParam("state")).map(DisputeState::parse);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("bad_request", e.getMessage());
    }
    Optional<SourceId> source =
        Optional.ofNullable(ctx.queryParam("source")).map(Http::parseSource);
    DisputeDesk.QueueOutcome outcome =
        desk.queue(Caller.of(p), state, source, Http.limit(ctx, 100, 1000));
    if (outcome instanceof DisputeDesk.QueueOutcome.Queue q) {
      send(ctx, 200, DisputeWire.Many.of(q.disputes(), clock.instant()));
    } else {
      throw ErrorMapper.refused((Refusal) outcome);
    }
  }

  private void one(Context ctx) {
    Principal p = principal(ctx);
    send(
        ctx,
        200,
        DisputeWire.of(done(desk.one(Caller.of(p), ctx.pathParam("id"))), clock.instant()));
  }

  private void resolve(Context ctx) {
    Principal p = principal(ctx);
    String id = ctx.pathParam("id");
    var body = Http.bind(requests.jsonObject(ctx), RequestBodies.ResolutionRequest.class);
    String outcome = Http.required(body.outcome(), "outcome");
    Disputes.Answer answer =
        switch (outcome) {
          case "rejected" ->
              new Disputes.Answer.Reject(Optional.ofNullable(body.reason()).orElse(""));
          case "upheld" -> {
            String action = Optional.ofNullable(body.action()).orElse("withdraw");
            if (action.equals("withdraw")) {
              yield new Disputes.Answer.Withdraw(Optional.ofNullable(body.reason()));
            }
            if (!action.equals("correct")) {
              throw ApiException.badRequest(
                  "bad_request", "'action' is withdraw or correct, not '" + action + "'");
            }
            yield new Disputes.Answer.Correct(
                attributes(body.attributes()), Optional.ofNullable(body.evidence()));
          }
          default ->
              throw ApiException.badRequest(
                  "bad_request", "'outcome' is upheld or rejected, not '" + outcome + "'");
        };
    Instant now = clock.instant();
    Dispute d = done(desk.answer(Caller.of(p), id, answer, now));
    RequestAudit.audited(ctx);
    send(ctx, 200, DisputeWire.of(d, now));
  }

  private void recertify(Context ctx) {
    Principal p = principal(ctx);
    String id = ctx.pathParam("id");
    var body = Http.bind(requests.jsonObject(ctx), RequestBodies.RecertificationRequest.class);
    Instant now = clock.instant();
    Dispute d =
        done(
            desk.recertify(Caller.of(p), id, Optional.ofNullable(body.evidence()).orElse(""), now));
    RequestAudit.audited(ctx);
    send(ctx, 200, DisputeWire.of(d, now));
  }

  private void subjectDisputes(Context ctx) {
    Principal p = principal(ctx);
    SubjectId subject = requests.subject(ctx, p);
    Instant now = clock.instant();
    requests.logRead(ctx, subject, p, "operator_disputes_read", "subject.disputes", now);
    send(ctx, 200, DisputeWire.Many.of(desk.ofSubject(subject), now));
  }

  /** The dispute a step gave, or its refusal as the HTTP error of its kind. */
  private static Dispute done(DisputeOutcome outcome) {
    if (outcome instanceof DisputeOutcome.Done d) {
      return d.dispute();
    }
    throw ErrorMapper.refused((Refusal) outcome);
  }

  private static Map<String, Object> attributes(JsonNode a) {
    if (a == null || !a.isObject()) {
      throw ApiException.badRequest(
          "bad_correction", "a correction needs 'attributes', the record's corrected attributes");
    }
    Map<String, Object> out = new HashMap<>();
    a.fields()
        .forEachRemaining(
            e -> {
              JsonNode v = e.getValue();
              if (v.isNumber()) {
                out.put(e.getKey(), v.asDouble());
              } else if (v.isBoolean()) {
                out.put(e.getKey(), v.asBoolean());
              } else if (v.isTextual()) {
                out.put(e.getKey(), v.asText());
              } else {
                throw ApiException.badRequest(
                    "bad_correction",
                    "attribute '" + e.getKey() + "' must be a number, string or boolean");
              }
            });
    return out;
  }
}
