package org.credo.server;

import io.javalin.security.RouteRole;
import java.util.Optional;
import org.credo.access.Role;

/** The roles a route declares: the token roles, and {@link #ANYONE} for open routes. */
public enum ApiRole implements RouteRole {
  ANYONE(null),
  OPERATOR(Role.OPERATOR),
  PROVIDER(Role.PROVIDER),
  RELYING_PARTY(Role.RELYING_PARTY),
  SUBJECT(Role.SUBJECT),
  AUDITOR(Role.AUDITOR);

  private final Role role;

  ApiRole(Role role) {
    this.role = role;
  }

  /** The token role, empty for {@link #ANYONE}. */
  public Optional<Role> role() {
    return Optional.ofNullable(role);
  }

  public static ApiRole of(Role role) {
    return valueOf(role.name());
  }
}
