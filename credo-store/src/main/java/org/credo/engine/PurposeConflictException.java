package org.credo.engine;

import static java.util.Objects.requireNonNull;

import org.credo.policy.PolicyRef;
import org.credo.policy.Purpose;

/**
 * An activation refused because a purpose the policy declares is already declared by another active
 * policy (another policy id). A purpose name answers to one policy at a time, so a relying party's
 * question always has one answer. Nothing is saved when this is thrown.
 */
public final class PurposeConflictException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient Purpose purpose;
  private final transient PolicyRef declaredBy;

  public PurposeConflictException(Purpose purpose, PolicyRef declaredBy) {
    super(
        "purpose '"
            + purpose.name()
            + "' is already declared by active policy "
            + declaredBy
            + "; rename it, or first activate a version of "
            + declaredBy.id()
            + " without it");
    this.purpose = requireNonNull(purpose, "purpose is null");
    this.declaredBy = requireNonNull(declaredBy, "declaredBy is null");
  }

  /** The purpose declared twice. */
  public Purpose purpose() {
    return purpose;
  }

  /** The active policy that already declares it. */
  public PolicyRef declaredBy() {
    return declaredBy;
  }
}
