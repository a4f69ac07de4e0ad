package org.credo.app.fairness;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.credo.app.Caller;
import org.credo.audit.AuditEntry;
import org.credo.audit.AuditLog;
import org.credo.engine.Engine;
import org.credo.engine.PopulationScores;
import org.credo.policy.Policy;
import org.credo.store.Store;
import org.credo.store.fairness.FairnessVault;

/**
 * The fairness audit (SPEC §4.9): every subject scored under the active policies (or one), its
 * scores and each purpose's answers counted by age band, sex and region — attributes read here and
 * nowhere else, from the segregated {@link FairnessVault} — with selection rates, adverse-impact
 * ratios against the most favoured group (four-fifths flag), a significance test, and the rules
 * that drive a gap. Every report is written to the audit log: reading the attributes is itself a
 * read of special-category data.
 */
public final class FairnessAudit {
  private final Engine engine;
  private final Store store;
  private final AuditLog audit;

  public FairnessAudit(Engine engine, Store store, AuditLog audit) {
    this.engine = requireNonNull(engine, "engine is null");
    this.store = requireNonNull(store, "store is null");
    this.audit = requireNonNull(audit, "audit is null");
  }

  /**
   * Fresh fairness counts for a rescoring under {@code policies} (in the order its scores come in),
   * ages counted at {@code at}: the attributes are read once, here.
   */
  public java.util.function.Supplier<PopulationFairness> counter(
      List<Policy> policies, Instant at) {
    var attributes = new FairnessVault(store).all();
    var date = at.atZone(ZoneOffset.UTC).toLocalDate();
    List<Policy> chosen = List.copyOf(policies);
    return () -> new PopulationFairness(new FairnessTally(chosen, attributes, date));
  }

  /**
   * @param policy an active policy's id; empty: every active policy
   * @param at the instant subjects are scored at, as known then (ages are counted at it too)
   * @param now when the report is made (the active policies are those of now)
   */
  public FairnessOutcome report(Caller caller, Optional<String> policy, Instant at, Instant now) {
    List<Policy> policies = engine.activePolicies(now);
    if (policy.isPresent()) {
      policies = policies.stream().filter(p -> p.id().equals(policy.get())).toList();
      if (policies.isEmpty()) {
        return new FairnessOutcome.NoActivePolicy(policy.get());
      }
    }
    var attributes = new FairnessVault(store).all();
    List<Policy> chosen = policies;
    var date = at.atZone(ZoneOffset.UTC).toLocalDate();
    FairnessReport report =
        PopulationScores.rescore(
                engine,
                chosen,
                at,
                () -> new FairnessTally(chosen, attributes, date),
                FairnessTally::add,
                FairnessTally::merge)
            .report(at.toString());
    audit.appendAndWait(
        new AuditEntry(
            now,
            caller.actor(),
            "fairness.report",
            null,
            "policies="
                + String.join(",", chosen.stream().map(p -> p.ref().id()).toList())
                + " subjects="
                + report.subjects()
                + " with_attributes="
                + report.withAttributes()));
    return new FairnessOutcome.Reported(report);
  }
}
