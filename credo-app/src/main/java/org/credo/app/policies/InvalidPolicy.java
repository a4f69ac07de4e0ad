package org.credo.app.policies;

import java.util.List;
import java.util.stream.Collectors;
import org.credo.app.Refusal;
import org.credo.policy.PolicyProblem;

/**
 * A policy text that does not load, or does not keep to the catalogue: one problem per line, with
 * its place. Nothing was saved. What both an activation and a simulation answer then.
 */
public record InvalidPolicy(List<PolicyProblem> problems)
    implements PolicyOutcome, SimulationOutcome, Refusal {
  public InvalidPolicy {
    problems = List.copyOf(problems);
  }

  @Override
  public String code() {
    return "invalid_policy";
  }

  @Override
  public String message() {
    return problems.stream().map(Object::toString).collect(Collectors.joining("; "));
  }

  @Override
  public Kind kind() {
    return Kind.BAD_INPUT;
  }
}
