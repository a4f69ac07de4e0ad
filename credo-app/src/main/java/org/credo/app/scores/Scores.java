package org.credo.app.scores;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.credo.access.Consents;
import org.credo.access.InquiryLog;
import org.credo.audit.AuditLog;
import org.credo.disputes.Dispute;
import org.credo.disputes.DisputeState;
import org.credo.disputes.Disputes;
import org.credo.engine.Engine;
import org.credo.notify.Outbox;
import org.credo.policy.Policy;
import org.credo.records.Record;
import org.credo.scoring.Score;
import org.credo.store.Keys;
import org.credo.subject.SubjectId;

/**
 * The one path to a score: {@code credo score}, {@code credo report}, {@code GET …/score}, {@code
 * GET …/report} and the portal all call this, and it asks the {@link Engine} — which answers from
 * its in-memory index when it has one and from the store otherwise, with the same result — so every
 * door gives the same score for the same subject, whatever process wrote the store last.
 */
public final class Scores {
  private final Engine engine;
  private final Disputes disputes;
  private final InquiryLog inquiries;
  private final Consents consents;
  private final Outbox outbox;
  private final AuditLog audit;
  private final Keys keys;
  private final org.credo.app.serving.ServingStore served;

  public Scores(
      Engine engine,
      Disputes disputes,
      InquiryLog inquiries,
      Consents consents,
      Outbox outbox,
      AuditLog audit,
      Keys keys,
      org.credo.app.serving.ServingStore served) {
    this.engine = requireNonNull(engine, "engine is null");
    this.disputes = requireNonNull(disputes, "disputes is null");
    this.inquiries = requireNonNull(inquiries, "inquiries is null");
    this.consents = requireNonNull(consents, "consents is null");
    this.outbox = requireNonNull(outbox, "outbox is null");
    this.audit = requireNonNull(audit, "audit is null");
    this.keys = requireNonNull(keys, "keys is null");
    this.served = served;
  }

  /**
   * The subject's scores as of {@code asOf}, as known at {@code knownAt}, under every active policy
   * (at {@code knownAt}) that scores its kind, or only the one named.
   */
  public ScoresOutcome score(
      SubjectId subject, Instant asOf, Instant knownAt, Optional<String> policy, Instant now) {
    requireNonNull(subject, "subject is null");
    if (asOf.isAfter(now) || knownAt.isAfter(now)) {
      return new ScoresOutcome.InTheFuture();
    }
    if (served != null) {
      // Serving mode holds each score as the streaming job last made it: the present only.
      if (!asOf.equals(now) || !knownAt.equals(now)) {
        return new ScoresOutcome.NotServed();
      }
      return served
          .scores(subject, policy, now)
          .<ScoresOutcome>map(w -> new ScoresOutcome.Served(subject, w))
          .orElse(new ScoresOutcome.NothingHeld(subject));
    }
    if (!engine.holdsRecords(subject)) {
      return new ScoresOutcome.NothingHeld(subject);
    }
    List<Score> scores =
        engine.scores(subject, asOf, knownAt).stream()
            .filter(s -> policy.isEmpty() || s.policy().id().equals(policy.get()))
            .toList();
    if (scores.isEmpty()) {
      return new ScoresOutcome.NoActivePolicy(
          policy.isEmpty()
              ? "no policy active at "
                  + knownAt
                  + " scores "
                  + subject.kind().prefix()
                  + " subjects (credo policy activate FILE)"
              : "policy '" + policy.get() + "' is not active at " + knownAt);
    }
    return new ScoresOutcome.Scored(subject, asOf, knownAt, scores, disputedKeys(subject));
  }

  /**
   * The subject's full report as of {@code now}; empty when Credo holds nothing about them (the
   * door says so, to the subject or the operator only).
   */
  public Optional<Report> report(SubjectId subject, Instant now) {
    // In serving mode the records are those the streaming job holds, scored here by the core.
    List<Record> records = served != null ? served.records(subject) : engine.records(subject);
    if (records.isEmpty()) {
      return Optional.empty();
    }
    List<Score> scores =
        served != null
            ? served.scores(subject, records, engine.activePolicies(now), now)
            : engine.scores(subject, now, now);
    List<Dispute> theirs = disputes.forSubject(subject);
    Map<String, Dispute> disputeOf = new HashMap<>();
    theirs.forEach(d -> disputeOf.putIfAbsent(d.record(), d));
    List<Policy> active =
        engine.activePolicies(now).stream()
            .filter(p -> p.subjects().contains(subject.kind()))
            .toList();
    Map<String, String> matched = engine.store().matchChecks(subject);
    List<Report.Held> held =
        records.stream()
            .map(
                r ->
                    new Report.Held(
                        r,
                        Optional.ofNullable(disputeOf.get(r.key())),
                        active.stream()
                            .filter(p -> p.rule(r.type()).isPresent() || p.scoresUnknownTypesZero())
                            .map(Policy::id)
                            .toList(),
                        Optional.ofNullable(matched.get(r.key()))
                            .flatMap(org.credo.subject.MatchCheck::of)))
            .toList();
    return Optional.of(
        new Report(
            subject,
            now,
            held,
            scores,
            open(theirs),
            inquiries.list(subject, Report.RECENT),
            consents.list(subject),
            theirs,
            outbox.forSubject(subject, Report.RECENT),
            audit.about(keys.pseudonym(subject), Report.RECENT)));
  }

  private Set<String> disputedKeys(SubjectId subject) {
    if (disputes.openCount(subject) == 0) {
      return Set.of();
    }
    return open(disputes.forSubject(subject));
  }

  private static Set<String> open(List<Dispute> disputes) {
    Set<String> keys = new HashSet<>();
    disputes.stream()
        .filter(d -> d.state() == DisputeState.OPEN)
        .forEach(d -> keys.add(d.record()));
    return keys;
  }
}
