package org.credo.server;

import static org.credo.server.CredoServer.onlyFields;
import static org.credo.server.CredoServer.optionalText;
import static org.credo.server.CredoServer.principal;
import static org.credo.server.CredoServer.requiredText;
import static org.credo.server.CredoServer.send;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.credo.access.Principal;
import org.credo.access.Role;
import org.credo.disputes.Dispute;
import org.credo.disputes.DisputeException;
import org.credo.disputes.DisputeState;
import org.credo.disputes.Disputes;
import org.credo.disputes.SourceQuality;
import org.credo.engine.Engine;
import org.credo.notify.Notification;
import org.credo.notify.Outbox;
import org.credo.records.SourceId;
import org.credo.store.Store;
import org.credo.subject.SubjectId;

/**
 * The due-process routes of issue #5: disputes, a subject's notifications, source accountability
 * and suspension. Kept apart from {@link CredoServer}'s own routes; registered through its table,
 * so the OpenAPI document and the access matrix cover them.
 */
final class DueProcessRoutes {
  private static final String JSON = "application/json";

  private final CredoServer server;
  private final Engine engine;
  private final Store store;
  private final Disputes disputes;
  private final Outbox outbox;
  private final SourceQuality quality;
  private final Clock clock;

  DueProcessRoutes(
      CredoServer server,
      Engine engine,
      Disputes disputes,
      Outbox outbox,
      SourceQuality quality,
      Clock clock) {
    this.server = server;
    this.engine = engine;
    this.store = engine.store();
    this.disputes = disputes;
    this.outbox = outbox;
    this.quality = quality;
    this.clock = clock;
  }

  List<ApiRoute> routes() {
    List<ApiRoute> r = new ArrayList<>();
    r.add(
        new ApiRoute(
            HandlerType.POST,
            "/v1/disputes",
            EnumSet.of(ApiRole.SUBJECT, ApiRole.OPERATOR),
            "Open a dispute on one of the subject's records, with a statement of up to 100 words",
            List.of(JSON),
            List.of(),
            List.of(400, 404, 409, 413, 415),
            this::open));
    r.add(
        new ApiRoute(
            HandlerType.GET,
            "/v1/disputes",
            EnumSet.of(ApiRole.PROVIDER, ApiRole.OPERATOR, ApiRole.AUDITOR),
            "The dispute queue, earliest deadline first (a provider sees its own source's)",
            List.of(),
            List.of("state", "source", "limit"),
            List.of(400),
            this::queue));
    r.add(
        new ApiRoute(
            HandlerType.GET,
            "/v1/disputes/{id}",
            EnumSet.of(ApiRole.SUBJECT, ApiRole.PROVIDER, ApiRole.OPERATOR, ApiRole.AUDITOR),
            "One dispute with its history",
            List.of(),
            List.of(),
            List.of(404),
            this::one));
    r.add(
        new ApiRoute(
            HandlerType.POST,
            "/v1/disputes/{id}/resolution",
            EnumSet.of(ApiRole.PROVIDER, ApiRole.OPERATOR),
            "Answer a dispute before its deadline: upheld (withdraw or correct) or rejected",
            List.of(JSON),
            List.of(),
            List.of(400, 404, 409, 413, 415),
            this::resolve));
    r.add(
        new ApiRoute(
            HandlerType.POST,
            "/v1/disputes/{id}/recertification",
            EnumSet.of(ApiRole.PROVIDER, ApiRole.OPERATOR),
            "Bring back a record an expired dispute suppressed, with evidence; the subject is told",
            List.of(JSON),
            List.of(),
            List.of(400, 404, 409, 413, 415),
            this::recertify));
    r.add(
        new ApiRoute(
            HandlerType.GET,
            "/v1/subjects/{subject}/disputes",
            EnumSet.of(ApiRole.SUBJECT, ApiRole.OPERATOR),
            "The subject's disputes, newest first",
            List.of(),
            List.of(),
            List.of(400),
            this::subjectDisputes));
    r.add(
        new ApiRoute(
            HandlerType.GET,
            "/v1/subjects/{subject}/notifications",
            EnumSet.of(ApiRole.SUBJECT, ApiRole.OPERATOR),
            "What the subject was told (new negative records, list notices, disputes, denials)"
                + " and whether the webhook delivered it",
            List.of(),
            List.of("limit"),
            List.of(400),
            this::notifications));
    r.add(
        new ApiRoute(
            HandlerType.GET,
            "/v1/sources",
            EnumSet.of(ApiRole.OPERATOR, ApiRole.AUDITOR),
            "Source accountability: records, disputes, upheld rate, median answer time, flags",
            List.of(),
            List.of(),
            List.of(),
            this::sources));
    r.add(
        new ApiRoute(
            HandlerType.POST,
            "/v1/sources/{source}/suspension",
            EnumSet.of(ApiRole.OPERATOR),
            "Suspend a source: its new records are held, not scored",
            List.of(JSON),
            List.of(),
            List.of(400, 404, 413, 415),
            this::suspend));
    r.add(
        new ApiRoute(
            HandlerType.DELETE,
            "/v1/sources/{source}/suspension",
            EnumSet.of(ApiRole.OPERATOR),
            "End a suspension and release the held records (they count from now on)",
            List.of(),
            List.of(),
            List.of(400, 404, 409),
            this::resume));
    return r;
  }

