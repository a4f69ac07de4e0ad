package org.credo.app.subjects;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import org.credo.app.Refusal;
import org.credo.store.ScoringModes;

/** What {@link SubjectScoring#set} answers. */
public sealed interface ScoringModeOutcome {

  /**
   * The subject's mode as it now stands, since when, and whether this request changed it (a request
   * for the mode already in effect changes nothing and is not logged twice).
   */
  record Current(ScoringModes.Mode mode, Instant since, boolean changed)
      implements ScoringModeOutcome {
    public Current {
      requireNonNull(mode, "mode is null");
      requireNonNull(since, "since is null");
    }
  }

  /** The mode is neither {@code scored} nor {@code score_free}. */
  record BadMode(String mode) implements ScoringModeOutcome, Refusal {
    @Override
    public String code() {
      return "bad_request";
    }

    @Override
    public String message() {
      return "mode '" + mode + "' is not one of scored, score_free";
    }

    @Override
    public Kind kind() {
      return Kind.BAD_INPUT;
    }
  }
}
