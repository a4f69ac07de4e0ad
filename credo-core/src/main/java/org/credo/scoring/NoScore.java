package org.credo.scoring;

import static java.util.Objects.requireNonNull;

import org.credo.policy.Policy;
import org.credo.policy.ScoringCriteria;

/**
 * Why a subject has no number and no grade under a policy: too little on file to meet the policy's
 * minimum scoring criteria ({@code insufficient_data}), or the subject chose score-free mode
 * ({@code subject_score_free}). Lists, records, disputes and expiry are unaffected; a purpose that
 * needs a score refers the subject with this code.
 *
 * @param code {@link #INSUFFICIENT_DATA} or {@link #SUBJECT_SCORE_FREE}
 * @param reason in a subject's terms
 */
public record NoScore(String code, String reason) {
  public static final String INSUFFICIENT_DATA = "insufficient_data";
  public static final String SUBJECT_SCORE_FREE = "subject_score_free";

  public NoScore {
    requireNonNull(code, "code is null");
    requireNonNull(reason, "reason is null");
  }

  /** The policy's criteria are not met: {@code unmet} is the first requirement that fails. */
  public static NoScore insufficientData(Policy policy, ScoringCriteria.Requirement unmet) {
    return new NoScore(
        INSUFFICIENT_DATA,
        "unscorable under "
            + policy.ref()
            + ": "
            + unmet.unmet()
            + " (the policy scores only when: "
            + policy.scorable().map(ScoringCriteria::statement).orElse("")
            + ")");
  }

  /** The subject opted out of being scored (SPEC §4.6). */
  public static NoScore scoreFree() {
    return new NoScore(
        SUBJECT_SCORE_FREE,
        "the subject chose score-free mode: no score or grade is computed or disclosed; records,"
            + " lists required by law, disputes and expiry go on as before");
  }

  /** Whether this is the subject's own choice rather than a thin file. */
  public boolean isScoreFree() {
    return code.equals(SUBJECT_SCORE_FREE);
  }
}
