package org.credo.disputes;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A subject's challenge of one record.
 *
 * @param record the disputed record's key, {@code source/id}
 * @param answeredBy who answered or re-certified ({@code source:ID} or {@code operator:TOKEN})
 * @param reason a rejection's reason, or what an upheld answer did
 * @param result the record Credo wrote as the outcome (a correction, withdrawal, suppression or
 *     re-certification), as {@code source/id}
 * @param history every state change, oldest first
 */
public record Dispute(
    String id,
    String record,
    String source,
    String statement,
    DisputeState state,
    Instant opened,
    Instant deadline,
    Optional<Instant> answered,
    Optional<String> answeredBy,
    Optional<String> reason,
    Optional<String> result,
    List<Event> history) {

  /** One state change. */
  public record Event(Instant at, DisputeState state, String actor, Optional<String> note) {}

  /** True while the source has not answered and the deadline has passed. */
  public boolean overdue(Instant now) {
    return state == DisputeState.OPEN && !now.isBefore(deadline);
  }
}
