package org.credo.app.decisions;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.credo.access.Consents;
import org.credo.access.Inquiry;
import org.credo.access.InquiryLog;
import org.credo.access.Parties;
import org.credo.access.Party;
import org.credo.app.wire.DecisionWire;
import org.credo.audit.AuditLog;
import org.credo.decisions.Decider;
import org.credo.decisions.Decision;
import org.credo.disputes.Disputes;
import org.credo.engine.Engine;
import org.credo.notify.Notice;
import org.credo.notify.Outbox;
import org.credo.policy.Policy;
import org.credo.policy.Purpose;
import org.credo.policy.PurposeDefinition;
import org.credo.signing.BatchSigner;
import org.credo.signing.Canonical;
import org.credo.store.Keys;
import org.credo.subject.SubjectId;

/**
 * A relying party's question for one subject and one purpose (SPEC §4.2, §4.6): checks the party's
 * registration and the subject's consent, decides with the core's {@link Decider} on the score the
 * engine gives, logs the inquiry (a refusal for missing consent too), and — when this application
 * signs — signs the decision in a batch. The server's {@code POST /v1/decisions} and the CLI's
 * {@code credo decide} both call {@link #decide}; neither holds a rule of its own.
 *
 * <p>Whether Credo holds anything about the subject is never told: a subject with no records is
 * decided like any thin file, and the inquiry is logged all the same.
 */
public final class Decisions {
  private static final long POLICY_CACHE_NANOS = 1_000_000_000L;

  private record PurposeIndex(Map<Purpose, List<Policy>> byPurpose, long loadedNanos) {}

  /**
   * Who asks.
   *
   * @param party the relying party, if the caller is one (the CLI may decide without)
   * @param actor who asked, for the audit log (e.g. {@code relying_party:tok-…}, {@code cli})
   */
  public record Asker(Optional<String> party, String actor) {
    public Asker {
      requireNonNull(party, "party is null");
      requireNonNull(actor, "actor is null");
    }
  }

  private final Engine engine;
  private final Parties parties;
  private final Consents consents;
  private final InquiryLog inquiries;
  private final Disputes disputes;
  private final Keys keys;
  private final AuditLog audit;
  private final BatchSigner signer;
  private final org.credo.app.serving.ServingStore served;
  private volatile PurposeIndex index;

  /**
   * @param served in serving mode, where decisions come from (the streaming job's serving tables);
   *     null to score with the engine
   */
  public Decisions(
      Engine engine,
      Parties parties,
      Consents consents,
      InquiryLog inquiries,
      Disputes disputes,
      Keys keys,
      AuditLog audit,
      BatchSigner signer,
      org.credo.app.serving.ServingStore served) {
    this.engine = requireNonNull(engine, "engine is null");
    this.parties = requireNonNull(parties, "parties is null");
    this.consents = requireNonNull(consents, "consents is null");
    this.inquiries = requireNonNull(inquiries, "inquiries is null");
    this.disputes = requireNonNull(disputes, "disputes is null");
    this.keys = requireNonNull(keys, "keys is null");
    this.audit = requireNonNull(audit, "audit is null");
    this.signer = signer;
    this.served = served;
  }

