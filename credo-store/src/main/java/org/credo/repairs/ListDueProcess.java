package org.credo.repairs;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.credo.disputes.Disputes;
import org.credo.engine.Engine;
import org.credo.lists.ListEntry;
import org.credo.lists.ListKind;

/**
 * Due process on list entries, applied to every score the engine gives, as Credo knew things at
 * {@code knownAt} (so a replay sees what the decision saw):
 *
 * <ul>
 *   <li>A black-list entry whose basis record the subject disputed during the notice period does
 *       not take effect until the dispute is settled: answered (an upheld answer withdraws or
 *       corrects the record, so the entry goes with it) or, while open, until its deadline (at
 *       which the record is suppressed if still unanswered).
 *   <li>A black-list entry ends when a repair of it is granted.
 * </ul>
 */
public final class ListDueProcess implements Engine.ListReview {
  private final Disputes disputes;
  private final Repairs repairs;

  public ListDueProcess(Disputes disputes, Repairs repairs) {
    this.disputes = requireNonNull(disputes, "disputes is null");
    this.repairs = requireNonNull(repairs, "repairs is null");
  }

  /**
   * Sets up disputes and repairs over {@code engine} and makes every score it gives pass through
   * their list due process: what the server, the CLI and a replay must all do alike.
   */
  public static ListDueProcess install(Engine engine, java.time.Duration repairDeadline) {
    ListDueProcess review =
        new ListDueProcess(new Disputes(engine), new Repairs(engine, repairDeadline));
    engine.listReview(review);
    return review;
  }

  public Disputes disputes() {
    return disputes;
  }

  public Repairs repairs() {
    return repairs;
  }

  @Override
  public List<ListEntry> review(byte[] subjectKey, List<ListEntry> entries, Instant knownAt) {
    List<Disputes.Hold> holds = disputes.holds(subjectKey);
    List<Repairs.Grant> grants = repairs.grants(subjectKey);
    if (holds.isEmpty() && grants.isEmpty()) {
      return entries;
    }
    List<ListEntry> out = new ArrayList<>(entries.size());
    for (ListEntry e : entries) {
      if (e.kind() != ListKind.BLACK || e.recordKey().isEmpty()) {
        out.add(e);
        continue;
      }
      String basis = e.basis();
      Instant effective = e.effectiveFrom();
      Optional<Instant> until = e.until();
      for (Disputes.Hold h : holds) {
        if (h.record().equals(e.recordKey().get())
            && !h.opened().isAfter(knownAt)
            && !h.opened().isBefore(e.noticeFrom())
            && h.opened().isBefore(e.effectiveFrom())) {
          Instant settled = h.answered().filter(a -> !a.isAfter(knownAt)).orElse(h.deadline());
          if (settled.isAfter(effective)) {
            effective = settled;
            basis = basis + "; held while disputed";
          }
        }
      }
      for (Repairs.Grant g : grants) {
        if (g.list().equals(e.list())
            && g.basis().equals(e.recordKey().get())
            && !g.at().isAfter(knownAt)
            && (until.isEmpty() || g.at().isBefore(until.get()))) {
          until = Optional.of(g.at());
          basis = basis + "; ended by repair " + g.id();
        }
      }
      if (until.isPresent() && until.get().isBefore(effective)) {
        effective = until.get();
      }
      out.add(
          new ListEntry(
              e.list(), e.kind(), basis, e.recordKey(), e.noticeFrom(), effective, until));
    }
    return out;
  }
}
