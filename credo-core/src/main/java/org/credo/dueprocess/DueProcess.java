package org.credo.dueprocess;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.credo.lists.ListEntry;
import org.credo.lists.ListKind;
import org.credo.policy.Policy;
import org.credo.records.Record;
import org.credo.records.RecordType;
import org.credo.records.SourceId;
import org.credo.scoring.ChangePoints;
import org.credo.scoring.Score;
import org.credo.scoring.Scorer;
import org.credo.subject.SubjectId;

/**
 * Due process on list entries, the one rule every path to a score applies after the policy made its
 * entries, as Credo knew things at {@code knownAt} (so a replay sees what the decision saw):
 *
 * <ul>
 *   <li>A black-list entry whose basis record the subject disputed during the notice period does
 *       not take effect until the dispute is settled: answered (an upheld answer withdraws or
 *       corrects the record, so the entry goes with it) or, while open, until its deadline (at
 *       which the record is suppressed if still unanswered).
 *   <li>A black-list entry ends when a repair of it is granted.
 * </ul>
 *
 * <p>The facts come from two places that must agree. The embedded engine keeps them in its disputes
 * and repairs tables. A streaming deployment receives them as <em>marks</em>: records of the
 * reserved source {@value Record#RESERVED_SOURCE} that the dispute desk writes on {@code
 * credo.records} beside the records themselves — {@code dispute:ID:opened}, {@code
 * dispute:ID:answered}, {@code repair:ID:granted} (and a dispute's suppression, {@code
 * dispute:ID:suppressed}, which settles it too). A mark is not evidence about the subject: {@link
 * #score} keeps marks away from the policy and turns them into {@link Hold}s and {@link Grant}s.
 */
public final class DueProcess {
  /** The reserved type of a dispute's opening mark. */
  public static final String OPENED = "credo.dispute_opened";

  /** The reserved type of a dispute's answer mark. */
  public static final String ANSWERED = "credo.dispute_answered";

  /** The reserved type of a repair's grant mark. */
  public static final String GRANTED = "credo.repair_granted";

  private DueProcess() {}

  /**
   * A dispute as list due process sees it: opened on {@code record} ({@code source/id}), due by
   * {@code deadline}, answered (or expired) at {@code answered}.
   */
  public record Hold(String record, Instant opened, Instant deadline, Optional<Instant> answered) {
    public Hold {
      requireNonNull(record, "record is null");
      requireNonNull(opened, "opened is null");
      requireNonNull(deadline, "deadline is null");
      requireNonNull(answered, "answered is null");
    }
  }

  /**
   * A granted repair: the entry on {@code list} resting on record {@code basis} ends at {@code at}.
   */
  public record Grant(String list, String basis, Instant at, String id) {
    public Grant {
      requireNonNull(list, "list is null");
      requireNonNull(basis, "basis is null");
      requireNonNull(at, "at is null");
      requireNonNull(id, "id is null");
    }
  }

  /** A subject's records split into the policy's evidence and the due process marks' facts. */
  public record Facts(List<Record> records, List<Hold> holds, List<Grant> grants) {}

