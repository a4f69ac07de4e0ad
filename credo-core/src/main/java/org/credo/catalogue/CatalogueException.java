package org.credo.catalogue;

import java.util.List;
import java.util.stream.Collectors;
import org.credo.policy.PolicyProblem;

/** A catalogue that does not load: every problem, each at its line and column. */
public final class CatalogueException extends Exception {
  private static final long serialVersionUID = 1L;
  private final transient List<PolicyProblem> problems;

  public CatalogueException(List<PolicyProblem> problems) {
    super(problems.stream().map(PolicyProblem::toString).collect(Collectors.joining("\n")));
    this.problems = List.copyOf(problems);
  }

  public List<PolicyProblem> problems() {
    return problems;
  }
}
