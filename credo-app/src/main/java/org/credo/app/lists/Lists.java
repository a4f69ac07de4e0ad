package org.credo.app.lists;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.credo.access.Role;
import org.credo.app.Caller;
import org.credo.audit.AuditEntry;
import org.credo.audit.AuditLog;
import org.credo.disputes.DisputeException;
import org.credo.engine.Engine;
import org.credo.lists.ListEntry;
import org.credo.lists.ListKind;
import org.credo.policy.ListDefinition;
import org.credo.policy.Policy;
import org.credo.repairs.Repair;
import org.credo.repairs.Repairs;
import org.credo.store.Keys;
import org.credo.store.ListPublications;
import org.credo.subject.SubjectId;

/**
 * Red and black lists as every door offers them: a list's entries (in full for operators and
 * auditors; a public red list's opted-in subjects for anyone), a subject's choice to appear on a
 * public red list, and repairs — a subject's application to end a black-list entry whose basis is
 * remedied, and the operator's decision. Each change is written to the audit log before it is
 * answered.
 */
public final class Lists {
  /** The states a repair application can be in. */
  public static final Set<String> REPAIR_STATES = Set.of("open", "granted", "refused");

  private final Engine engine;
  private final ListPublications publications;
  private final Repairs repairs;
  private final AuditLog audit;
  private final Keys keys;

  public Lists(
      Engine engine, ListPublications publications, Repairs repairs, AuditLog audit, Keys keys) {
    this.engine = requireNonNull(engine, "engine is null");
    this.publications = requireNonNull(publications, "publications is null");
    this.repairs = requireNonNull(repairs, "repairs is null");
    this.audit = requireNonNull(audit, "audit is null");
    this.keys = requireNonNull(keys, "keys is null");
  }

  /**
   * The entries of {@code name} (under the first active policy defining it, or the one named) that
   * {@code caller} may see; a caller without a token ({@code empty}) sees public red lists only.
   */
  public ListOutcome view(
      Optional<Caller> caller, String name, Optional<String> policyId, Instant now) {
    Policy policy = null;
    ListDefinition def = null;
    for (Policy candidate : engine.activePolicies(now)) {
      ListDefinition d = candidate.lists().get(name);
      if (d != null && (policyId.isEmpty() || policyId.get().equals(candidate.id()))) {
        policy = candidate;
        def = d;
        break;
      }
    }
    if (policy == null) {
      return new ListOutcome.UnknownList(
          "no active policy"
              + policyId.map(x -> " " + x).orElse("")
              + " defines a list '"
              + name
              + "'");
    }
    boolean full =
        caller.isPresent()
            && (caller.get().role() == Role.OPERATOR || caller.get().role() == Role.AUDITOR);
    boolean publicList = def.isPublic() && def.kind() == ListKind.RED;
    if (!full && !publicList) {
      return new ListOutcome.NotPublic(name, caller.isEmpty());
    }
    Map<String, SubjectId> optedIn = publicList ? publications.optedIn(name) : Map.of();
    List<ListOutcome.Entry> entries = new ArrayList<>();
    for (Engine.ListMember m : engine.listMembers(policy, name, now, def.notice())) {
      String hex = HexFormat.of().formatHex(m.subjectKey());
      if (!full && !optedIn.containsKey(hex)) {
        continue; // published only for subjects who opted in
      }
      for (ListEntry e : m.entries()) {
        entries.add(
            new ListOutcome.Entry(
                e,
                full ? Optional.of(hex) : Optional.empty(),
                Optional.ofNullable(optedIn.get(hex))));
      }
    }
    if (caller.isPresent()) {
      log(caller.get(), "list.read", null, name + " entries=" + entries.size(), now);
    }
    return new ListOutcome.Listed(name, def.kind(), policy.ref(), publicList, full, now, entries);
  }

  /** What {@link #publish} answers. */
  public sealed interface PublicationOutcome {
    /** The subject now appears (or no longer appears) on the list. */
    record Published(String list, boolean published) implements PublicationOutcome {}

    /** No active policy has a public red list of that name. */
    record NotAPublicList(String list) implements PublicationOutcome, org.credo.app.Refusal {
      @Override
      public String code() {
        return "unknown_list";
      }

      @Override
      public String message() {
        return "'" + list + "' is not a public red list of any active policy";
      }

      @Override
      public Kind kind() {
        return Kind.NOT_FOUND;
      }
    }
  }

  /** The subject's choice to appear ({@code optIn}) on a public red list, or to withdraw. */
  public PublicationOutcome publish(
      Caller caller, SubjectId subject, String list, boolean optIn, Instant now) {
    boolean known =
        engine.activePolicies(now).stream()
            .map(x -> x.lists().get(list))
            .anyMatch(d -> d != null && d.isPublic() && d.kind() == ListKind.RED);
    if (!known) {
      return new PublicationOutcome.NotAPublicList(list);
    }
    publications.set(subject, list, optIn, now);
    log(caller, optIn ? "list.publish" : "list.unpublish", keys.pseudonym(subject), list, now);
    return new PublicationOutcome.Published(list, optIn);
  }

  /** Applies, with evidence, to end a black-list entry of {@code subject} on {@code list}. */
  public RepairOutcome applyForRepair(
      Caller caller, SubjectId subject, String list, String evidence, Instant now) {
    return step(
        () -> repairs.apply(subject, list, evidence, caller.actor(), now),
        r -> log(caller, "repair.apply", keys.pseudonym(subject), r.id() + " " + r.list(), now));
  }

  /** The operator grants or refuses a repair application before its deadline. */
  public RepairOutcome decideRepair(
      Caller caller, String id, boolean granted, String reason, Instant now) {
    return step(
        () -> repairs.decide(id, granted, reason, caller.actor(), now),
        r ->
            log(
                caller,
                "repair.decide",
                repairs.subjectKeyOf(id).orElse(null),
                r.id() + " " + r.state(),
                now));
  }

  /**
   * Grants the repair applications the operator did not decide by their deadline (a server does
   * this on its schedule); audited when there were any.
   *
   * @return how many were granted
   */
  public int expireRepairs(Caller caller, Instant now) {
    int n = repairs.expireDue(now);
    if (n > 0) {
      log(caller, "repair.expire", null, "granted=" + n, now);
    }
    return n;
  }

  /**
   * Repair applications, earliest deadline first.
   *
   * @param state one of {@link #REPAIR_STATES}, checked by the caller
   */
  public List<Repair> repairQueue(Optional<String> state, int limit) {
    state.ifPresent(
        s -> {
          if (!REPAIR_STATES.contains(s)) {
            throw new IllegalArgumentException("'state' is open, granted or refused");
          }
        });
    return repairs.queue(state, limit);
  }

  /** A subject's repair applications. */
  public List<Repair> repairsOf(SubjectId subject) {
    return repairs.forSubject(subject);
  }

  private RepairOutcome step(Supplier<Repair> work, java.util.function.Consumer<Repair> logged) {
    Repair r;
    try {
      r = work.get();
    } catch (DisputeException e) {
      return RepairOutcome.Refused.of(e);
    }
    logged.accept(r);
    return new RepairOutcome.Done(r);
  }

  private void log(Caller caller, String action, byte[] subjectKey, String detail, Instant now) {
    audit.appendAndWait(new AuditEntry(now, caller.actor(), action, subjectKey, detail));
  }
}
