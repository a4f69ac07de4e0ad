package org.credo.flink;

import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

/** How the equivalence tests run the job, and the instants they compare every subject at. */
final class Runs {
  /** How often policies that read a record's age (bureau-style's history length) rescore. */
  static final long CADENCE = 180L * 86_400_000L;

  /** The last instant a timer is set for: every record of the population is learned by then. */
  static final Instant UNTIL = onSchedule("2027-06-01");

  /** Instants on that schedule, where every subject's score is compared. */
  static final List<Instant> INSTANTS =
      Stream.concat(
              Stream.of("2022-06-01", "2024-01-01", "2025-07-15", "2026-11-01")
                  .map(Runs::onSchedule),
              Stream.of(UNTIL))
          .toList();

  /** No subject is forgotten during a run, so that every instant can be compared. */
  static final SubjectScoring.Settings SETTINGS =
      new SubjectScoring.Settings(CADENCE, UNTIL.toEpochMilli(), Long.MAX_VALUE);

  private Runs() {}

  static Instant onSchedule(String day) {
    return Instant.ofEpochMilli(
        Instant.parse(day + "T00:00:00Z").toEpochMilli() / CADENCE * CADENCE);
  }
}
