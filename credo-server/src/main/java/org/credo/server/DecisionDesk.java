package org.credo.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.credo.access.Consents;
import org.credo.access.Inquiry;
import org.credo.access.InquiryLog;
import org.credo.access.Parties;
import org.credo.access.Party;
import org.credo.access.Principal;
import org.credo.audit.AuditLog;
import org.credo.decisions.Decider;
import org.credo.decisions.Decision;
import org.credo.decisions.Purpose;
import org.credo.disputes.Disputes;
import org.credo.engine.Engine;
import org.credo.notify.Notice;
import org.credo.notify.Outbox;
import org.credo.policy.Policy;
import org.credo.policy.PurposeDefinition;
import org.credo.scoring.Score;
import org.credo.signing.BatchSigner;
import org.credo.signing.Canonical;
import org.credo.signing.MerkleProof;
import org.credo.subject.SubjectId;

/**
 * Answers {@code POST /v1/decisions}: checks the relying party's registration and the subject's
 * consent, decides with the core's {@link Decider}, signs the decision (in a batch, see {@link
 * BatchSigner}) and logs the inquiry — the answer leaves only once its inquiry is committed.
 */
final class DecisionDesk {
  private static final long POLICY_CACHE_NANOS = 1_000_000_000L;

  private record PurposeIndex(Map<Purpose, List<Policy>> byPurpose, long loadedNanos) {}

  private final Engine engine;
  private final Parties parties;
  private final Consents consents;
  private final InquiryLog inquiries;
  private final BatchSigner signer;
  private final Disputes disputes;
  private final Executor answers;
  private volatile PurposeIndex index;

  DecisionDesk(
      Engine engine,
      Parties parties,
      Consents consents,
      InquiryLog inquiries,
      BatchSigner signer,
      Disputes disputes,
      Executor answers) {
    this.engine = requireNonNull(engine, "engine is null");
    this.parties = requireNonNull(parties, "parties is null");
    this.consents = requireNonNull(consents, "consents is null");
    this.inquiries = requireNonNull(inquiries, "inquiries is null");
    this.signer = requireNonNull(signer, "signer is null");
    this.disputes = requireNonNull(disputes, "disputes is null");
    this.answers = requireNonNull(answers, "answers is null");
  }

  /** A signed decision, ready to send. */
  record Answer(ObjectNode body, String outcome) {}

