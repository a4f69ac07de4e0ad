package org.credo.app;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import org.credo.access.Principal;
import org.credo.access.Role;
import org.credo.records.SourceId;

/**
 * Who is asking a use case: a role, the scope it is bound to (a provider's source, a subject's
 * pseudonym in hex, a relying party's registration) and how the audit log names it. The server
 * makes one from a token; the CLI acts as the operator.
 *
 * @param actor the audit log's name for the caller, e.g. {@code provider:tok-…} or {@code cli}
 */
public record Caller(Role role, Optional<String> scope, String actor) {
  public Caller {
    requireNonNull(role, "role is null");
    requireNonNull(scope, "scope is null");
    requireNonNull(actor, "actor is null");
  }

  /** The caller a token stands for; the log names it {@code role:tokenId}. */
  public static Caller of(Principal p) {
    return new Caller(p.role(), p.scope(), p.role().word() + ":" + p.tokenId());
  }

  /** The operator at the command line (or any door without tokens). */
  public static Caller operator(String actor) {
    return new Caller(Role.OPERATOR, Optional.empty(), actor);
  }

  /** The source a provider acts as; empty for every other role. */
  public Optional<SourceId> source() {
    return role == Role.PROVIDER ? scope.map(SourceId::of) : Optional.empty();
  }
}
