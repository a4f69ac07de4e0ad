package org.credo.intake;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.credo.catalogue.Catalogue;
import org.credo.dueprocess.DueProcess;
import org.credo.policy.AttributeType;
import org.credo.policy.Policy;
import org.credo.policy.Rule;
import org.credo.records.Record;

/**
 * What the policies active when a record is learned require of it, the same at every intake ({@code
 * credo import}, {@code POST /v1/records}, the streaming job): some policy must know its type (a
 * correction or retraction aside: it names a record that is already held), and it must carry every
 * attribute, of the right type, that a rule for its type needs.
 */
public final class PolicyIntake {
  private PolicyIntake() {}

  /**
   * Why a streaming intake refuses {@code r}, if it does: a record of Credo's reserved source by
   * {@link DueProcess#refusal} (a due process mark needs nothing else; a suppression only a
   * catalogued type), any other by {@code catalogue}, then by {@code policies} — those active when
   * it was learned — as {@code credo import} refuses it.
   */
  public static Optional<String> refusal(Catalogue catalogue, List<Policy> policies, Record r) {
    Optional<String> own = DueProcess.refusal(r);
    if (own.isPresent() || DueProcess.isMark(r)) {
      return own;
    }
    Optional<String> refused = catalogue.refusal(r.type(), r.attributes());
    if (refused.isPresent() || r.source().value().equals(Record.RESERVED_SOURCE)) {
      return refused; // a suppression retracts a held record: no rule reads its attributes
    }
    return refusal(policies, r, false);
  }

  /**
   * Why {@code policies} refuse {@code r}, if they do.
   *
   * @param allowUnknownTypes keep records of a type no policy knows (they score zero)
   */
  public static Optional<String> refusal(
      List<Policy> policies, Record r, boolean allowUnknownTypes) {
    Optional<String> missing = missingAttribute(policies, r);
    if (missing.isPresent()) {
      return missing;
    }
    if (!allowUnknownTypes
        && r.supersedes().isEmpty()
        && r.retracts().isEmpty()
        && policies.stream().noneMatch(p -> p.rule(r.type()).isPresent())) {
      return Optional.of(
          "no active policy knows type "
              + r.type()
              + (policies.isEmpty() ? " (no policy is active: credo policy activate FILE)" : ""));
    }
    return Optional.empty();
  }

  /**
   * The first attribute a rule for {@code r}'s type needs under {@code policies} that is missing or
   * of the wrong type.
   */
  public static Optional<String> missingAttribute(List<Policy> policies, Record r) {
    for (Policy policy : policies) {
      Optional<Rule> rule = policy.rule(r.type());
      if (rule.isEmpty()) {
        continue;
      }
      for (Map.Entry<String, AttributeType> a : rule.get().attributes().entrySet()) {
        Object value = r.attributes().get(a.getKey());
        if (value == null || !a.getValue().accepts(value)) {
          return Optional.of(
              "type "
                  + r.type()
                  + " needs attribute '"
                  + a.getKey()
                  + "' ("
                  + a.getValue().word()
                  + ") under policy "
                  + policy.ref());
        }
      }
    }
    return Optional.empty();
  }
}
