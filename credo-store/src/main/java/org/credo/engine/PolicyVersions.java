package org.credo.engine;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.credo.policy.Policy;
import org.credo.policy.PolicyException;
import org.credo.policy.PolicyLoader;
import org.credo.policy.PolicyRef;
import org.credo.store.Store;
import org.credo.store.StoreException;

/**
 * Which policy versions are active when, for an {@link Engine}: activation with its one rule (a
 * purpose belongs to one active policy), the activation history read once and forgotten when
 * another process may have changed it, and each stored version compiled once (a saved version's
 * text never changes).
 */
final class PolicyVersions {
  private final Store store;
  private final Map<PolicyRef, Policy> compiled = new ConcurrentHashMap<>();

  PolicyVersions(Store store) {
    this.store = requireNonNull(store, "store is null");
  }

  /**
   * Loads and checks a policy, saves its text as a new version and makes it active.
   *
   * <p>A purpose name belongs to one active policy: a purpose this policy declares must not be
   * declared by another policy id active at {@code at} or activated later. A new version of the
   * same policy id replaces that id's purposes, so it never conflicts with its own predecessor.
   *
   * @throws PolicyException when the policy does not load; nothing is saved then
   * @throws PurposeConflictException when a purpose is already declared by another active policy;
   *     nothing is saved then
   */
  Policy activate(String file, String yaml, Instant at) throws PolicyException {
    Policy policy = check(file, yaml);
    checkPurposes(policy, at);
    store.policies().save(policy.ref(), yaml, at);
    store.policies().activate(policy.ref(), at);
    compiled.put(policy.ref(), policy);
    forget();
    return policy;
  }

  /**
   * Refuses a policy that declares a purpose another policy active at {@code at} (or activated
   * later) declares: one purpose, one policy.
   *
   * @throws PurposeConflictException naming the purpose and the other policy
   */
  void checkPurposes(Policy policy, Instant at) {
    Set<PolicyRef> others = new java.util.LinkedHashSet<>();
    for (Policy active : activePolicies(at)) {
      others.add(active.ref());
    }
    for (org.credo.store.Activation later : store.policies().activations()) {
      if (later.at().isAfter(at)) {
        others.add(later.policy());
      }
    }
    for (PolicyRef other : others) {
      if (other.id().equals(policy.id())) {
        continue;
      }
      Set<org.credo.policy.Purpose> declared = policy(other).purposes().keySet();
      for (org.credo.policy.Purpose purpose : new java.util.TreeSet<>(policy.purposes().keySet())) {
        if (declared.contains(purpose)) {
          throw new PurposeConflictException(purpose, other);
        }
      }
    }
  }

  /**
   * Loads a policy as an activation would, without saving anything: only catalogued types, their
   * declared attributes, for no longer than their retention; names pass the firewall less the
   * active catalogue's exemptions.
   *
   * @throws PolicyException with every problem, each with its place
   */
  Policy check(String file, String yaml) throws PolicyException {
    var catalogue = store.catalogues().active();
    Policy policy = PolicyLoader.load(file, yaml, firewall(catalogue));
    if (catalogue.isPresent()) {
      List<org.credo.policy.PolicyProblem> problems =
          catalogue.get().catalogue().problems(policy, file, yaml);
      if (!problems.isEmpty()) {
        throw new PolicyException(problems);
      }
    }
    return policy;
  }

  /** The policies active at {@code at}, one per policy id. */
  List<Policy> activePolicies(Instant at) {
    List<org.credo.store.Activation> history = activations;
    if (history == null) {
      history = store.policies().activations();
      activations = history;
    }
    // Most questions are about now: from the last activation on, the answer is always the same.
    Current now = current;
    if (now != null && now.history == history && !at.isBefore(now.since)) {
      return now.policies;
    }
    Map<String, PolicyRef> active = new java.util.TreeMap<>();
    for (org.credo.store.Activation a : history) {
      if (!a.at().isAfter(at)) {
        active.put(a.policy().id(), a.policy());
      }
    }
    List<Policy> out = new ArrayList<>(active.size());
    for (PolicyRef ref : active.values()) {
      out.add(policy(ref));
    }
    Instant last = Instant.MIN;
    for (org.credo.store.Activation a : history) {
      if (a.at().isAfter(last)) {
        last = a.at();
      }
    }
    if (!at.isBefore(last)) {
      current = new Current(history, last, List.copyOf(out));
    }
    return out;
  }

  /** The policies active from {@code since} on, as computed from {@code history}. */
  private record Current(
      List<org.credo.store.Activation> history, Instant since, List<Policy> policies) {}

  private volatile Current current;

  /**
   * The activation history, read once: this engine activates policies itself, and forgets what it
   * read when it does.
   */
  private volatile List<org.credo.store.Activation> activations;

  /** A stored policy version, compiled. */
  Policy policy(PolicyRef ref) {
    return compiled.computeIfAbsent(
        ref,
        r -> {
          String yaml =
              store
                  .policies()
                  .text(r)
                  .orElseThrow(() -> new StoreException("policy " + r + " is not saved"));
          try {
            return PolicyLoader.load(r.toString(), yaml, firewall(store.catalogues().active()));
          } catch (PolicyException e) {
            throw new StoreException(
                "stored policy " + r + " no longer loads: " + e.getMessage(), e);
          }
        });
  }

  private static org.credo.firewall.Firewall firewall(
      java.util.Optional<org.credo.store.Catalogues.Active> catalogue) {
    return catalogue
        .map(c -> c.catalogue().firewall())
        .orElseGet(org.credo.firewall.Firewall::strict);
  }

  /**
   * Forgets the activation history read from the store, so that the next question reads it again:
   * another process (a {@code credo policy activate}) may have activated a policy. Compiled
   * versions are kept: a saved version's text never changes.
   */
  void forget() {
    activations = null;
    current = null;
  }
}
