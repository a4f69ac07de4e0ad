package org.credo.app.fairness;

import org.credo.engine.PopulationScores;

/**
 * Fairness counts over a rescoring that someone else drives (a policy simulation): fold each
 * subject's scores, under the policies {@link FairnessAudit#counter} was given in that order, then
 * merge the parts and report. The attributes stay inside this package.
 */
public final class PopulationFairness {
  private final FairnessTally tally;

  PopulationFairness(FairnessTally tally) {
    this.tally = tally;
  }

  /** A subject's answer under the {@code policy}-th policy to a purpose that policy declares. */
  @FunctionalInterface
  public interface Answers {
    String outcome(int policy, org.credo.policy.Purpose purpose);
  }

  public void add(PopulationScores.Scored s) {
    tally.add(s);
  }

  /** {@link #add(PopulationScores.Scored)} with the subject's answers already decided. */
  public void add(PopulationScores.Scored s, Answers answers) {
    tally.add(s, answers);
  }

  public PopulationFairness merge(PopulationFairness o) {
    tally.merge(o.tally);
    return this;
  }

  public FairnessReport report(String asOf) {
    return tally.report(asOf);
  }
}
