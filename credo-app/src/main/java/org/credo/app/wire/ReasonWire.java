package org.credo.app.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.credo.scoring.ReasonCode;

/** A reason code with its text, and its points when it moved the score. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReasonWire(String code, String text, Num points) {
  public static ReasonWire of(ReasonCode r) {
    return new ReasonWire(r.code(), r.text(), r.points() != 0 ? Num.of(r.points()) : null);
  }

  public static List<ReasonWire> of(List<ReasonCode> reasons) {
    return reasons.stream().map(ReasonWire::of).toList();
  }
}
