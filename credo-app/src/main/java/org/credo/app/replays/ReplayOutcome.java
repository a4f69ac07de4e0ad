package org.credo.app.replays;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;
import org.credo.app.Refusal;
import org.credo.decisions.Decision;
import org.credo.policy.Purpose;
import org.credo.subject.SubjectId;

/** What {@link DecisionReplays#replay} answers: a past decision replayed, or why not. */
public sealed interface ReplayOutcome {

  /** One decision made again, under a given policy version and knowledge. */
  record Run(Instant asOf, Instant knownAt, Decision decision) {
    public Run {
      requireNonNull(asOf, "asOf is null");
      requireNonNull(knownAt, "knownAt is null");
      requireNonNull(decision, "decision is null");
    }
  }

  /**
   * The decision as it was made (the records and policy version Credo had then), beside the same
   * policy version with today's knowledge and, when the policy still declares the purpose, today's
   * active version.
   *
   * @param reproduced whether {@code original} gives the outcome recorded at the time
   */
  record Replayed(
      String id,
      SubjectId subject,
      String party,
      Purpose purpose,
      Instant decidedAt,
      String recordedOutcome,
      Run original,
      boolean reproduced,
      Run withTodaysKnowledge,
      Optional<Run> today)
      implements ReplayOutcome {
    public Replayed {
      requireNonNull(id, "id is null");
      requireNonNull(today, "today is null");
    }
  }

  /**
   * No such decision about this subject that the caller may see — the same answer whether it does
   * not exist, was a refusal before any policy applied, or is another party's.
   */
  record UnknownDecision(String id) implements ReplayOutcome, Refusal {
    @Override
    public String code() {
      return "unknown_decision";
    }

    @Override
    public String message() {
      return "there is no decision " + id + " about them";
    }

    @Override
    public Kind kind() {
      return Kind.NOT_FOUND;
    }
  }
}
