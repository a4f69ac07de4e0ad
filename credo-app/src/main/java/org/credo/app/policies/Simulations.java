package org.credo.app.policies;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.credo.app.Caller;
import org.credo.audit.AuditEntry;
import org.credo.audit.AuditLog;
import org.credo.engine.Engine;
import org.credo.engine.PopulationScores;
import org.credo.policy.Policy;
import org.credo.policy.PolicyException;
import org.credo.policy.PolicyRef;
import org.credo.store.Simulations.Saved;
import org.credo.store.Store;

/**
 * What-if before a policy change (SPEC §5, {@code credo policy simulate}): every subject held is
 * scored under the candidate and under the version it would replace (or a named one), and the
 * differences are counted — grades, scores, lists, each purpose's answers, reason codes, rules —
 * with a sample of itemized before/after diffs. The report is saved, its SHA-256 written to the
 * audit log, and an activation of the same text names it ({@link Policies#activate}).
 */
public final class Simulations {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Engine engine;
  private final Store store;
  private final AuditLog audit;
  private final org.credo.app.fairness.FairnessAudit fairness;

  public Simulations(
      Engine engine, Store store, AuditLog audit, org.credo.app.fairness.FairnessAudit fairness) {
    this.engine = requireNonNull(engine, "engine is null");
    this.store = requireNonNull(store, "store is null");
    this.audit = requireNonNull(audit, "audit is null");
    this.fairness = requireNonNull(fairness, "fairness is null");
  }

  /**
   * Simulates {@code yaml} (named {@code file} in problems).
   *
   * @param against {@code ID@VERSION} (a saved version) or {@code ID} (its version active now);
   *     empty: the version of the candidate's id active now, if any
   * @param asOf the instant both are scored at, as known then
   * @param now when the simulation is made (the active versions are those of now)
   */
  public SimulationOutcome simulate(
      Caller caller,
      String file,
      String yaml,
      Optional<String> against,
      Instant asOf,
      Instant now) {
    Policy candidate;
    try {
      candidate = engine.check(file, yaml);
    } catch (PolicyException e) {
      return new InvalidPolicy(e.problems());
    }
    Optional<Policy> before;
    if (against.isPresent()) {
      before = version(against.get(), now);
      if (before.isEmpty()) {
        return new SimulationOutcome.UnknownVersion(against.get());
      }
    } else {
      before =
          engine.activePolicies(now).stream()
              .filter(p -> p.id().equals(candidate.id()))
              .findFirst();
    }
    List<Policy> policies = new ArrayList<>();
    before.ifPresent(policies::add);
    policies.add(candidate);
    var counter = fairness.counter(policies, asOf);
    SimulationReport report =
        PopulationScores.rescore(
                engine,
                policies,
                asOf,
                () -> new SimulationTally(before, candidate, counter.get()),
                SimulationTally::add,
                SimulationTally::merge)
            .report(asOf.toString());
    String json;
    try {
      json = JSON.writeValueAsString(report);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a simulation report did not serialize", e);
    }
    String reportSha = sha256(json);
    String id = "sim-" + reportSha.substring(0, 12) + "-" + Long.toString(now.toEpochMilli(), 36);
    store
        .simulations()
        .save(
            new Saved(
                id,
                now,
                caller.actor(),
                candidate.ref(),
                sha256(yaml),
                before.map(SimulationTally::name),
                reportSha,
                json));
    audit.appendAndWait(
        new AuditEntry(
            now,
            caller.actor(),
            "policy.simulate",
            null,
            "policy="
                + SimulationTally.name(candidate)
                + " against="
                + before.map(SimulationTally::name).orElse("none")
                + " simulation="
                + id
                + " sha256="
                + reportSha));
    return new SimulationOutcome.Simulated(id, reportSha, report, json);
  }

  /** The latest simulation of exactly this policy text. */
  Optional<Saved> latestOf(String yaml) {
    return store.simulations().latestOfText(sha256(yaml));
  }

  private Optional<Policy> version(String against, Instant now) {
    int at = against.lastIndexOf('@');
    if (at < 0) {
      return engine.activePolicies(now).stream().filter(p -> p.id().equals(against)).findFirst();
    }
    int version;
    try {
      version = Integer.parseInt(against.substring(at + 1));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    PolicyRef ref;
    try {
      ref = new PolicyRef(against.substring(0, at), version);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    return store.policies().text(ref).isPresent()
        ? Optional.of(engine.policy(ref))
        : Optional.empty();
  }

  static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
