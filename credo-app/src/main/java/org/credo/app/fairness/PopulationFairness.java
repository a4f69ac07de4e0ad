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

  public void add(PopulationScores.Scored s) {
    tally.add(s);
  }

  public PopulationFairness merge(PopulationFairness o) {
    tally.merge(o.tally);
    return this;
  }

  public FairnessReport report(String asOf) {
    return tally.report(asOf);
  }
}
