package org.credo.app.lists;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.credo.app.Refusal;
import org.credo.lists.ListEntry;
import org.credo.lists.ListKind;
import org.credo.policy.PolicyRef;
import org.credo.subject.SubjectId;

/** What {@link Lists#view} answers: a list's entries the caller may see, or why not. */
public sealed interface ListOutcome {

  /**
   * The entries the caller may see.
   *
   * @param full whether the caller sees every entry (operators, auditors) or a public red list's
   *     opted-in subjects only
   */
  record Listed(
      String list,
      ListKind kind,
      PolicyRef policy,
      boolean publicList,
      boolean full,
      Instant asOf,
      List<Entry> entries)
      implements ListOutcome {
    public Listed {
      requireNonNull(list, "list is null");
      entries = List.copyOf(entries);
    }
  }

  /**
   * One entry: the subject's pseudonym (hex) for full views, its identifier when it opted in to be
   * published.
   */
  record Entry(ListEntry entry, Optional<String> subjectRef, Optional<SubjectId> subject) {}

  /** No active policy (or not the one named) defines the list. */
  record UnknownList(String message) implements ListOutcome, Refusal {
    @Override
    public String code() {
      return "unknown_list";
    }

    @Override
    public Kind kind() {
      return Kind.NOT_FOUND;
    }
  }

  /**
   * The list is not public and the caller is no operator or auditor (a caller without a token is
   * told to send one).
   */
  record NotPublic(String list, boolean anonymous) implements ListOutcome, Refusal {
    @Override
    public String code() {
      return "forbidden_role";
    }

    @Override
    public String message() {
      return "only operators and auditors see list '" + list + "'";
    }

    @Override
    public Kind kind() {
      return Kind.FORBIDDEN;
    }
  }
}
