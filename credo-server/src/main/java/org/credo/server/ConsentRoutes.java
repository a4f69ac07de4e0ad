package org.credo.server;

import static java.util.Objects.requireNonNull;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import org.credo.access.Consent;
import org.credo.access.InquiryLog;
import org.credo.access.Party;
import org.credo.access.Principal;
import org.credo.app.Refusal;
import org.credo.app.consents.ConsentOutcome;
import org.credo.app.consents.SubjectConsents;
import org.credo.app.wire.ConsentWire;
import org.credo.app.wire.InquiryWire;
import org.credo.app.wire.RequestBodies;
import org.credo.policy.Purpose;
import org.credo.records.RecordFormatException;
import org.credo.records.RecordJson;
import org.credo.subject.SubjectId;

/**
 * What a subject controls and sees of who asks about it: its consents (grant, list, revoke), its
 * scoring mode, the inquiries made about it, and its erasure where lawful (at an operator's hand).
 * Paths relative to {@code /v1/subjects/{subject}}.
 */
final class ConsentRoutes {
  private final SubjectConsents consents;
  private final org.credo.app.subjects.SubjectScoring scoring;
  private final org.credo.app.subjects.SubjectErasure erasure;
  private final InquiryLog inquiries;
  private final Requests requests;
  private final Clock clock;

