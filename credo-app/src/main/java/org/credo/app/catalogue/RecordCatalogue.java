package org.credo.app.catalogue;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.credo.app.Caller;
import org.credo.audit.AuditEntry;
import org.credo.audit.AuditLog;
import org.credo.catalogue.Catalogue;
import org.credo.catalogue.CatalogueException;
import org.credo.catalogue.CatalogueReader;
import org.credo.engine.Engine;
import org.credo.policy.Policy;
import org.credo.policy.PolicyProblem;
import org.credo.policy.PolicyRef;
import org.credo.store.Catalogues;
import org.credo.store.Store;

/**
 * The record-type catalogue as versions: checking a file, activating it (who approved it and why go
 * to the audit log), the active one and the history. A catalogue that would leave an active policy
 * referencing a type or attribute it no longer allows is refused: activate the policy's new version
 * first.
 */
public final class RecordCatalogue {
  private final Engine engine;
  private final Store store;
  private final AuditLog audit;

  public RecordCatalogue(Engine engine, Store store, AuditLog audit) {
    this.engine = requireNonNull(engine, "engine is null");
    this.store = requireNonNull(store, "store is null");
    this.audit = requireNonNull(audit, "audit is null");
  }

  /** Reads and checks {@code yaml} against the active policies, without activating it. */
  public CatalogueOutcome check(String file, String yaml, Instant now) {
    Catalogue catalogue;
    try {
      catalogue = CatalogueReader.read(file, yaml);
    } catch (CatalogueException e) {
      return new CatalogueOutcome.Invalid(e.problems());
    }
    List<PolicyProblem> broken = policyProblems(catalogue, now);
    return broken.isEmpty()
        ? new CatalogueOutcome.Activated(catalogue)
        : new CatalogueOutcome.BreaksPolicies(broken);
  }

  /**
   * Checks {@code yaml} and makes it the active catalogue, approved by the caller for {@code
   * reason}.
   */
  public CatalogueOutcome activate(
      Caller caller, String file, String yaml, String reason, Instant at) {
    if (reason == null || reason.isBlank() || reason.length() > 500) {
      return new CatalogueOutcome.NoReason();
    }
    CatalogueOutcome checked = check(file, yaml, at);
    if (!(checked instanceof CatalogueOutcome.Activated ok)) {
      return checked;
    }
    Catalogue catalogue = ok.catalogue();
    if (store
        .catalogues()
        .text(catalogue.name(), catalogue.version())
        .filter(saved -> !saved.equals(yaml))
        .isPresent()) {
      return new CatalogueOutcome.VersionTaken(catalogue.label());
    }
    store.catalogues().activate(catalogue, yaml, caller.actor(), reason.strip(), at);
    audit.appendAndWait(
        new AuditEntry(
            at,
            caller.actor(),
            "catalogue.activate",
            null,
            "catalogue="
                + catalogue.name()
                + "@"
                + catalogue.version()
                + " types="
                + catalogue.entries().size()
                + " reason="
                + reason.strip()));
    return checked;
  }

  /** The active catalogue, with who approved it and why. */
  public Optional<Catalogues.Active> active() {
    return store.catalogues().active();
  }

  /** Every activation, oldest first. */
  public List<Catalogues.Activation> history() {
    return store.catalogues().history();
  }

  /** What the active policies use that {@code catalogue} does not allow. */
  private List<PolicyProblem> policyProblems(Catalogue catalogue, Instant now) {
    List<PolicyProblem> out = new ArrayList<>();
    for (Policy p : engine.activePolicies(now)) {
      PolicyRef ref = p.ref();
      String text = store.policies().text(ref).orElse("");
      out.addAll(catalogue.problems(p, ref.id() + "@" + ref.version(), text));
    }
    return out;
  }
}
