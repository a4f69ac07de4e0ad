package org.credo.app.replays;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;
import org.credo.access.Inquiry;
import org.credo.access.InquiryLog;
import org.credo.decisions.Decider;
import org.credo.engine.Engine;
import org.credo.policy.Policy;
import org.credo.policy.Purpose;
import org.credo.subject.SubjectId;

/**
 * A past decision replayed exactly (SPEC §4.2): the records Credo knew at the time under the policy
 * version it used, through the same engine and {@link Decider} as every decision — beside the same
 * version with today's knowledge and today's version of the policy.
 */
public final class DecisionReplays {
  private final Engine engine;
  private final InquiryLog inquiries;

  public DecisionReplays(Engine engine, InquiryLog inquiries) {
    this.engine = requireNonNull(engine, "engine is null");
    this.inquiries = requireNonNull(inquiries, "inquiries is null");
  }

  /**
   * Replays decision {@code id} about {@code subject}.
   *
   * @param onlyParty when a relying party asks: it replays its own decisions only
   */
  private static final java.util.regex.Pattern DECISION_ID =
      java.util.regex.Pattern.compile("dec-[0-9a-f]{16}");

  public ReplayOutcome replay(
      SubjectId subject, String id, Optional<String> onlyParty, Instant now) {
    // Checked before any work: only a decision id's shape can name a decision (a bogus id costs
    // nothing); the lookup goes through the subject's audit entries, as decision ids are not
    // indexed, and the front door rate-limits it.
    if (!DECISION_ID.matcher(id).matches()) {
      return new ReplayOutcome.UnknownDecision(id);
    }
    Optional<Inquiry> found = inquiries.find(subject, id);
    if (found.isEmpty()
        || found.get().policy().isEmpty() // a read, or a refusal before any policy applied
        || onlyParty.filter(p -> !p.equals(found.get().party())).isPresent()) {
      return new ReplayOutcome.UnknownDecision(id);
    }
    Inquiry inquiry = found.get();
    Purpose purpose = inquiry.purpose();
    Instant at = inquiry.at();
    Policy then = engine.policy(inquiry.policy().get());
    ReplayOutcome.Run original = run(then, subject, purpose, at, at);
    Optional<ReplayOutcome.Run> today =
        engine.activePolicies(now).stream()
            .filter(x -> x.id().equals(then.id()) && x.purpose(purpose).isPresent())
            .findFirst()
            .map(p -> run(p, subject, purpose, now, now));
    return new ReplayOutcome.Replayed(
        id,
        subject,
        inquiry.party(),
        purpose,
        at,
        inquiry.outcome(),
        original,
        original.decision().outcome().equals(inquiry.outcome()),
        run(then, subject, purpose, at, now),
        today);
  }

  private ReplayOutcome.Run run(
      Policy policy, SubjectId subject, Purpose purpose, Instant asOf, Instant knownAt) {
    return new ReplayOutcome.Run(
        asOf,
        knownAt,
        Decider.decide(policy, engine.score(subject, policy, asOf, knownAt), purpose));
  }
}
