package org.credo.ingest;

/**
 * What an import did. Every line has one outcome: accepted, duplicate, conflict or rejected.
 *
 * @param lines data lines read (blank and comment lines excluded)
 * @param accepted records stored now (including the superseding and retracting ones)
 * @param duplicate records already stored under the same (source, id) with the same content: left
 *     as they were
 * @param superseding of the accepted, corrections of an earlier record
 * @param retracting of the accepted, retractions of an earlier record
 * @param rejected lines refused, each reported with its number and reason
 * @param conflicts records whose (source, id) is already stored (or earlier in the input) with
 *     other content: refused, and reported with the rejected lines ({@link Reject#conflict})
 */
public record ImportSummary(
    long lines,
    long accepted,
    long duplicate,
    long superseding,
    long retracting,
    long rejected,
    long conflicts) {

  /** A summary with no conflict. */
  public ImportSummary(
      long lines, long accepted, long duplicate, long superseding, long retracting, long rejected) {
    this(lines, accepted, duplicate, superseding, retracting, rejected, 0);
  }

  /** Whether every line was stored now or was stored already: nothing refused, no conflict. */
  public boolean clean() {
    return rejected == 0 && conflicts == 0;
  }

  @Override
  public String toString() {
    return String.format(
        java.util.Locale.ROOT,
        "%d lines: %d accepted (%d superseding, %d retracting), %d duplicate, %d conflict%s, %d"
            + " rejected",
        lines,
        accepted,
        superseding,
        retracting,
        duplicate,
        conflicts,
        conflicts == 1 ? "" : "s",
        rejected);
  }
}
