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
import org.credo.notify.Outbox;
import org.credo.records.SourceId;
import org.credo.repairs.Repair;
import org.credo.repairs.Repairs;
import org.credo.store.Store;
import org.credo.subject.SubjectId;
import org.credo.app.wire.ApiWire;

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
  private final Repairs repairs;
  private final Clock clock;

  DueProcessRoutes(
      CredoServer server,
      Engine engine,
      Disputes disputes,
      Outbox outbox,
      SourceQuality quality,
      Repairs repairs,
      Clock clock) {
    this.server = server;
    this.engine = engine;
    this.store = engine.store();
    this.disputes = disputes;
    this.outbox = outbox;
    this.quality = quality;
    this.repairs = repairs;
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
    r.add(
        new ApiRoute(
            HandlerType.GET,
            "/v1/lists/{name}",
            EnumSet.of(ApiRole.ANYONE),
            "A list's entries: operators and auditors see every entry (by pseudonym); anyone sees"
                + " a public red list's subjects who opted in",
            List.of(),
            List.of("policy"),
            List.of(400, 401, 403, 404),
            this::list));
    r.add(
        new ApiRoute(
            HandlerType.PUT,
            "/v1/subjects/{subject}/publication/{list}",
            EnumSet.of(ApiRole.SUBJECT),
            "Opt in to appear on a public red list",
            List.of(),
            List.of(),
            List.of(400, 404),
            ctx -> publication(ctx, true)));
    r.add(
        new ApiRoute(
            HandlerType.DELETE,
            "/v1/subjects/{subject}/publication/{list}",
            EnumSet.of(ApiRole.SUBJECT),
            "Withdraw from a public red list",
            List.of(),
            List.of(),
            List.of(400, 404),
            ctx -> publication(ctx, false)));
    r.add(
        new ApiRoute(
            HandlerType.POST,
            "/v1/subjects/{subject}/repairs",
            EnumSet.of(ApiRole.SUBJECT, ApiRole.OPERATOR),
            "Apply, with evidence, to end a black-list entry whose basis is remedied",
            List.of(JSON),
            List.of(),
            List.of(400, 409, 413, 415),
            this::applyForRepair));
    r.add(
        new ApiRoute(
            HandlerType.GET,
            "/v1/subjects/{subject}/repairs",
            EnumSet.of(ApiRole.SUBJECT, ApiRole.OPERATOR),
            "The subject's repair applications",
            List.of(),
            List.of(),
            List.of(400),
            this::subjectRepairs));
    r.add(
        new ApiRoute(
            HandlerType.GET,
            "/v1/repairs",
            EnumSet.of(ApiRole.OPERATOR, ApiRole.AUDITOR),
            "Repair applications, earliest deadline first",
            List.of(),
            List.of("state", "limit"),
            List.of(400),
            this::repairQueue));
    r.add(
        new ApiRoute(
            HandlerType.POST,
            "/v1/repairs/{id}/decision",
            EnumSet.of(ApiRole.OPERATOR),
            "Grant or refuse a repair application before its deadline",
            List.of(JSON),
            List.of(),
            List.of(400, 404, 409, 413, 415),
            this::decideRepair));
    r.add(
        new ApiRoute(
            HandlerType.GET,
            "/v1/decisions/{id}/replay",
            EnumSet.of(ApiRole.RELYING_PARTY, ApiRole.SUBJECT, ApiRole.OPERATOR, ApiRole.AUDITOR),
            "A past decision replayed exactly (the records and policy version Credo had then),"
                + " next to what it would be with today's knowledge and today's policy",
            List.of(),
            List.of("subject"),
            List.of(400, 404),
            this::replay));
    return r;
  }

  // ---- replay ----------------------------------------------------------------------------------

  private void replay(Context ctx) {
    Principal p = principal(ctx);
    String id = ctx.pathParam("id");
    String subjectText = ctx.queryParam("subject");
    if (subjectText == null) {
      throw ApiException.badRequest(
          "bad_request", "name the decision's subject: ?subject= (Credo keeps only a pseudonym)");
    }
    SubjectId subject = CredoServer.parseSubject(subjectText);
    server.checkSubject(p, subject);
    ApiException unknown =
        ApiException.notFound("unknown_decision", "there is no decision " + id + " about them");
    // Through the subject's audit entries (or inquiries rows): decision ids are not indexed.
    org.credo.access.Inquiry inquiry =
        server.inquiries().find(subject, id).orElseThrow(() -> unknown);
    if (inquiry.policy().isEmpty()) {
      throw unknown; // a read, or a refusal before any policy applied: nothing to replay
    }
    String party = inquiry.party();
    if (p.role() == Role.RELYING_PARTY && !p.scope().equals(Optional.of(party))) {
      throw unknown; // a party replays its own decisions only
    }
    org.credo.policy.Purpose purpose = inquiry.purpose();
    Instant at = inquiry.at();
    Instant now = clock.instant();
    org.credo.policy.Policy then = engine.policy(inquiry.policy().get());
    server.logRead(ctx, subject, p, "decision_replay", "decision.replay", now);
    ObjectNode n = ApiWire.MAPPER.createObjectNode();
    n.put("decision", id);
    n.put("subject", subject.toString());
    n.put("party", party);
    n.put("purpose", purpose.name());
    n.put("decidedAt", at.toString());
    n.put("recordedOutcome", inquiry.outcome());
    ObjectNode original = replayed(then, subject, purpose, at, at);
    n.set("original", original);
    n.put("reproduced", original.get("outcome").asText().equals(inquiry.outcome()));
    n.set("withTodaysKnowledge", replayed(then, subject, purpose, at, now));
    engine.activePolicies(now).stream()
        .filter(x -> x.id().equals(then.id()) && x.purpose(purpose).isPresent())
        .findFirst()
        .ifPresent(today -> n.set("today", replayed(today, subject, purpose, now, now)));
    send(ctx, 200, n);
  }

  private ObjectNode replayed(
      org.credo.policy.Policy policy,
      SubjectId subject,
      org.credo.policy.Purpose purpose,
      Instant asOf,
      Instant knownAt) {
    org.credo.scoring.Score score = engine.score(subject, policy, asOf, knownAt);
    org.credo.decisions.Decision d = org.credo.decisions.Decider.decide(policy, score, purpose);
    ObjectNode o = ApiWire.MAPPER.createObjectNode();
    o.put("asOf", asOf.toString());
    o.put("knownAt", knownAt.toString());
    o.put("policy", policy.id());
    o.put("policyVersion", policy.version());
    o.put("outcome", d.outcome());
    ApiWire.reasons(o.putArray("reasonCodes"), d.reasonCodes());
    o.set("disclosed", ApiWire.disclosed(d.disclosed()));
    return o;
  }

  // ---- lists and repairs -----------------------------------------------------------------------

  private void list(Context ctx) {
    String name = ctx.pathParam("name");
    Optional<Principal> p = server.optionalPrincipal(ctx);
    Instant now = clock.instant();
    Optional<String> policyId = Optional.ofNullable(ctx.queryParam("policy"));
    org.credo.policy.Policy policy = null;
    org.credo.policy.ListDefinition def = null;
    for (org.credo.policy.Policy candidate : engine.activePolicies(now)) {
      org.credo.policy.ListDefinition d = candidate.lists().get(name);
      if (d != null && (policyId.isEmpty() || policyId.get().equals(candidate.id()))) {
        policy = candidate;
        def = d;
        break;
      }
    }
    if (policy == null) {
      throw ApiException.notFound(
          "unknown_list",
          "no active policy"
              + policyId.map(x -> " " + x).orElse("")
              + " defines a list '"
              + name
              + "'");
    }
    boolean full =
        p.isPresent() && (p.get().role() == Role.OPERATOR || p.get().role() == Role.AUDITOR);
    boolean publicList = def.isPublic() && def.kind() == org.credo.lists.ListKind.RED;
    if (!full && !publicList) {
      if (p.isEmpty()) {
        throw new ApiException(
            401, "unauthenticated", "list '" + name + "' is not public: send an operator token");
      }
      throw ApiException.forbidden(
          "forbidden_role", "only operators and auditors see list '" + name + "'");
    }
    ObjectNode n = ApiWire.MAPPER.createObjectNode();
    n.put("list", name);
    n.put("kind", def.kind().name().toLowerCase(java.util.Locale.ROOT));
    n.put("policy", policy.ref().toString());
    n.put("public", publicList);
    n.put("asOf", now.toString());
    ArrayNode a = n.putArray("entries");
    Map<String, String> optedIn = publicList ? publications(name) : Map.of();
    for (Engine.ListMember m : engine.listMembers(policy, name, now, def.notice())) {
      String hex = java.util.HexFormat.of().formatHex(m.subjectKey());
      if (!full && !optedIn.containsKey(hex)) {
        continue; // published only for subjects who opted in
      }
      for (org.credo.lists.ListEntry e : m.entries()) {
        ObjectNode o = ApiWire.list(e, now);
        if (full) {
          o.put("subjectRef", hex);
        }
        if (optedIn.containsKey(hex)) {
          o.put("subject", optedIn.get(hex));
        }
        a.add(o);
      }
    }
    n.put("count", a.size());
    if (p.isPresent()) {
      audit(ctx, p.get(), "list.read", null, name + " entries=" + a.size());
    }
    send(ctx, 200, n);
  }

  /** Subjects who opted in to a public list: pseudonym hex to identifier. */
  private Map<String, String> publications(String list) {
    Map<String, String> out = new HashMap<>();
    store
        .jdbc()
        .query(
            "SELECT subject_key, subject_sealed FROM list_publication WHERE list_name = ?",
            rs -> Map.entry(rs.getBytes(1), rs.getBytes(2)),
            list)
        .forEach(
            e ->
                out.put(
                    java.util.HexFormat.of().formatHex(e.getKey()),
                    store.keys().openSubject(e.getValue(), e.getKey()).toString()));
    return out;
  }

  private void publication(Context ctx, boolean optIn) {
    Principal p = principal(ctx);
    SubjectId subject = server.subject(ctx, p);
    String list = ctx.pathParam("list");
    Instant now = clock.instant();
    boolean known =
        engine.activePolicies(now).stream()
            .map(x -> x.lists().get(list))
            .anyMatch(d -> d != null && d.isPublic() && d.kind() == org.credo.lists.ListKind.RED);
    if (!known) {
      throw ApiException.notFound(
          "unknown_list", "'" + list + "' is not a public red list of any active policy");
    }
    byte[] key = store.keys().pseudonym(subject);
    store
        .jdbc()
        .update("DELETE FROM list_publication WHERE subject_key = ? AND list_name = ?", key, list);
    if (optIn) {
      store
          .jdbc()
          .update(
              "INSERT INTO list_publication (subject_key, list_name, subject_sealed, opted_in_us)"
                  + " VALUES (?, ?, ?, ?)",
              key,
              list,
              store.keys().sealSubject(subject),
              org.credo.store.Jdbc.micros(now));
    }
    audit(ctx, p, optIn ? "list.publish" : "list.unpublish", key, list);
    ObjectNode n = ApiWire.MAPPER.createObjectNode();
    n.put("list", list);
    n.put("published", optIn);
    send(ctx, 200, n);
  }

  private void applyForRepair(Context ctx) {
    Principal p = principal(ctx);
    SubjectId subject = server.subject(ctx, p);
    JsonNode body = server.jsonObject(ctx);
    onlyFields(body, Set.of("list", "evidence"));
    String list = requiredText(body, "list");
    Instant now = clock.instant();
    Repair r =
        guard(
            () ->
                repairs.apply(
                    subject, list, optionalText(body, "evidence").orElse(""), actor(p), now));
    audit(ctx, p, "repair.apply", store.keys().pseudonym(subject), r.id() + " " + r.list());
    send(ctx, 201, repair(r));
  }

  private void subjectRepairs(Context ctx) {
    Principal p = principal(ctx);
    SubjectId subject = server.subject(ctx, p);
    ObjectNode n = ApiWire.MAPPER.createObjectNode();
    ArrayNode a = n.putArray("repairs");
    repairs.forSubject(subject).forEach(r -> a.add(repair(r)));
    send(ctx, 200, n);
  }

  private void repairQueue(Context ctx) {
    Optional<String> state = Optional.ofNullable(ctx.queryParam("state"));
    if (state.isPresent() && !Set.of("open", "granted", "refused").contains(state.get())) {
      throw ApiException.badRequest("bad_request", "'state' is open, granted or refused");
    }
    ObjectNode n = ApiWire.MAPPER.createObjectNode();
    ArrayNode a = n.putArray("repairs");
    repairs.queue(state, CredoServer.limit(ctx, 100, 1000)).forEach(r -> a.add(repair(r)));
    send(ctx, 200, n);
  }

  private void decideRepair(Context ctx) {
    Principal p = principal(ctx);
    String id = ctx.pathParam("id");
    JsonNode body = server.jsonObject(ctx);
    onlyFields(body, Set.of("granted", "reason"));
    JsonNode granted = body.get("granted");
    if (granted == null || !granted.isBoolean()) {
      throw ApiException.badRequest("bad_request", "'granted' is required (true or false)");
    }
    Instant now = clock.instant();
    Repair r =
        guard(
            () ->
                repairs.decide(
                    id,
                    granted.asBoolean(),
                    optionalText(body, "reason").orElse(""),
                    actor(p),
                    now));
    audit(ctx, p, "repair.decide", repairs.subjectKeyOf(id).orElse(null), r.id() + " " + r.state());
    send(ctx, 200, repair(r));
  }

  static ObjectNode repair(Repair r) {
    ObjectNode o = ApiWire.MAPPER.createObjectNode();
    o.put("id", r.id());
    o.put("list", r.list());
    o.put("basis", r.basis());
    o.put("evidence", r.evidence());
    o.put("state", r.state());
    o.put("opened", r.opened().toString());
    o.put("deadline", r.deadline().toString());
    r.decided().ifPresent(t -> o.put("decided", t.toString()));
    r.decidedBy().ifPresent(t -> o.put("decidedBy", t));
    r.reason().ifPresent(t -> o.put("reason", t));
    return o;
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
    audit(ctx, p, "dispute.open", store.keys().pseudonym(subject), d.id() + " " + d.record());
    send(ctx, 201, ApiWire.dispute(d, now));
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
    int limit = CredoServer.limit(ctx, 100, 1000);
    Instant now = clock.instant();
    ObjectNode n = ApiWire.MAPPER.createObjectNode();
    ArrayNode a = n.putArray("disputes");
    disputes.queue(state, source, limit).forEach(d -> a.add(ApiWire.dispute(d, now)));
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
    send(ctx, 200, ApiWire.dispute(d, clock.instant()));
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
    audit(
        ctx,
        p,
        "dispute.answer",
        disputes.subjectKeyOf(id).orElse(null),
        d.id() + " " + d.state().word());
    send(ctx, 200, ApiWire.dispute(d, now));
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
    audit(ctx, p, "dispute.recertify", disputes.subjectKeyOf(id).orElse(null), d.id());
    send(ctx, 200, ApiWire.dispute(d, now));
  }

  private void subjectDisputes(Context ctx) {
    Principal p = principal(ctx);
    SubjectId subject = server.subject(ctx, p);
    Instant now = clock.instant();
    server.logRead(ctx, subject, p, "operator_disputes_read", "subject.disputes", now);
    ObjectNode n = ApiWire.MAPPER.createObjectNode();
    ArrayNode a = n.putArray("disputes");
    disputes.forSubject(subject).forEach(d -> a.add(ApiWire.dispute(d, now)));
    send(ctx, 200, n);
  }

  private void notifications(Context ctx) {
    Principal p = principal(ctx);
    SubjectId subject = server.subject(ctx, p);
    Instant now = clock.instant();
    server.logRead(ctx, subject, p, "operator_notifications_read", "subject.notifications", now);
    ObjectNode n = ApiWire.MAPPER.createObjectNode();
    ArrayNode a = n.putArray("notifications");
    outbox
        .forSubject(subject, CredoServer.limit(ctx, 100, 1000))
        .forEach(x -> a.add(ApiWire.notification(x)));
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
    audit(ctx, principal(ctx), "source.suspend", null, source.value());
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
    audit(ctx, principal(ctx), "source.resume", null, source.value() + " released=" + released);
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

  /** Appends the request's audit entry and waits for it: nothing is answered unaudited. */
  private void audit(Context ctx, Principal p, String action, byte[] subjectKey, String detail) {
    RequestAudit.await(server.audit().queue(p, action, subjectKey, detail, clock.instant()));
    RequestAudit.audited(ctx);
  }

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
}
