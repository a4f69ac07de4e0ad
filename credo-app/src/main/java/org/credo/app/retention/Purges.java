package org.credo.app.retention;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.credo.app.Caller;
import org.credo.audit.AuditEntry;
import org.credo.audit.AuditLog;
import org.credo.engine.Engine;
import org.credo.retention.Retention;

/**
 * Data is not kept forever: records past their rule's expiry and a grace period are deleted, by the
 * server once a day and by {@code credo purge} on demand. A purge that deleted something is written
 * to the audit log — that it happened and how much, never what.
 */
public final class Purges {
  private final Retention retention;
  private final AuditLog audit;
  private final Duration defaultGrace;

  public Purges(Engine engine, AuditLog audit, Duration defaultGrace) {
    this.retention = new Retention(requireNonNull(engine, "engine is null"));
    this.audit = requireNonNull(audit, "audit is null");
    this.defaultGrace = requireNonNull(defaultGrace, "defaultGrace is null");
  }

  /**
   * Purges (or, {@code dryRun}, counts) the records past expiry and {@code grace} (the configured
   * grace when empty).
   *
   * @throws IllegalArgumentException when {@code grace} is negative
   */
  public Retention.Purge purge(
      Caller caller, Instant now, Optional<Duration> grace, boolean dryRun) {
    Duration g = grace.orElse(defaultGrace);
    if (g.isNegative()) {
      throw new IllegalArgumentException("the grace period must not be negative");
    }
    Retention.Purge p = retention.purge(now, g, dryRun);
    if (!dryRun && p.purged() > 0) {
      audit.appendAndWait(
          new AuditEntry(
              now,
              caller.actor(),
              "retention.purge",
              null,
              "purged=" + p.purged() + " " + p.byType()));
    }
    return p;
  }
}
