package org.credo.app.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import org.credo.repairs.Repair;

/** A repair application, as the API shows it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RepairWire(
    String id,
    String list,
    String basis,
    String evidence,
    String state,
    String opened,
    String deadline,
    String decided,
    String decidedBy,
    String reason) {

  /** A list of applications: {@code {"repairs": […]}}. */
  public record Many(List<RepairWire> repairs) {
    public static Many of(List<Repair> repairs) {
      return new Many(repairs.stream().map(RepairWire::of).toList());
    }
  }

  public static RepairWire of(Repair r) {
    return new RepairWire(
        r.id(),
        r.list(),
        r.basis(),
        r.evidence(),
        r.state(),
        r.opened().toString(),
        r.deadline().toString(),
        r.decided().map(Instant::toString).orElse(null),
        r.decidedBy().orElse(null),
        r.reason().orElse(null));
  }
}