  /**
   * The entries as due process leaves them at {@code knownAt}: held while disputed, ended by a
   * repair. Entries no hold or grant concerns are returned as they are.
   */
  public static List<ListEntry> review(
      List<ListEntry> entries, List<Hold> holds, List<Grant> grants, Instant knownAt) {
    if (holds.isEmpty() && grants.isEmpty()) {
      return entries;
    }
    // In one order whatever the facts' source (tables or marks), so bases read alike.
    holds =
        holds.stream()
            .sorted(
                java.util.Comparator.comparing(Hold::opened)
                    .thenComparing(Hold::record)
                    .thenComparing(Hold::deadline))
            .toList();
    grants =
        grants.stream()
            .sorted(java.util.Comparator.comparing(Grant::at).thenComparing(Grant::id))
            .toList();
    List<ListEntry> out = new ArrayList<>(entries.size());
    for (ListEntry e : entries) {
      if (e.kind() != ListKind.BLACK || e.recordKey().isEmpty()) {
        out.add(e);
        continue;
      }
      String basis = e.basis();
      Instant effective = e.effectiveFrom();
      Optional<Instant> until = e.until();
      for (Hold h : holds) {
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
      for (Grant g : grants) {
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

  /** {@code score} with its list entries reviewed. */
  public static Score reviewed(Score score, List<Hold> holds, List<Grant> grants, Instant knownAt) {
    if (score.lists().isEmpty() || (holds.isEmpty() && grants.isEmpty())) {
      return score;
    }
    return score.withLists(review(score.lists(), holds, grants, knownAt));
  }

  /**
   * Scores a subject's records — marks among them — under {@code policy}: the marks are kept from
   * the policy and their holds and grants reviewed into the list entries. What the streaming job
   * does with what it holds; the embedded engine reaches the same answer from its tables.
   */
  public static Score score(
      Policy policy, SubjectId subject, Collection<Record> records, Instant asOf, Instant knownAt) {
    Facts facts = facts(records);
    return reviewed(
        Scorer.score(policy, subject, facts.records(), asOf, knownAt),
        facts.holds(),
        facts.grants(),
        knownAt);
  }

  /** True for a due process mark (not for a suppression, which is a retraction like any other). */
  public static boolean isMark(Record r) {
    return r.source().value().equals(Record.RESERVED_SOURCE)
        && (r.type().value().equals(OPENED)
            || r.type().value().equals(ANSWERED)
            || r.type().value().equals(GRANTED));
  }

  /** Splits records into evidence and the facts their marks carry. */
  public static Facts facts(Collection<Record> all) {
    List<Record> records = new ArrayList<>(all.size());
    Map<String, Record> opened = new HashMap<>();
    Map<String, Instant> settled = new HashMap<>();
    List<Grant> grants = new ArrayList<>(0);
    for (Record r : all) {
      if (!r.source().value().equals(Record.RESERVED_SOURCE)) {
        records.add(r);
        continue;
      }
      String type = r.type().value();
      if (type.equals(OPENED)) {
        opened.put(markedId(r), r);
      } else if (type.equals(ANSWERED)) {
        settled.merge(markedId(r), r.learned(), (a, b) -> a.isBefore(b) ? a : b);
      } else if (type.equals(GRANTED)) {
        grants.add(
            new Grant(
                (String) r.attributes().get("list"),
                (String) r.attributes().get("record"),
                r.learned(),
                markedId(r)));
      } else {
        records.add(r); // a suppression: evidence that the record no longer counts
        if (r.id().startsWith("dispute:") && r.id().endsWith(":suppressed")) {
          settled.merge(markedId(r), r.learned(), (a, b) -> a.isBefore(b) ? a : b);
        }
      }
    }
    if (opened.isEmpty() && grants.isEmpty()) {
      return new Facts(records, List.of(), List.of());
    }
    List<Hold> holds = new ArrayList<>(opened.size());
    opened.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            e -> {
              Record r = e.getValue();
              holds.add(
                  new Hold(
                      (String) r.attributes().get("record"),
                      r.learned(),
                      Instant.parse((String) r.attributes().get("deadline")),
                      Optional.ofNullable(settled.get(e.getKey()))));
            });
    grants.sort(java.util.Comparator.comparing(Grant::id));
    return new Facts(records, List.copyOf(holds), List.copyOf(grants));
  }

  /**
   * The instants, in epoch milliseconds, at which the marks among {@code records} change a score
   * although nothing new is learned then: each open dispute's deadline.
   */
  public static long[] changePoints(Collection<Record> records) {
    return records.stream()
        .filter(r -> r.type().value().equals(OPENED) && isMark(r))
        .mapToLong(
            r -> ChangePoints.ceilMillis(Instant.parse((String) r.attributes().get("deadline"))))
        .sorted()
        .toArray();
  }

  /**
   * The mark of dispute {@code id}, opened at {@code at} on the subject's record {@code record}
   * ({@code source/id}), due by {@code deadline}.
   */
  public static Record opened(
      String id, SubjectId subject, String record, Instant at, Instant deadline) {
    return mark(
        "dispute:" + id + ":opened",
        OPENED,
        subject,
        at,
        Map.of("record", record, "deadline", deadline.toString()));
  }

  /** The mark of dispute {@code id} answered at {@code at}. */
  public static Record answered(String id, SubjectId subject, Instant at) {
    return mark("dispute:" + id + ":answered", ANSWERED, subject, at, Map.of());
  }

  /**
   * The mark of repair {@code id}, granted at {@code at}, of the entry on {@code list} that rests
   * on record {@code record}.
   */
  public static Record granted(
      String id, SubjectId subject, String record, String list, Instant at) {
    return mark(
        "repair:" + id + ":granted", GRANTED, subject, at, Map.of("record", record, "list", list));
  }

  /** A mark occurs and is learned at once: the instant of the step it records. */
  private static Record mark(
      String id, String type, SubjectId subject, Instant at, Map<String, Object> attributes) {
    return new Record(
        SourceId.of(Record.RESERVED_SOURCE),
        id,
        subject,
        RecordType.of(type),
        at,
        at,
        attributes,
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  /**
   * Why a record of the reserved source is refused at intake, if it is: a mark must have its
   * reserved type, its id's form and its attributes; any other record of that source must be a
   * dispute's suppression that retracts the disputed record. Only the dispute desk writes them.
   */
  public static Optional<String> refusal(Record r) {
    if (!r.source().value().equals(Record.RESERVED_SOURCE)) {
      return Optional.empty();
    }
    String type = r.type().value();
    String[] id = r.id().split(":", -1);
    boolean dispute = id.length == 3 && id[0].equals("dispute") && !id[1].isEmpty();
    boolean repair = id.length == 3 && id[0].equals("repair") && !id[1].isEmpty();
    if (!isMark(r)) {
      if (dispute && id[2].equals("suppressed") && r.retracts().isPresent()) {
        return Optional.empty();
      }
      return Optional.of(
          "source '"
              + Record.RESERVED_SOURCE
              + "' is Credo's own: only the dispute desk's marks and suppressions may use it");
    }
    boolean shaped =
        switch (type) {
          case OPENED ->
              dispute
                  && id[2].equals("opened")
                  && r.attributes().keySet().equals(java.util.Set.of("record", "deadline"))
                  && r.attributes().get("deadline") instanceof String d
                  && parses(d);
          case ANSWERED -> dispute && id[2].equals("answered") && r.attributes().isEmpty();
          default ->
              repair
                  && id[2].equals("granted")
                  && r.attributes().keySet().equals(java.util.Set.of("record", "list"))
                  && r.attributes().get("list") instanceof String;
        };
    boolean names =
        type.equals(ANSWERED)
            || r.attributes().get("record") instanceof String s && s.contains("/");
    if (!shaped || !names || r.supersedes().isPresent() || r.retracts().isPresent()) {
      return Optional.of(
          "a "
              + type
              + " mark must have the id and attributes the dispute desk writes (see"
              + " docs/scale.md, Disputes)");
    }
    return Optional.empty();
  }

  private static boolean parses(String instant) {
    try {
      Instant.parse(instant);
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  private static String markedId(Record r) {
    String id = r.id();
    int first = id.indexOf(':');
    int last = id.lastIndexOf(':');
    return first < 0 || last <= first ? id : id.substring(first + 1, last);
  }
}
