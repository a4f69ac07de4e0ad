package org.credo.repairs;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import org.credo.disputes.Disputes;
import org.credo.dueprocess.DueProcess;
import org.credo.engine.Engine;
import org.credo.lists.ListEntry;

/**
 * The engine's list due process: every score it gives passes through {@link DueProcess#review},
 * with the holds of this store's disputes and the grants of its repairs (a streaming deployment
 * reads the same facts from the dispute desk's marks on {@code credo.records}).
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
    return DueProcess.review(
        entries, disputes.holds(subjectKey), repairs.grants(subjectKey), knownAt);
  }
}
