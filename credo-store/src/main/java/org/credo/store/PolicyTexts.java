package org.credo.store;

import static java.util.Objects.requireNonNull;
import static org.credo.store.Jdbc.instant;
import static org.credo.store.Jdbc.micros;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.credo.policy.PolicyRef;

/**
 * The saved policy versions' texts (table {@code policies}) and their activations ({@code
 * policy_activations}), as {@link Store#policies()} gives them. A version's text never changes, so
 * that the past replays exactly.
 */
public final class PolicyTexts {
  private final Jdbc jdbc;

  PolicyTexts(Jdbc jdbc) {
    this.jdbc = requireNonNull(jdbc, "jdbc is null");
  }

  /**
   * Saves a policy version's text. Saving the same text again changes nothing; a different text
   * under a saved version is refused: versions are immutable so that the past can be replayed.
   */
  public void save(PolicyRef ref, String yaml, Instant at) {
    Optional<String> existing = text(ref);
    if (existing.isPresent()) {
      if (!existing.get().equals(yaml)) {
        throw new StoreException(
            "policy "
                + ref
                + " is already saved with other content: give the new text a new version");
      }
      return;
    }
    jdbc.update(
        "INSERT INTO policies (policy_id, version, yaml, saved_us) VALUES (?, ?, ?, ?)",
        ref.id(),
        ref.version(),
        yaml,
        micros(at));
  }

  /** A saved version's text. */
  public Optional<String> text(PolicyRef ref) {
    return jdbc.one(
        "SELECT yaml FROM policies WHERE policy_id = ? AND version = ?",
        rs -> rs.getString(1),
        ref.id(),
        ref.version());
  }

  /** Makes a saved policy version the active one of its policy id from {@code at} on. */
  public void activate(PolicyRef ref, Instant at) {
    if (text(ref).isEmpty()) {
      throw new StoreException("policy " + ref + " is not saved");
    }
    jdbc.update(
        "INSERT INTO policy_activations (policy_id, version, activated_us) VALUES (?, ?, ?)",
        ref.id(),
        ref.version(),
        micros(at));
  }

  /** Every activation, oldest first. */
  public List<Activation> activations() {
    return jdbc.query(
        "SELECT policy_id, version, activated_us FROM policy_activations ORDER BY seq",
        rs -> new Activation(new PolicyRef(rs.getString(1), rs.getInt(2)), instant(rs.getLong(3))));
  }

  /** For each policy id, the version active at {@code at} (its latest activation by then). */
  public List<PolicyRef> activeAt(Instant at) {
    Map<String, PolicyRef> active = new TreeMap<>();
    for (Activation a : activations()) {
      if (!a.at().isAfter(at)) {
        active.put(a.policy().id(), a.policy());
      }
    }
    return List.copyOf(active.values());
  }
}
