package org.credo.app.scores;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.credo.app.Refusal;
import org.credo.scoring.Score;
import org.credo.subject.SubjectId;

/** What {@link Scores#score} answers. */
public sealed interface ScoresOutcome {

  /**
   * The subject's score under every active policy that scores its kind (or the one named).
   *
   * @param disputed the keys of the subject's records under open dispute, marked in every door's
   *     rendering of the contributions
   */
  record Scored(
      SubjectId subject, Instant asOf, Instant knownAt, List<Score> scores, Set<String> disputed)
      implements ScoresOutcome {
    public Scored {
      requireNonNull(subject, "subject is null");
      scores = List.copyOf(scores);
      disputed = Set.copyOf(disputed);
    }
  }

  /**
   * In serving mode: the subject's latest scores as the streaming job made them, in the wire form
   * of {@code GET /v1/subjects/{s}/score}.
   */
  record Served(SubjectId subject, com.fasterxml.jackson.databind.node.ObjectNode wire)
      implements ScoresOutcome {
    public Served {
      requireNonNull(subject, "subject is null");
      requireNonNull(wire, "wire is null");
    }
  }

  /** In serving mode, a score as of another instant than now: history is the engine's to give. */
  record NotServed() implements ScoresOutcome, Refusal {
    @Override
    public String code() {
      return "bad_request";
    }

    @Override
    public String message() {
      return "this server answers from the serving store, which holds each subject's latest scores"
          + " only: ask for scores as of now, or replay history with credo score --as-of on the"
          + " embedded engine";
    }

    @Override
    public Kind kind() {
      return Kind.BAD_INPUT;
    }
  }

  /** Credo holds no record about the subject (told only to the subject and the operator). */
  record NothingHeld(SubjectId subject) implements ScoresOutcome, Refusal {
    @Override
    public String code() {
      return "unknown_subject";
    }

    @Override
    public String message() {
      return "Credo holds no records about this subject";
    }

    @Override
    public Kind kind() {
      return Kind.NOT_FOUND;
    }
  }

  /** No active policy (or not the one named) scores this kind of subject. */
  record NoActivePolicy(String message) implements ScoresOutcome, Refusal {
    @Override
    public String code() {
      return "no_active_policy";
    }

    @Override
    public Kind kind() {
      return Kind.BAD_INPUT;
    }
  }

  /** {@code asOf} or {@code knownAt} lies in the future. */
  record InTheFuture() implements ScoresOutcome, Refusal {
    @Override
    public String code() {
      return "bad_request";
    }

    @Override
    public String message() {
      return "asOf and knownAt cannot be in the future";
    }

    @Override
    public Kind kind() {
      return Kind.BAD_INPUT;
    }
  }
}
