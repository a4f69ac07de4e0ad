package org.credo.app.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import java.util.TreeMap;
import org.credo.app.policies.Policies;
import org.credo.policy.Policy;

/** The active policies and every activation, as the operator console reads them. */
public record PoliciesWire(List<ActivationWire> activations, List<ActiveWire> active) {

  /**
   * One activation of a version; {@code simulation} (in the answer to an activation) names the
   * simulation it rests on, absent when activated without one.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ActivationWire(
      String policy, int version, String title, String at, String simulation) {}

  /** A policy active now: its scale, grades and lists. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ActiveWire(
      String policy,
      int version,
      String title,
      String since,
      Scale scale,
      List<Grade> grades,
      List<ListWire> lists) {}

  /** A policy's score range. */
  public record Scale(Num min, Num max) {}

  /** A grade band with its lower bound, best first as the policy lists them. */
  public record Grade(String grade, Num min) {}

  /** A list a policy defines. */
  public record ListWire(String name, String kind, @JsonProperty("public") boolean isPublic) {}

  public static PoliciesWire of(List<Policies.Entry> history, List<Policies.Active> active) {
    return new PoliciesWire(
        history.stream()
            .map(
                e ->
                    new ActivationWire(
                        e.activation().policy().id(),
                        e.activation().policy().version(),
                        e.title(),
                        e.activation().at().toString(),
                        null))
            .toList(),
        active.stream().map(PoliciesWire::active).toList());
  }

  private static ActiveWire active(Policies.Active a) {
    Policy p = a.policy();
    return new ActiveWire(
        p.ref().id(),
        p.ref().version(),
        p.title(),
        a.since().map(Instant::toString).orElse(null),
        new Scale(new Num(p.scale().min()), new Num(p.scale().max())),
        grades(p),
        new TreeMap<>(p.lists())
            .entrySet().stream()
                .map(
                    e ->
                        new ListWire(
                            e.getKey(), e.getValue().kind().word(), e.getValue().isPublic()))
                .toList());
  }

  /** A policy's grade bands, best first as the policy lists them. */
  public static List<Grade> grades(Policy p) {
    return p.grades().stream().map(b -> new Grade(b.grade().name(), new Num(b.min()))).toList();
  }
}
