package org.credo.app.catalogue;

import java.util.List;
import org.credo.app.Refusal;
import org.credo.catalogue.Catalogue;
import org.credo.policy.PolicyProblem;

/** What activating a catalogue came to. */
public sealed interface CatalogueOutcome {
  /** Activated: from now on intake and policies are checked against it. */
  record Activated(Catalogue catalogue) implements CatalogueOutcome {}

  /** The file does not load: every problem at its line and column. */
  record Invalid(List<PolicyProblem> problems) implements CatalogueOutcome, Refusal {
    @Override
    public String code() {
      return "invalid_catalogue";
    }

    @Override
    public String message() {
      return problems.size() + " problem(s): " + problems.get(0);
    }

    @Override
    public Kind kind() {
      return Kind.BAD_INPUT;
    }
  }

  /** Another text is saved under the same name and version. */
  record VersionTaken(String label) implements CatalogueOutcome, Refusal {
    @Override
    public String code() {
      return "version_taken";
    }

    @Override
    public String message() {
      return "catalogue "
          + label
          + " is already saved with other content: give the new text a new version";
    }

    @Override
    public Kind kind() {
      return Kind.CONFLICT;
    }
  }

  /** An active policy references what the catalogue would no longer allow. */
  record BreaksPolicies(List<PolicyProblem> problems) implements CatalogueOutcome, Refusal {
    @Override
    public String code() {
      return "catalogue_breaks_policies";
    }

    @Override
    public String message() {
      return "an active policy uses what this catalogue does not allow: " + problems.get(0);
    }

    @Override
    public Kind kind() {
      return Kind.CONFLICT;
    }
  }

  /** Activation needs a reason (who approved it and why goes to the audit log). */
  record NoReason() implements CatalogueOutcome, Refusal {
    @Override
    public String code() {
      return "bad_request";
    }

    @Override
    public String message() {
      return "say why the catalogue is activated (a reason of 1 to 500 characters)";
    }

    @Override
    public Kind kind() {
      return Kind.BAD_INPUT;
    }
  }
}