  // ---- disputes --------------------------------------------------------------------------------

  private void open(Context ctx) {
    Principal p = principal(ctx);
    JsonNode body = server.jsonObject(ctx);
    onlyFields(body, Set.of("subject", "record", "statement"));
    SubjectId subject = CredoServer.parseSubject(requiredText(body, "subject"));
    server.checkSubject(p, subject);
    Instant now = clock.instant();
    Dispute d =
        guard(
            () ->
                disputes.open(
                    subject,
                    requiredText(body, "record"),
                    optionalText(body, "statement").orElse(""),
                    actor(p),
                    now));
    send(ctx, 201, dispute(d, now));
  }

  private void queue(Context ctx) {
    Principal p = principal(ctx);
    Optional<DisputeState> state;
    try {
      state = Optional.ofNullable(ctx.queryParam("state")).map(DisputeState::parse);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("bad_request", e.getMessage());
    }
    Optional<SourceId> source = Optional.ofNullable(ctx.queryParam("source")).map(this::sourceId);
    if (p.role() == Role.PROVIDER) {
      SourceId own = SourceId.of(p.scope().orElseThrow());
      if (source.isPresent() && !source.get().equals(own)) {
        throw ApiException.forbidden(
            "not_your_source", "a provider sees the disputes of its own source only");
      }
      source = Optional.of(own);
    }
    int limit = limit(ctx, 100, 1000);
    Instant now = clock.instant();
    ObjectNode n = ApiWire.MAPPER.createObjectNode();
    ArrayNode a = n.putArray("disputes");
    disputes.queue(state, source, limit).forEach(d -> a.add(dispute(d, now)));
    send(ctx, 200, n);
  }

  private void one(Context ctx) {
    Principal p = principal(ctx);
    String id = ctx.pathParam("id");
    Dispute d =
        disputes
            .get(id)
            .orElseThrow(
                () -> ApiException.notFound("unknown_dispute", "there is no dispute " + id));
    boolean mine =
        switch (p.role()) {
          case SUBJECT ->
              disputes.subjectKeyOf(id).map(java.util.HexFormat.of()::formatHex).equals(p.scope());
          case PROVIDER -> p.scope().equals(Optional.of(d.source()));
          default -> true;
        };
    if (!mine) {
      // The same answer as for a dispute that does not exist: no probing of others' disputes.
      throw ApiException.notFound("unknown_dispute", "there is no dispute " + id);
    }
    send(ctx, 200, dispute(d, clock.instant()));
  }

