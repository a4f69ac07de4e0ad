package org.credo.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.credo.app.scores.Report;
import org.credo.app.scores.ScoresOutcome;
import org.credo.app.wire.ApiWire;
import org.credo.app.wire.ReportWire;
import org.credo.app.wire.ScoreWire;
import org.credo.app.wire.ScoresWire;
import org.credo.scoring.Score;

/** The wire forms as JSON trees, for tests that compare or read them. */
final class WireTrees {
  private WireTrees() {}

  static ObjectNode score(Score s) {
    return ApiWire.MAPPER.valueToTree(ScoreWire.of(s));
  }

  static ObjectNode scores(ScoresOutcome.Scored s) {
    return ApiWire.MAPPER.valueToTree(ScoresWire.of(s));
  }

  static ObjectNode report(Report r) {
    return ApiWire.MAPPER.valueToTree(ReportWire.of(r));
  }
}