  /**
   * Decides {@code purpose} for {@code subject} as of {@code now}.
   *
   * @param policyId the policy to ask, when the caller names one
   * @throws InquiryLog.Unavailable when a refusal's inquiry cannot be logged (then nothing is
   *     answered)
   */
  public DecisionOutcome decide(
      Asker asker, SubjectId subject, Purpose purpose, Optional<String> policyId, Instant now) {
    Optional<String> partyId = asker.party();
    if (partyId.isPresent()) {
      Optional<Party> party = parties.cached(partyId.get());
      if (party.isEmpty()) {
        return new DecisionOutcome.PartyNotRegistered(partyId);
      }
      if (!party.get().mayAsk(purpose)) {
        return new DecisionOutcome.PurposeNotRegistered(
            partyId.get(), purpose, party.get().sortedPurposes());
      }
    }
    List<Policy> candidates = policiesFor(purpose, now);
    if (policyId.isPresent()) {
      candidates = candidates.stream().filter(p -> p.id().equals(policyId.get())).toList();
    }
    if (candidates.isEmpty()) {
      return new DecisionOutcome.UnknownPurpose(purpose, policyId);
    }
    if (candidates.size() > 1) {
      return new DecisionOutcome.AmbiguousPurpose(
          purpose, candidates.stream().map(Policy::id).sorted().toList());
    }
    Policy policy = candidates.get(0);
    if (!policy.subjects().contains(subject.kind())) {
      return new DecisionOutcome.PurposeNotForSubject(purpose, policy.ref(), subject.kind());
    }
    PurposeDefinition def = policy.purpose(purpose).orElseThrow();
    if (needsConsent(
        def, () -> partyId.isPresent() && consents.live(subject, partyId.get(), purpose, now))) {
      if (partyId.isPresent()) {
        await(
            inquiries.append(
                subject,
                new Inquiry(
                    partyId.get(), purpose, "refused", Optional.of(policy.ref()), newId(), now),
                asker.actor(),
                "decision"));
      }
      return new DecisionOutcome.ConsentMissing(partyId, purpose, policy.ref());
    }
    Decision decision =
        served != null
            ? served.decide(subject, policy, purpose, now)
            : Decider.decide(policy, engine.score(subject, policy, now, now), purpose);
    String id = newId();
    ObjectNode body =
        DecisionWire.of(
                decision, Optional.of(id), partyId, policy.scale(), disputes.openCount(subject))
            .tree();
    CompletableFuture<Void> logged =
        partyId.isEmpty()
            ? logOperator(subject, decision, id, asker, now)
            : inquiries.append(
                subject,
                new Inquiry(
                    partyId.get(),
                    purpose,
                    decision.outcome(),
                    Optional.of(decision.policy()),
                    id,
                    now),
                asker.actor(),
                "decision",
                denialNotice(subject, decision, partyId.get(), id, now));
    if (signer == null) {
      return new DecisionOutcome.DecisionMade(
          decision, logged.thenApply(x -> new DecisionAnswer(body, decision.outcome())));
    }
    body.put("keyId", signer.key().keyId());
    CompletableFuture<DecisionAnswer> answer =
        signer
            .sign(Canonical.bytes(body))
            .thenCombine(logged, (proof, nothing) -> proof)
            .orTimeout(10, TimeUnit.SECONDS)
            .thenApply(
                proof -> {
                  body.set("signature", proof.json());
                  return new DecisionAnswer(body, decision.outcome());
                });
    return new DecisionOutcome.DecisionMade(decision, answer);
  }

  /**
   * The consent rule (SPEC §4.6), in one place: a purpose marked {@code consent: required} is
   * answered only while the subject has granted it to the asking party; without one there is nobody
   * it could have been granted to. A refusal, never a referral: nothing is scored.
   */
  public static boolean needsConsent(PurposeDefinition purpose, BooleanSupplier granted) {
    // Asked only for a purpose that needs consent: reading the consents is off a decision's hot
    // path for every other purpose.
    return purpose.consentRequired() && !granted.getAsBoolean();
  }

  /** A decision asked from the command line without a party: an audited read, not an inquiry. */
  private CompletableFuture<Void> logOperator(
      SubjectId subject, Decision decision, String id, Asker asker, Instant now) {
    return audit
        .append(
            new org.credo.audit.AuditEntry(
                now,
                asker.actor(),
                "subject.decide",
                keys.pseudonym(subject),
                "decision="
                    + id
                    + " purpose="
                    + decision.purpose()
                    + " outcome="
                    + decision.outcome()
                    + " policy="
                    + decision.policy()))
        .thenApply(seq -> null);
  }

  private List<AuditLog.Companion> denialNotice(
      SubjectId subject, Decision decision, String partyId, String id, Instant now) {
    if (!(decision instanceof Decision.Denied)) {
      return List.of();
    }
    // A denial's notice to the subject is written in the same transaction as the inquiry.
    return List.of(
        Outbox.companion(
            keys,
            subject,
            new Notice(
                Notice.DENIAL,
                "Party '"
                    + partyId
                    + "' was told no for purpose '"
                    + decision.purpose()
                    + "' under policy "
                    + decision.policy()
                    + ". Reasons: "
                    + decision.reasonCodes().stream().map(r -> r.code()).toList()
                    + ". Your report is free, and you may dispute any record it rests on.",
                Map.of(
                    "decision",
                    id,
                    "party",
                    partyId,
                    "purpose",
                    decision.purpose().name(),
                    "outcome",
                    "deny")),
            now));
  }

  /** The active policies declaring {@code purpose}; the index is rebuilt at most once a second. */
  private List<Policy> policiesFor(Purpose purpose, Instant now) {
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
    return i.byPurpose().getOrDefault(purpose, List.of());
  }

  private static void await(CompletableFuture<Void> written) {
    try {
      written.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new InquiryLog.Unavailable(
          "the inquiry log cannot be written, so no decision is given; try again later", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InquiryLog.Unavailable("interrupted", e);
    }
  }

  public static String newId() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    String hex = Long.toHexString(r.nextLong());
    return "dec-" + "0".repeat(16 - hex.length()) + hex;
  }
}
