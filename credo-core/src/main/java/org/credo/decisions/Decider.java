package org.credo.decisions;

import java.util.ArrayList;
import java.util.List;
import org.credo.policy.Purpose;
import org.credo.policy.PurposeDefinition;
import org.credo.scoring.ReasonCode;
import org.credo.scoring.Score;

/**
 * Answers a relying party's question for one subject and one purpose (SPEC §4.2, §4.6). See {@link
 * org.credo.scoring.PurposeView} for how the purpose's domains restrict what is read.
 */
public final class Decider {
  private Decider() {}

  /**
   * Decides for {@code purpose} on a score made under {@code policy}. Conditions are checked in the
   * order deny_if, refer_if, allow_if; with no allow_if, what is not denied or referred is allowed.
   * The decision is dated at the score's {@code asOf}. Whether a purpose that requires consent may
   * be asked at all is not the core's question: the application refuses it before scoring ({@code
   * org.credo.app.decisions.Decisions}), so every front door gives the one answer.
   *
   * @throws IllegalArgumentException if the policy has no such purpose or the score was made under
   *     another policy
   */
  public static Decision decide(org.credo.policy.Policy policy, Score score, Purpose purpose) {
    if (!score.policy().equals(policy.ref())) {
      throw new IllegalArgumentException(
          "score was made under " + score.policy() + ", not " + policy.ref());
    }
    PurposeDefinition def =
        policy
            .purpose(purpose)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "policy "
                            + policy.ref()
                            + " has no purpose '"
                            + purpose
                            + "' (it has "
                            + policy.purposes().keySet()
                            + ")"));
    var decidedAt = score.asOf();
    var validUntil = def.validFor().addTo(decidedAt);
    org.credo.scoring.PurposeView view = org.credo.scoring.PurposeView.of(policy, score, def);
    Disclosed disclosed = Disclosed.of(view, def.discloses());
    List<ReasonCode> reasons = new ArrayList<>();
    if (score.noScore().isPresent() && needsScore(def)) {
      // Unscorable or score-free: a purpose that needs a number refers; one that reads only lists
      // still decides below.
      var why = score.noScore().get();
      reasons.add(new ReasonCode(why.code(), why.reason(), 0));
      return new Decision.Referred(
          score.subject(), purpose, policy.ref(), decidedAt, validUntil, reasons, disclosed);
    }
    try {
      if (def.denyIf().isPresent() && view.test(def.denyIf().get())) {
        reasons.add(condition("deny_if", def.denyIf().get().source()));
        reasons.addAll(view.reasonCodes());
        return new Decision.Denied(
            score.subject(), purpose, policy.ref(), decidedAt, validUntil, reasons, disclosed);
      }
      if (def.referIf().isPresent() && view.test(def.referIf().get())) {
        reasons.add(condition("refer_if", def.referIf().get().source()));
        reasons.addAll(view.reasonCodes());
        return new Decision.Referred(
            score.subject(), purpose, policy.ref(), decidedAt, validUntil, reasons, disclosed);
      }
      if (def.allowIf().isPresent() && !view.test(def.allowIf().get())) {
        reasons.add(condition("allow_if_not_met", def.allowIf().get().source()));
        reasons.addAll(view.reasonCodes());
        return new Decision.Denied(
            score.subject(), purpose, policy.ref(), decidedAt, validUntil, reasons, disclosed);
      }
    } catch (org.credo.policy.Expression.ExpressionException e) {
      return new Decision.Referred(
          score.subject(),
          purpose,
          policy.ref(),
          decidedAt,
          decidedAt,
          List.of(new ReasonCode("condition_error", e.getMessage(), 0)),
          Disclosed.NOTHING);
    }
    reasons.add(
        def.allowIf()
            .map(a -> condition("allow_if", a.source()))
            .orElse(new ReasonCode("no_restriction", "no condition of the purpose applies", 0)));
    return new Decision.Allowed(
        score.subject(), purpose, policy.ref(), decidedAt, validUntil, reasons, disclosed);
  }

  /** Whether a purpose's conditions read the score, the grade or the factors. */
  public static boolean needsScore(PurposeDefinition def) {
    for (var e : java.util.List.of(def.denyIf(), def.referIf(), def.allowIf())) {
      if (e.isPresent()) {
        var vars = e.get().reads().variables();
        if (vars.contains("score") || vars.contains("grade") || vars.contains("factors")) {
          return true;
        }
      }
    }
    return false;
  }

  private static ReasonCode condition(String code, String source) {
    return new ReasonCode(code, source, 0);
  }
}