  private void resolve(Context ctx) {
    Principal p = principal(ctx);
    String id = ctx.pathParam("id");
    JsonNode body = server.jsonObject(ctx);
    onlyFields(body, Set.of("outcome", "action", "attributes", "evidence", "reason"));
    String outcome = requiredText(body, "outcome");
    Disputes.Answer answer =
        switch (outcome) {
          case "rejected" -> new Disputes.Answer.Reject(optionalText(body, "reason").orElse(""));
          case "upheld" -> {
            String action = optionalText(body, "action").orElse("withdraw");
            if (action.equals("withdraw")) {
              yield new Disputes.Answer.Withdraw(optionalText(body, "reason"));
            }
            if (!action.equals("correct")) {
              throw ApiException.badRequest(
                  "bad_request", "'action' is withdraw or correct, not '" + action + "'");
            }
            yield new Disputes.Answer.Correct(attributes(body), optionalText(body, "evidence"));
          }
          default ->
              throw ApiException.badRequest(
                  "bad_request", "'outcome' is upheld or rejected, not '" + outcome + "'");
        };
    Instant now = clock.instant();
    Dispute d = guard(() -> disputes.answer(id, answer, asSource(p), actor(p), now));
    send(ctx, 200, dispute(d, now));
  }

  private void recertify(Context ctx) {
    Principal p = principal(ctx);
    String id = ctx.pathParam("id");
    JsonNode body = server.jsonObject(ctx);
    onlyFields(body, Set.of("evidence"));
    Instant now = clock.instant();
    Dispute d =
        guard(
            () ->
                disputes.recertify(
                    id, asSource(p), optionalText(body, "evidence").orElse(""), actor(p), now));
    send(ctx, 200, dispute(d, now));
  }

  private void subjectDisputes(Context ctx) {
    Principal p = principal(ctx);
    SubjectId subject = server.subject(ctx, p);
    Instant now = clock.instant();
    server.logRead(subject, p, "operator_disputes_read", now);
    ObjectNode n = ApiWire.MAPPER.createObjectNode();
    ArrayNode a = n.putArray("disputes");
    disputes.forSubject(subject).forEach(d -> a.add(dispute(d, now)));
    send(ctx, 200, n);
  }

  private void notifications(Context ctx) {
    Principal p = principal(ctx);
    SubjectId subject = server.subject(ctx, p);
    Instant now = clock.instant();
    server.logRead(subject, p, "operator_notifications_read", now);
    ObjectNode n = ApiWire.MAPPER.createObjectNode();
    ArrayNode a = n.putArray("notifications");
    outbox.forSubject(subject, limit(ctx, 100, 1000)).forEach(x -> a.add(notification(x)));
    send(ctx, 200, n);
  }

  // ---- sources ---------------------------------------------------------------------------------

  private void sources(Context ctx) {
    ObjectNode n = ApiWire.MAPPER.createObjectNode();
    n.put("reviewThreshold", quality.threshold());
    n.put("reviewMinimumDisputes", quality.minDisputes());
    ArrayNode a = n.putArray("sources");
    for (SourceQuality.Report r : quality.reports()) {
      ObjectNode o = a.addObject();
      o.put("id", r.source());
      ArrayNode types = o.putArray("types");
      r.types().forEach(types::add);
      o.put("records", r.records());
      o.put("disputes", r.disputes());
      o.put("open", r.open());
      o.put("upheld", r.upheld());
      o.put("rejected", r.rejected());
      o.put("expired", r.expired());
      o.put("upheldRate", r.upheldRate());
      if (r.medianAnswerSeconds().isPresent()) {
        o.put("medianAnswerSeconds", r.medianAnswerSeconds().getAsDouble());
      } else {
        o.putNull("medianAnswerSeconds");
      }
      o.put("flaggedForReview", r.flagged());
      o.put("suspended", r.suspended().isPresent());
      r.suspended().ifPresent(t -> o.put("suspendedSince", t.toString()));
      r.suspensionReason().ifPresent(t -> o.put("suspensionReason", t));
    }
    send(ctx, 200, n);
  }

