package org.credo.server;

import static java.util.Objects.requireNonNull;
import static org.credo.server.ErrorMapper.guard;
import static org.credo.server.Http.onlyFields;
import static org.credo.server.Http.optionalText;
import static org.credo.server.Http.principal;
import static org.credo.server.Http.requiredText;
import static org.credo.server.Http.send;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.credo.access.Principal;
import org.credo.access.Role;
import org.credo.app.wire.ApiWire;
import org.credo.app.wire.ListEntryWire;
import org.credo.engine.Engine;
import org.credo.lists.ListEntry;
import org.credo.lists.ListKind;
import org.credo.policy.ListDefinition;
import org.credo.policy.Policy;
import org.credo.repairs.Repair;
import org.credo.repairs.Repairs;
import org.credo.store.Keys;
import org.credo.store.ListPublications;
import org.credo.subject.SubjectId;

/**
 * Lists: a list's entries (in full for operators and auditors; a public red list's opted-in
 * subjects for anyone), a subject's choice to appear on a public red list, and repairs — a
 * subject's application to end a black-list entry whose basis is remedied, and the operator's
 * decision. {@link #routes()} sit under {@code /v1}, {@link #subjectRoutes()} under {@code
 * /v1/subjects/{subject}}.
 */
final class ListRoutes {
  private final Engine engine;
  private final ListPublications publications;
  private final Repairs repairs;
  private final Keys keys;
  private final Requests requests;
  private final Clock clock;

  ListRoutes(
      Engine engine,
      ListPublications publications,
      Repairs repairs,
      Keys keys,
      Requests requests,
      Clock clock) {
    this.engine = requireNonNull(engine, "engine is null");
    this.publications = requireNonNull(publications, "publications is null");
    this.repairs = requireNonNull(repairs, "repairs is null");
    this.keys = requireNonNull(keys, "keys is null");
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
    String name = ctx.pathParam("name");
    Optional<Principal> p = requests.optionalPrincipal(ctx);
    Instant now = clock.instant();
    Optional<String> policyId = Optional.ofNullable(ctx.queryParam("policy"));
    Policy policy = null;
    ListDefinition def = null;
    for (Policy candidate : engine.activePolicies(now)) {
      ListDefinition d = candidate.lists().get(name);
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
    boolean publicList = def.isPublic() && def.kind() == ListKind.RED;
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
    n.put("kind", def.kind().name().toLowerCase(Locale.ROOT));
    n.put("policy", policy.ref().toString());
    n.put("public", publicList);
    n.put("asOf", now.toString());
    ArrayNode a = n.putArray("entries");
    Map<String, SubjectId> optedIn = publicList ? publications.optedIn(name) : Map.of();
    for (Engine.ListMember m : engine.listMembers(policy, name, now, def.notice())) {
      String hex = HexFormat.of().formatHex(m.subjectKey());
      if (!full && !optedIn.containsKey(hex)) {
        continue; // published only for subjects who opted in
      }
      for (ListEntry e : m.entries()) {
        ObjectNode o = ApiWire.MAPPER.valueToTree(ListEntryWire.of(e, now));
        if (full) {
          o.put("subjectRef", hex);
        }
        if (optedIn.containsKey(hex)) {
          o.put("subject", optedIn.get(hex).toString());
        }
        a.add(o);
      }
    }
    n.put("count", a.size());
    if (p.isPresent()) {
      requests.record(ctx, p.get(), "list.read", null, name + " entries=" + a.size());
    }
    send(ctx, 200, n);
  }

  private void publication(Context ctx, boolean optIn) {
    Principal p = principal(ctx);
    SubjectId subject = requests.subject(ctx, p);
    String list = ctx.pathParam("list");
    Instant now = clock.instant();
    boolean known =
        engine.activePolicies(now).stream()
            .map(x -> x.lists().get(list))
            .anyMatch(d -> d != null && d.isPublic() && d.kind() == ListKind.RED);
    if (!known) {
      throw ApiException.notFound(
          "unknown_list", "'" + list + "' is not a public red list of any active policy");
    }
    publications.set(subject, list, optIn, now);
    requests.record(
        ctx, p, optIn ? "list.publish" : "list.unpublish", keys.pseudonym(subject), list);
    ObjectNode n = ApiWire.MAPPER.createObjectNode();
    n.put("list", list);
    n.put("published", optIn);
    send(ctx, 200, n);
  }

  // ---- repairs ---------------------------------------------------------------------------------

  private void applyForRepair(Context ctx) {
    Principal p = principal(ctx);
    SubjectId subject = requests.subject(ctx, p);
    JsonNode body = requests.jsonObject(ctx);
    onlyFields(body, Set.of("list", "evidence"));
    String list = requiredText(body, "list");
    Instant now = clock.instant();
    Repair r =
        guard(
            () ->
                repairs.apply(
                    subject,
                    list,
                    optionalText(body, "evidence").orElse(""),
                    RequestAudit.actor(p),
                    now));
    requests.record(ctx, p, "repair.apply", keys.pseudonym(subject), r.id() + " " + r.list());
    send(ctx, 201, repair(r));
  }

  private void subjectRepairs(Context ctx) {
    Principal p = principal(ctx);
    SubjectId subject = requests.subject(ctx, p);
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
    repairs.queue(state, Http.limit(ctx, 100, 1000)).forEach(r -> a.add(repair(r)));
    send(ctx, 200, n);
  }

  private void decideRepair(Context ctx) {
    Principal p = principal(ctx);
    String id = ctx.pathParam("id");
    JsonNode body = requests.jsonObject(ctx);
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
                    RequestAudit.actor(p),
                    now));
    requests.record(
        ctx, p, "repair.decide", repairs.subjectKeyOf(id).orElse(null), r.id() + " " + r.state());
    send(ctx, 200, repair(r));
  }

  private static ObjectNode repair(Repair r) {
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
}
