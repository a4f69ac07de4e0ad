package org.credo.disputes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.credo.engine.Engine;
import org.credo.store.Keys;
import org.credo.store.Store;

/**
 * Another process on a store, for {@link DisputesAcrossProcessesTest}: opens the store, prints
 * {@code READY}, waits for the go file, then expires the due disputes or answers (withdraws) every
 * open one at the given instant, and prints {@code DONE n conflicts} — n disputes it closed, and
 * how many it found closed meanwhile. Anything else thrown ends it with exit code 1.
 *
 * <p>Arguments: {@code FOLDER|JDBC-URL KEYS-FOLDER expire|answer INSTANT GO-FILE}.
 */
public final class DisputeChild {
  private DisputeChild() {}

  public static void main(String[] args) throws Exception {
    String where = args[0];
    Store store =
        where.startsWith("jdbc:")
            ? Store.openPostgres(where, "postgres", null, Keys.inFolder(Path.of(args[1]), false))
            : Store.openFolder(Path.of(where), false);
    try (store) {
      Disputes disputes = new Disputes(new Engine(store));
      String mode = args[2];
      Instant now = Instant.parse(args[3]);
      Path go = Path.of(args[4]);
      // The work to do is read before the start, as a scheduler's tick or a busy server has it.
      List<String> open =
          disputes.queue(Optional.of(DisputeState.OPEN), Optional.empty(), 100_000).stream()
              .map(Dispute::id)
              .toList();
      System.out.println("READY");
      System.out.flush();
      while (!Files.exists(go)) {
        Thread.onSpinWait();
      }
      int[] done = mode.equals("expire") ? expire(disputes, now) : answer(disputes, open, now);
      System.out.println("DONE " + done[0] + " " + done[1]);
      System.out.flush();
    } catch (Throwable e) {
      e.printStackTrace();
      System.exit(1);
    }
  }

  static int[] expire(Disputes disputes, Instant now) {
    return new int[] {disputes.expireDue(now), 0};
  }

  /** Withdraws every dispute of {@code ids}; one found closed meanwhile is a conflict. */
  static int[] answer(Disputes disputes, List<String> ids, Instant now) {
    int answered = 0;
    int conflicts = 0;
    for (String id : ids) {
      try {
        disputes.answer(
            id,
            new Disputes.Answer.Withdraw(Optional.empty()),
            Optional.empty(),
            "operator:t",
            now);
        answered++;
      } catch (DisputeException e) {
        if (e.kind() != DisputeException.Kind.CONFLICT) {
          throw e;
        }
        conflicts++;
      }
    }
    return new int[] {answered, conflicts};
  }
}
