package org.credo.access;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * The holder of a valid token: its role and, for providers, relying parties and subjects, what it
 * is bound to — a source id, a party id, or a subject's pseudonym key (hex), never the subject's
 * identifier itself.
 */
public record Principal(String tokenId, Role role, Optional<String> scope) {
  public Principal {
    requireNonNull(tokenId, "tokenId is null");
    requireNonNull(role, "role is null");
    requireNonNull(scope, "scope is null");
  }

  /** A short text for logs and metrics that names no subject. */
  public String describe() {
    return role.word() + (role == Role.SUBJECT ? "" : scope.map(s -> ":" + s).orElse(""));
  }
}
