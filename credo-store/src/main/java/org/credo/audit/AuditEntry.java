package org.credo.audit;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Arrays;

/**
 * One event for the audit log: who did what, when, about which subject.
 *
 * @param at when it happened (kept to the microsecond)
 * @param actor who acted: {@code role:tokenId} for an API token, {@code cli:user} for a command
 * @param action what was done, a short dotted word such as {@code decision} or {@code import.batch}
 * @param subjectKey the subject's 16-byte pseudonym ({@code Keys.pseudonym}), or null when the
 *     event is about no single subject; never a raw identifier
 * @param detail counts, ids and outcomes; must never hold a raw subject identifier or a name (at
 *     most 100 000 characters; actor and action at most 1 000)
 */
public record AuditEntry(
    Instant at, String actor, String action, byte[] subjectKey, String detail) {
  public AuditEntry {
    requireNonNull(at, "at is null");
    requireNonNull(actor, "actor is null");
    requireNonNull(action, "action is null");
    requireNonNull(detail, "detail is null");
    if (actor.isBlank() || action.isBlank()) {
      throw new IllegalArgumentException("an audit entry needs an actor and an action");
    }
    // Checked here, so one bad entry is refused at append instead of failing its whole group.
    if (actor.length() > 1000 || action.length() > 1000 || detail.length() > 100_000) {
      throw new IllegalArgumentException("an audit entry's actor, action or detail is too long");
    }
    if (subjectKey != null && subjectKey.length > 64) {
      throw new IllegalArgumentException("a subject key has at most 64 bytes");
    }
    subjectKey = subjectKey == null ? null : subjectKey.clone();
  }

  @Override
  public byte[] subjectKey() {
    return subjectKey == null ? null : subjectKey.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AuditEntry e
        && at.equals(e.at)
        && actor.equals(e.actor)
        && action.equals(e.action)
        && Arrays.equals(subjectKey, e.subjectKey)
        && detail.equals(e.detail);
  }

  @Override
  public int hashCode() {
    return (at.hashCode() * 31 + actor.hashCode()) * 31 + Arrays.hashCode(subjectKey);
  }

  @Override
  public String toString() {
    return at + " " + actor + " " + action + " " + detail;
  }
}