  ConsentRoutes(
      SubjectConsents consents,
      org.credo.app.subjects.SubjectScoring scoring,
      org.credo.app.subjects.SubjectErasure erasure,
      InquiryLog inquiries,
      Requests requests,
      Clock clock) {
    this.consents = requireNonNull(consents, "consents is null");
    this.scoring = requireNonNull(scoring, "scoring is null");
    this.erasure = requireNonNull(erasure, "erasure is null");
    this.inquiries = requireNonNull(inquiries, "inquiries is null");
    this.requests = requireNonNull(requests, "requests is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  List<ApiRoute> routes() {
    return List.of(
        new ApiRoute(
            HandlerType.DELETE,
            "",
            EnumSet.of(ApiRole.OPERATOR),
            "Erase the subject where lawful (GDPR Art. 17): every record no law obliges Credo to"
                + " keep, consents, name, inquiries, notices; audit entries lose their content and"
                + " keep their hash. The answer lists what had to be kept and why",
            List.of(),
            List.of(),
            List.of(400),
            this::erase),
        new ApiRoute(
            HandlerType.GET,
            "/scoring",
            EnumSet.of(ApiRole.SUBJECT, ApiRole.OPERATOR, ApiRole.AUDITOR),
            "The subject's scoring mode: scored, or score_free (no score or grade computed or"
                + " disclosed)",
            List.of(),
            List.of(),
            List.of(400),
            this::scoringMode),
        new ApiRoute(
            HandlerType.PUT,
            "/scoring",
            EnumSet.of(ApiRole.SUBJECT, ApiRole.OPERATOR),
            "Opt out of being scored ({\"mode\": \"score_free\"}) or back in (\"scored\"):"
                + " records, lists required by law and disputes go on; audited",
            List.of(Http.JSON),
            List.of(),
            List.of(400, 413, 415),
            this::setScoringMode),
        new ApiRoute(
            HandlerType.GET,
            "/inquiries",
            EnumSet.of(ApiRole.SUBJECT, ApiRole.OPERATOR, ApiRole.AUDITOR),
            "Who asked about the subject, for which purpose, when, with what outcome",
            List.of(),
            List.of("limit"),
            List.of(400),
            this::listInquiries),
        new ApiRoute(
            HandlerType.GET,
            "/consents",
            EnumSet.of(ApiRole.SUBJECT),
            "The subject's consents, live and past",
            List.of(),
            List.of(),
            List.of(400),
            this::listConsents),
        new ApiRoute(
            HandlerType.POST,
            "/consents",
            EnumSet.of(ApiRole.SUBJECT),
            "Grant a relying party consent for one purpose until a time",
            List.of(Http.JSON),
            List.of(),
            List.of(400, 413, 415),
            this::grant),
        new ApiRoute(
            HandlerType.DELETE,
            "/consents/{id}",
            EnumSet.of(ApiRole.SUBJECT),
            "Revoke a consent",
            List.of(),
            List.of(),
            List.of(400, 404, 409),
            this::revoke));
  }

  private void listInquiries(Context ctx) {
    Principal p = Http.principal(ctx);
    SubjectId subject = requests.subject(ctx, p);
    int limit = Http.limit(ctx, 100, 1000);
    requests.record(ctx, p, "subject.inquiries", subject, "limit=" + limit, clock.instant());
    Http.send(
        ctx,
        200,
        new InquiryWire.OfSubject(
            subject.toString(),
            inquiries.list(subject, limit).stream().map(InquiryWire::of).toList()));
  }

  private void listConsents(Context ctx) {
    Principal p = Http.principal(ctx);
    SubjectId subject = requests.subject(ctx, p);
    Instant now = clock.instant();
    requests.record(ctx, p, "consent.list", subject, "", now);
    Http.send(
        ctx,
        200,
        new ConsentWire.All(
            consents.list(subject).stream().map(c -> ConsentWire.of(c, now)).toList()));
  }

  private void erase(Context ctx) {
    Principal p = Http.principal(ctx);
    SubjectId subject = requests.subject(ctx, p);
    var result = erasure.erase(org.credo.app.Caller.of(p), subject, clock.instant());
    // The use case wrote its own audit entry, naming no subject.
    RequestAudit.audited(ctx);
    Http.send(ctx, 200, org.credo.app.wire.ErasureWire.of(subject.toString(), result));
  }

  private void scoringMode(Context ctx) {
    Principal p = Http.principal(ctx);
    SubjectId subject = requests.subject(ctx, p);
    Instant now = clock.instant();
    requests.logRead(ctx, subject, p, "scoring mode", "subject.scoring_mode.read", now);
    Http.send(ctx, 200, modeWire(scoring.current(subject, now)));
  }

  private void setScoringMode(Context ctx) {
    Principal p = Http.principal(ctx);
    SubjectId subject = requests.subject(ctx, p);
    var body = Http.bind(requests.jsonObject(ctx), RequestBodies.ScoringModeRequest.class);
    String mode = Http.required(body.mode(), "mode");
    var outcome = scoring.set(org.credo.app.Caller.of(p), subject, mode, clock.instant());
    if (!(outcome instanceof org.credo.app.subjects.ScoringModeOutcome.Current current)) {
      throw ErrorMapper.refused((Refusal) outcome);
    }
    // The use case wrote its own audit entry when the mode changed.
    RequestAudit.audited(ctx);
    Http.send(ctx, 200, modeWire(current));
  }

  private static java.util.Map<String, Object> modeWire(
      org.credo.app.subjects.ScoringModeOutcome.Current c) {
    java.util.Map<String, Object> out = new java.util.LinkedHashMap<>();
    out.put("mode", c.mode().word());
    out.put("since", c.since().equals(Instant.EPOCH) ? null : c.since().toString());
    out.put("changed", c.changed());
    return out;
  }

  private void grant(Context ctx) {
    Principal p = Http.principal(ctx);
    SubjectId subject = requests.subject(ctx, p);
    var body = Http.bind(requests.jsonObject(ctx), RequestBodies.ConsentRequest.class);
    String partyId = Http.required(body.party(), "party");
    Purpose purpose;
    try {
      Party.checkId(partyId);
      purpose = Purpose.of(Http.required(body.purpose(), "purpose"));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("bad_request", e.getMessage());
    }
    Instant until;
    try {
      until = RecordJson.parseTime("until", Http.required(body.until(), "until"));
    } catch (RecordFormatException e) {
      throw ApiException.badRequest("bad_request", e.getMessage());
    }
    Instant now = clock.instant();
    ConsentOutcome outcome = consents.grant(subject, partyId, purpose, until, now);
    if (!(outcome instanceof ConsentOutcome.Done done)) {
      throw ErrorMapper.refused((Refusal) outcome);
    }
    Consent c = done.consent();
    requests.record(
        ctx,
        p,
        "consent.grant",
        subject,
        "id=" + c.id() + " party=" + partyId + " purpose=" + purpose.name() + " until=" + until,
        now);
    Http.send(ctx, 201, ConsentWire.of(c, now));
  }

  private void revoke(Context ctx) {
    Principal p = Http.principal(ctx);
    SubjectId subject = requests.subject(ctx, p);
    String id = ctx.pathParam("id");
    if (!id.matches("con-[0-9a-f]{16}")) {
      throw ApiException.badRequest(
          "bad_request", "consent id must look like con-0123456789abcdef");
    }
    Instant now = clock.instant();
    ConsentOutcome outcome = consents.revoke(subject, id, now);
    requests.record(
        ctx, p, "consent.revoke", subject, "id=" + id + " " + revocationWord(outcome), now);
    if (!(outcome instanceof ConsentOutcome.Done done)) {
      throw ErrorMapper.refused((Refusal) outcome);
    }
    Http.send(ctx, 200, ConsentWire.of(done.consent(), now));
  }

  /** How the audit log words a revocation's outcome. */
  private static String revocationWord(ConsentOutcome outcome) {
    if (outcome instanceof ConsentOutcome.Done) {
      return "revoked";
    }
    return outcome instanceof ConsentOutcome.UnknownConsent ? "not_found" : "already_ended";
  }
}
