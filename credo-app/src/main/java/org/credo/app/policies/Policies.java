package org.credo.app.policies;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.credo.app.Caller;
import org.credo.audit.AuditEntry;
import org.credo.audit.AuditLog;
import org.credo.engine.Engine;
import org.credo.engine.PurposeConflictException;
import org.credo.policy.Policy;
import org.credo.policy.PolicyException;
import org.credo.store.Activation;
import org.credo.store.Store;

/**
 * Scoring policies as versions: activating a checked file as a new version (earlier versions stay
 * saved, so past decisions replay exactly), the activation history, and what is active now and
 * since when. An activation is written to the audit log; running servers on the same store follow
 * it within their next look at the store.
 */
public final class Policies {
  private final Engine engine;
  private final Store store;
  private final AuditLog audit;
  private final Simulations simulations;

  public Policies(Engine engine, Store store, AuditLog audit) {
    this.engine = requireNonNull(engine, "engine is null");
    this.store = requireNonNull(store, "store is null");
    this.audit = requireNonNull(audit, "audit is null");
    this.simulations =
        new Simulations(
            engine, store, audit, new org.credo.app.fairness.FairnessAudit(engine, store, audit));
  }

  /** What-if reports of candidate policies, which activations rest on. */
  public Simulations simulations() {
    return simulations;
  }

  /**
   * Checks {@code yaml} (named {@code file} in problems), saves it as a new version, activates it.
   * Once the store holds records, an activation rests on a simulation of exactly this text ({@link
   * Simulations}), which it names in the audit log; without one it is refused unless {@code
   * withoutSimulation}, which the audit log says too.
   */
  public PolicyOutcome activate(
      Caller caller, String file, String yaml, Instant at, boolean withoutSimulation) {
    Optional<String> simulation = simulations.latestOf(yaml).map(s -> s.id());
    Policy policy;
    try {
      // Versions are immutable, so that the past replays: other text under a saved version is
      // refused before anything is written.
      var ref = engine.checkActivation(file, yaml, at).ref();
      if (store.policies().text(ref).filter(saved -> !saved.equals(yaml)).isPresent()) {
        return new PolicyOutcome.VersionTaken(ref);
      }
      if (simulation.isEmpty() && !withoutSimulation && store.lastSeq() > 0) {
        return new PolicyOutcome.SimulationRequired(file);
      }
      policy = engine.activate(file, yaml, at);
    } catch (PolicyException e) {
      return new InvalidPolicy(e.problems());
    } catch (PurposeConflictException e) {
      return new PolicyOutcome.PurposeConflict(e.getMessage());
    }
    audit.appendAndWait(
        new AuditEntry(
            at,
            caller.actor(),
            "policy.activate",
            null,
            "policy="
                + policy.ref().id()
                + "@"
                + policy.ref().version()
                + simulation.map(id -> " simulation=" + id).orElse(" without_simulation")));
    return new PolicyOutcome.Activated(policy, simulation);
  }

  /** One activation, with the version's title and whether it is active now. */
  public record Entry(Activation activation, String title, boolean active) {}

  /** Every activation, oldest first. */
  public List<Entry> history(Instant now) {
    var active = store.policies().activeAt(now);
    List<Entry> out = new ArrayList<>();
    for (Activation a : store.policies().activations()) {
      out.add(new Entry(a, engine.policy(a.policy()).title(), active.contains(a.policy())));
    }
    return out;
  }

  /** A policy active now, and since when its version has been. */
  public record Active(Policy policy, Optional<Instant> since) {}

  /** The policies active at {@code now}. */
  public List<Active> active(Instant now) {
    List<Activation> history = store.policies().activations();
    List<Active> out = new ArrayList<>();
    for (Policy policy : engine.activePolicies(now)) {
      Optional<Instant> since =
          history.stream()
              .filter(a -> a.policy().equals(policy.ref()) && !a.at().isAfter(now))
              .map(Activation::at)
              .max(Instant::compareTo);
      out.add(new Active(policy, since));
    }
    return out;
  }
}