  private void suspend(Context ctx) {
    SourceId source = registered(ctx.pathParam("source"));
    JsonNode body = server.jsonObject(ctx);
    onlyFields(body, Set.of("reason"));
    String reason = requiredText(body, "reason");
    store.suspend(source, reason, clock.instant());
    ObjectNode n = ApiWire.MAPPER.createObjectNode();
    n.put("source", source.value());
    n.put("suspended", true);
    n.put("reason", reason);
    send(ctx, 200, n);
  }

  private void resume(Context ctx) {
    SourceId source = registered(ctx.pathParam("source"));
    if (store.suspension(source).isEmpty()) {
      throw new ApiException(409, "not_suspended", "source " + source + " is not suspended");
    }
    Instant now = clock.instant();
    int released = store.resume(source, now);
    if (released > 0) {
      engine.buildIndex(now); // the released records join the index
    }
    ObjectNode n = ApiWire.MAPPER.createObjectNode();
    n.put("source", source.value());
    n.put("suspended", false);
    n.put("released", released);
    send(ctx, 200, n);
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private SourceId sourceId(String text) {
    try {
      return SourceId.of(text);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("bad_source", e.getMessage());
    }
  }

  private SourceId registered(String text) {
    SourceId id = sourceId(text);
    if (store.source(id).isEmpty()) {
      throw ApiException.notFound("unknown_source", "source '" + text + "' is not registered");
    }
    return id;
  }

  private static Optional<SourceId> asSource(Principal p) {
    return p.role() == Role.PROVIDER ? p.scope().map(SourceId::of) : Optional.empty();
  }

  static String actor(Principal p) {
    return p.role().word() + ":" + p.tokenId();
  }

  private static Map<String, Object> attributes(JsonNode body) {
    JsonNode a = body.get("attributes");
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

  private static int limit(Context ctx, int otherwise, int max) {
    String v = ctx.queryParam("limit");
    if (v == null) {
      return otherwise;
    }
    try {
      int n = Integer.parseInt(v);
      if (n < 1 || n > max) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("bad_request", "'limit' must be from 1 to " + max);
    }
  }

  private static <T> T guard(java.util.function.Supplier<T> work) {
    try {
      return work.get();
    } catch (DisputeException e) {
      int status =
          switch (e.kind()) {
            case NOT_FOUND -> 404;
            case FORBIDDEN -> 403;
            case CONFLICT -> 409;
            case BAD_INPUT -> 400;
          };
      throw new ApiException(status, e.code(), e.getMessage());
    }
  }

  static ObjectNode dispute(Dispute d, Instant now) {
    ObjectNode o = ApiWire.MAPPER.createObjectNode();
    o.put("id", d.id());
    o.put("record", d.record());
    o.put("source", d.source());
    o.put("statement", d.statement());
    o.put("state", d.state().word());
    o.put("opened", d.opened().toString());
    o.put("deadline", d.deadline().toString());
    o.put("overdue", d.overdue(now));
    d.answered().ifPresent(t -> o.put("answered", t.toString()));
    d.answeredBy().ifPresent(t -> o.put("answeredBy", t));
    d.reason().ifPresent(t -> o.put("reason", t));
    d.result().ifPresent(t -> o.put("result", t));
    ArrayNode h = o.putArray("history");
    for (Dispute.Event e : d.history()) {
      ObjectNode x = h.addObject();
      x.put("at", e.at().toString());
      x.put("state", e.state().word());
      x.put("by", e.actor());
      e.note().ifPresent(t -> x.put("note", t));
    }
    return o;
  }

  static ObjectNode notification(Notification n) {
    ObjectNode o = ApiWire.MAPPER.createObjectNode();
    o.put("id", "ntf-" + n.seq());
    o.put("kind", n.notice().kind());
    o.put("message", n.notice().message());
    ObjectNode d = o.putObject("details");
    n.notice().details().forEach(d::put);
    o.put("created", n.created().toString());
    o.put("delivery", n.state());
    o.put("attempts", n.attempts());
    n.delivered().ifPresent(t -> o.put("delivered", t.toString()));
    n.lastError().ifPresent(t -> o.put("lastError", t));
    return o;
  }
}
