package org.credo.app.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import org.credo.lists.ListEntry;

/**
 * A red- or black-list entry as a score, a report and the lists' routes show it.
 *
 * @param inEffect whether the entry is in effect at the score's {@code asOf}
 * @param policy the policy that lists it, in a report; null elsewhere
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ListEntryWire(
    String list,
    String kind,
    boolean inEffect,
    String basis,
    String record,
    String noticeFrom,
    String effectiveFrom,
    String until,
    String policy) {

  public static ListEntryWire of(ListEntry e, Instant asOf) {
    return new ListEntryWire(
        e.list(),
        e.kind().word(),
        e.inEffectAt(asOf),
        e.basis(),
        e.recordKey().orElse(null),
        e.noticeFrom().toString(),
        e.effectiveFrom().toString(),
        e.until().map(Instant::toString).orElse(null),
        null);
  }

  /** The same entry, named with the policy that lists it (as a report shows it). */
  public ListEntryWire withPolicy(String policyId) {
    return new ListEntryWire(
        list, kind, inEffect, basis, record, noticeFrom, effectiveFrom, until, policyId);
  }
}
