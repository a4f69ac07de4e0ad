package org.credo.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.credo.access.Principal;
import org.credo.app.wire.ApiWire;
import org.credo.app.wire.RequestBodies;
import org.credo.certificates.CertificateIssuer;
import org.credo.certificates.Certificates;
import org.credo.signing.SigningKey;
import org.credo.subject.SubjectId;

/**
 * Certificates: a subject has one issued of the claims it chooses ({@link #subjectRoutes()},
 * relative to {@code /v1/subjects/{subject}}), and anyone checks one ({@link #routes()}).
 */
final class CertificateRoutes {
  private final CertificateIssuer issuer;
  private final SigningKey key;
  private final Requests requests;
  private final Clock clock;

  CertificateRoutes(CertificateIssuer issuer, SigningKey key, Requests requests, Clock clock) {
    this.issuer = requireNonNull(issuer, "issuer is null");
    this.key = requireNonNull(key, "key is null");
    this.requests = requireNonNull(requests, "requests is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  List<ApiRoute> routes() {
    return List.of(
        new ApiRoute(
            HandlerType.POST,
            "/certificates/verify",
            EnumSet.of(ApiRole.ANYONE),
            "Check a certificate's signature, issuer key and validity",
            List.of(Http.JSON),
            List.of(),
            List.of(400, 413, 415),
            this::verify));
  }

  List<ApiRoute> subjectRoutes() {
    return List.of(
        new ApiRoute(
            HandlerType.POST,
            "/certificates",
            EnumSet.of(ApiRole.SUBJECT),
            "Issue a signed, short-lived certificate of the claims the subject chooses",
            List.of(Http.JSON),
            List.of(),
            List.of(400, 404, 409, 413, 415),
            this::issue));
  }

  private void issue(Context ctx) {
    Principal p = Http.principal(ctx);
    SubjectId subject = requests.subject(ctx, p);
    var body = Http.bind(requests.jsonObject(ctx), RequestBodies.CertificateRequest.class);
    Optional<Duration> validFor;
    try {
      validFor = Optional.ofNullable(body.validFor()).map(Duration::parse);
    } catch (java.time.format.DateTimeParseException e) {
      throw ApiException.badRequest(
          "bad_request", "'validFor' must be an ISO-8601 duration such as PT1H or P7D");
    }
    CertificateIssuer.Outcome outcome =
        issuer.issue(
            subject,
            CertificateIssuer.parseClaims(body.claims()),
            Optional.ofNullable(body.policy()),
            validFor,
            clock.instant());
    requests.record(
        ctx,
        p,
        "certificate.issue",
        subject,
        "outcome=" + outcome.getClass().getSimpleName().toLowerCase(Locale.ROOT),
        clock.instant());
    if (!(outcome instanceof CertificateIssuer.Issued issued)) {
      throw ErrorMapper.refused((org.credo.app.Refusal) outcome);
    }
    Http.send(ctx, 201, issued.document());
  }

  private void verify(Context ctx) {
    JsonNode doc = requests.jsonObject(ctx);
    Certificates.Verification v =
        Certificates.verify(doc, Map.of(key.keyId(), key.publicKey()), clock.instant());
    ObjectNode n = ApiWire.MAPPER.createObjectNode();
    n.put("valid", v.valid());
    n.put("reason", v.reason());
    n.put("message", v.message());
    v.certificate()
        .ifPresent(
            c -> {
              n.set("subject", c.get("subject"));
              n.set("claims", c.get("claims"));
              n.set("validUntil", c.get("validUntil"));
              // What the verifier page shows besides the claims (issue #6).
              n.set("validFrom", c.get("validFrom"));
              n.set("issuedAt", c.get("issuedAt"));
              n.set("issuer", c.get("issuer"));
              n.set("keyId", c.get("keyId"));
              n.set("policy", c.get("policy"));
              n.set("id", c.get("id"));
            });
    Http.send(ctx, 200, n);
  }
}
