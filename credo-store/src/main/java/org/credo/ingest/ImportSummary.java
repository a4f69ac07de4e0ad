package org.credo.ingest;

/**
 * What an import did.
 *
 * @param lines data lines read (blank and comment lines excluded)
 * @param accepted records stored now (including the superseding and retracting ones)
 * @param duplicate records already stored under the same (source, id): left as they were
 * @param superseding of the accepted, corrections of an earlier record
 * @param retracting of the accepted, retractions of an earlier record
 * @param rejected lines refused, each reported with its number and reason
 */
public record ImportSummary(
    long lines, long accepted, long duplicate, long superseding, long retracting, long rejected) {

  @Override
  public String toString() {
    return String.format(
        java.util.Locale.ROOT,
        "%d lines: %d accepted (%d superseding, %d retracting), %d duplicate, %d rejected",
        lines,
        accepted,
        superseding,
        retracting,
        duplicate,
        rejected);
  }
}