  CompletableFuture<Answer> decide(
      Principal caller,
      SubjectId subject,
      Purpose purpose,
      Optional<String> policyId,
      Instant now) {
    String partyId =
        caller
            .scope()
            .orElseThrow(() -> ApiException.forbidden("forbidden", "the token names no party"));
    Party party =
        parties
            .cached(partyId)
            .orElseThrow(
                () ->
                    ApiException.forbidden(
                        "party_not_registered", "party '" + partyId + "' is not registered"));
    if (!party.mayAsk(purpose)) {
      throw ApiException.forbidden(
          "purpose_not_registered",
          "party '"
              + partyId
              + "' is not registered for purpose '"
              + purpose
              + "' (it may ask about "
              + party.sortedPurposes()
              + ")");
    }
    Policy policy = policyFor(purpose, policyId, now);
    if (!policy.subjects().contains(subject.kind())) {
      throw ApiException.badRequest(
          "purpose_not_for_subject",
          "purpose '"
              + purpose
              + "' of policy "
              + policy.ref()
              + " does not apply to "
              + subject.kind().prefix()
              + " subjects");
    }
    PurposeDefinition def = policy.purpose(purpose).orElseThrow();
    if (def.consentRequired() && !consents.live(subject, partyId, purpose, now)) {
      String id = newId();
      await(
          inquiries.append(
              subject,
              new Inquiry(partyId, purpose, "refused", Optional.of(policy.ref()), id, now),
              RequestAudit.actor(caller),
              "decision"));
      throw ApiException.forbidden(
          "consent_required",
          "purpose '"
              + purpose
              + "' needs the subject's consent, and the subject has not granted it to '"
              + partyId
              + "' (or it expired or was revoked)");
    }
    Score score = engine.score(subject, policy, now, now);
    if (score.contributions().isEmpty() && !engine.holdsRecords(subject)) {
      throw ApiException.notFound("unknown_subject", "Credo holds no records about this subject");
    }
    Decision decision = Decider.decide(policy, score, purpose, true);
    String id = newId();
    ObjectNode body = ApiWire.MAPPER.createObjectNode();
    body.put("id", id);
    body.put("subject", subject.toString());
    body.put("purpose", purpose.name());
    body.put("party", partyId);
    body.put("outcome", decision.outcome());
    ApiWire.reasons(body.putArray("reasonCodes"), decision.reasonCodes());
    body.put("policy", decision.policy().id());
    body.put("policyVersion", decision.policy().version());
    body.put("decidedAt", decision.decidedAt().toString());
    body.put("validUntil", decision.validUntil().toString());
    body.set("disclosed", ApiWire.disclosed(decision.disclosed()));
    int disputed = disputes.openCount(subject);
    if (disputed > 0) {
      // Flagged, not explained: which records are disputed is the subject's business.
      body.put("disputed", true);
      body.put(
          "disputeNote",
          "the subject disputes "
              + (disputed == 1 ? "a record" : disputed + " records")
              + " Credo holds; the outcome may change when the dispute is answered");
    }
    if (decision instanceof Decision.Denied) {
      ObjectNode adverse = body.putObject("adverseAction");
      ArrayNode codes = adverse.putArray("reasonCodes");
      decision.reasonCodes().forEach(r -> codes.add(r.code()));
      ObjectNode range = adverse.putObject("scoreRange");
      range.set("min", ApiWire.num(policy.scale().min()));
      range.set("max", ApiWire.num(policy.scale().max()));
      adverse.put(
          "freeReport",
          "The subject may see everything Credo holds about them, free of charge: GET"
              + " /v1/subjects/{subject}/report with their subject token, or ask the operator.");
      adverse.put(
          "dispute",
          "The subject may dispute any record the decision rests on with the operator; a record"
              + " whose source does not answer within the deadline stops counting.");
    }
    body.put("keyId", signer.key().keyId());
    CompletableFuture<MerkleProof> signed = signer.sign(Canonical.bytes(body));
    // A denial's notice to the subject is written in the same transaction as the inquiry.
    List<AuditLog.Companion> notice =
        decision instanceof Decision.Denied
            ? List.of(
                Outbox.companion(
                    engine.store().keys(),
                    subject,
                    new Notice(
                        Notice.DENIAL,
                        "Party '"
                            + partyId
                            + "' was told no for purpose '"
                            + purpose
                            + "' under policy "
                            + decision.policy()
                            + ". Reasons: "
                            + decision.reasonCodes().stream().map(r -> r.code()).toList()
                            + ". Your report is free, and you may dispute any record it rests"
                            + " on.",
                        Map.of(
                            "decision",
                            id,
                            "party",
                            partyId,
                            "purpose",
                            purpose.name(),
                            "outcome",
                            "deny")),
                    now))
            : List.of();
    CompletableFuture<Void> logged =
        inquiries.append(
            subject,
            new Inquiry(
                partyId, purpose, decision.outcome(), Optional.of(decision.policy()), id, now),
            RequestAudit.actor(caller),
            "decision",
            notice);
    // The answer leaves once it is signed and its inquiry committed; no thread waits meanwhile.
    return signed
        .thenCombine(logged, (proof, nothing) -> proof)
        .orTimeout(10, TimeUnit.SECONDS)
        // Not on the signer's or the audit writer's thread: each of them serves every request.
        .handleAsync(
            (proof, failure) -> {
              if (failure != null) {
                throw new ApiException(
                    503,
                    "unavailable",
                    "the decision could not be signed and logged, so none is given; try again"
                        + " later");
              }
              body.set("signature", proof.json());
              return new Answer(body, decision.outcome());
            },
            answers);
  }

  private Policy policyFor(Purpose purpose, Optional<String> policyId, Instant now) {
    PurposeIndex i = index;
    long t = System.nanoTime();
    if (i == null || t - i.loadedNanos() > POLICY_CACHE_NANOS) {
      Map<Purpose, List<Policy>> byPurpose = new HashMap<>();
      for (Policy p : engine.activePolicies(now)) {
        p.purposes()
            .keySet()
            .forEach(k -> byPurpose.computeIfAbsent(k, x -> new ArrayList<>()).add(p));
      }
      i = new PurposeIndex(byPurpose, t);
      index = i;
    }
    List<Policy> candidates = i.byPurpose().getOrDefault(purpose, List.of());
    if (policyId.isPresent()) {
      candidates = candidates.stream().filter(p -> p.id().equals(policyId.get())).toList();
    }
    if (candidates.isEmpty()) {
      throw ApiException.badRequest(
          "unknown_purpose",
          "no active policy"
              + policyId.map(p -> " named '" + p + "'").orElse("")
              + " declares purpose '"
              + purpose
              + "'");
    }
    if (candidates.size() > 1) {
      throw ApiException.badRequest(
          "ambiguous_purpose",
          "purpose '"
              + purpose
              + "' is declared by policies "
              + candidates.stream().map(Policy::id).sorted().toList()
              + ": name one with \"policy\"");
    }
    return candidates.get(0);
  }

  private static void await(CompletableFuture<Void> written) {
    try {
      written.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new ApiException(
          503,
          "unavailable",
          "the inquiry log cannot be written, so no decision is given; try again later");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(503, "unavailable", "interrupted");
    }
  }

  static String newId() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    String hex = Long.toHexString(r.nextLong());
    return "dec-" + "0".repeat(16 - hex.length()) + hex;
  }
}
