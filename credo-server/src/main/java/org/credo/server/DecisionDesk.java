package org.credo.server;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.credo.access.Principal;
import org.credo.app.Refusal;
import org.credo.app.decisions.DecisionAnswer;
import org.credo.app.decisions.DecisionOutcome;
import org.credo.app.decisions.Decisions;
import org.credo.policy.Purpose;
import org.credo.subject.SubjectId;

/**
 * {@code POST /v1/decisions} over the application's {@link Decisions}: the caller's party comes
 * from its token, a refusal becomes its HTTP error, and a decision is answered once it is signed
 * and its inquiry committed — on the answers pool, so neither the signer's nor the audit writer's
 * thread serves the response.
 */
final class DecisionDesk {
  private final Decisions decisions;
  private final Executor answers;

  DecisionDesk(Decisions decisions, Executor answers) {
    this.decisions = requireNonNull(decisions, "decisions is null");
    this.answers = requireNonNull(answers, "answers is null");
  }

  CompletableFuture<DecisionAnswer> decide(
      Principal caller,
      SubjectId subject,
      Purpose purpose,
      Optional<String> policyId,
      Instant now) {
    DecisionOutcome outcome =
        decisions.decide(
            new Decisions.Asker(caller.scope(), RequestAudit.actor(caller)),
            subject,
            purpose,
            policyId,
            now);
    if (outcome instanceof DecisionOutcome.DecisionMade made) {
      return made.answer()
          .handleAsync(
              (answer, failure) -> {
                if (failure != null) {
                  throw new ApiException(
                      503,
                      "unavailable",
                      "the decision could not be signed and logged, so none is given; try again"
                          + " later");
                }
                return answer;
              },
              answers);
    }
    throw ApiErrors.refused((Refusal) outcome);
  }
}
