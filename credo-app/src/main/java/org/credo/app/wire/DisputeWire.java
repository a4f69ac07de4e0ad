package org.credo.app.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import org.credo.disputes.Dispute;

/** A dispute with its history, as the API, the report and the CLI's {@code --json} show it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DisputeWire(
    String id,
    String record,
    String source,
    String statement,
    String state,
    String opened,
    String deadline,
    boolean overdue,
    String answered,
    String answeredBy,
    String reason,
    String result,
    List<Event> history) {

  /** One step of a dispute's history. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Event(String at, String state, String by, String note) {}

  /** A list of disputes: {@code {"disputes": […]}}. */
  public record Many(List<DisputeWire> disputes) {
    public static Many of(List<Dispute> disputes, Instant now) {
      return new Many(disputes.stream().map(d -> DisputeWire.of(d, now)).toList());
    }
  }

  public static DisputeWire of(Dispute d, Instant now) {
    return new DisputeWire(
        d.id(),
        d.record(),
        d.source(),
        d.statement(),
        d.state().word(),
        d.opened().toString(),
        d.deadline().toString(),
        d.overdue(now),
        d.answered().map(Instant::toString).orElse(null),
        d.answeredBy().orElse(null),
        d.reason().orElse(null),
        d.result().orElse(null),
        d.history().stream()
            .map(
                e ->
                    new Event(
                        e.at().toString(), e.state().word(), e.actor(), e.note().orElse(null)))
            .toList());
  }
}
