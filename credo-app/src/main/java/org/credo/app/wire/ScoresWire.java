package org.credo.app.wire;

import java.util.List;
import org.credo.app.scores.ScoresOutcome;
import org.credo.scoring.Score;

/**
 * A subject's scores as {@code GET /v1/subjects/{s}/score} and {@code credo score --json} give
 * them.
 */
public record ScoresWire(String subject, String asOf, String knownAt, List<ScoreWire> scores) {
  /** One score, from a policy file and a records file (the CLI's {@code --records}). */
  public static ScoresWire of(Score s) {
    return new ScoresWire(
        s.subject().toString(),
        s.asOf().toString(),
        s.knownAt().toString(),
        List.of(ScoreWire.of(s)));
  }

  public static ScoresWire of(ScoresOutcome.Scored scored) {
    return new ScoresWire(
        scored.subject().toString(),
        scored.asOf().toString(),
        scored.knownAt().toString(),
        scored.scores().stream().map(s -> ScoreWire.of(s, scored.disputed())).toList());
  }
}
