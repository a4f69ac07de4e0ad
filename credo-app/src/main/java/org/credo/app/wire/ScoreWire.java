package org.credo.app.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.credo.scoring.Contribution;
import org.credo.scoring.FactorResult;
import org.credo.scoring.Score;

/**
 * A score as every door shows it (the HTTP API, the CLI's {@code --json}, the portal), without the
 * subject: each contribution itemized, those from records under open dispute marked {@code
 * "disputed": true}. {@code factors} is left out for a points policy.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ScoreWire(
    String policy,
    int policyVersion,
    String asOf,
    String knownAt,
    Num score,
    Range scale,
    String grade,
    List<ListEntryWire> lists,
    List<ReasonWire> reasonCodes,
    List<Factor> factors,
    List<ContributionWire> contributions,
    List<String> notes,
    NoScoreWire unscorable) {

  /**
   * Why there is no number and no grade: {@code insufficient_data} (the policy's minimum scoring
   * criteria are not met) or {@code subject_score_free} (the subject opted out).
   */
  public record NoScoreWire(String code, String reason) {}

  /** The lowest and highest score a policy gives. */
  public record Range(Num min, Num max) {}

  /** A factor's share of a factor policy's score. */
  public record Factor(
      String name,
      String label,
      Num weight,
      Num appliedWeight,
      boolean participating,
      Num signal,
      Num points,
      Num shortfall,
      int records) {}

  /** One record's part in the score. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ContributionWire(
      String record,
      String source,
      String type,
      String label,
      String domain,
      String occurred,
      String status,
      Num points,
      Num uncappedPoints,
      String expires,
      String evidence,
      Boolean disputed) {

    static ContributionWire of(Contribution c, Set<String> disputed) {
      return new ContributionWire(
          c.record().key(),
          c.record().source().value(),
          c.record().type().value(),
          c.label(),
          c.domain().orElse(null),
          c.record().occurred().toString(),
          c.status().name().toLowerCase(Locale.ROOT),
          Num.of(c.points()),
          c.capped() ? Num.of(c.uncappedPoints()) : null,
          c.expiresAt().map(Instant::toString).orElse(null),
          c.record().evidence().orElse(null),
          disputed.contains(c.record().key()) ? Boolean.TRUE : null);
    }
  }

  public static ScoreWire of(Score s) {
    return of(s, Set.of());
  }

  /**
   * @param disputed the keys of the records under open dispute
   */
  public static ScoreWire of(Score s, Set<String> disputed) {
    return new ScoreWire(
        s.policy().id(),
        s.policy().version(),
        s.asOf().toString(),
        s.knownAt().toString(),
        s.hasNumber() ? Num.of(s.value()) : null,
        new Range(Num.of(s.scaleMin()), Num.of(s.scaleMax())),
        s.hasNumber() ? s.grade().name() : null,
        s.lists().stream().map(e -> ListEntryWire.of(e, s.asOf())).toList(),
        ReasonWire.of(s.reasonCodes()),
        s.factors().isEmpty() || !s.hasNumber()
            ? null
            : s.factors().stream().map(ScoreWire::factor).toList(),
        s.contributions().stream().map(c -> ContributionWire.of(c, disputed)).toList(),
        List.copyOf(s.notes()),
        s.noScore().map(n -> new NoScoreWire(n.code(), n.reason())).orElse(null));
  }

  private static Factor factor(FactorResult f) {
    return new Factor(
        f.name(),
        f.label(),
        Num.of(f.weight()),
        Num.of(f.appliedWeight()),
        f.participating(),
        Num.of(f.signal()),
        Num.of(f.points()),
        Num.of(f.shortfall()),
        f.records());
  }
}
