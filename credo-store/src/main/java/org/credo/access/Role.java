package org.credo.access;

import java.util.Locale;

/**
 * Who holds a token. Each role may be bound to a scope: a provider to its source, a relying party
 * to its registration, a subject to itself.
 */
public enum Role {
  OPERATOR,
  PROVIDER,
  RELYING_PARTY,
  SUBJECT,
  AUDITOR;

  /** The role's name on the wire and on the command line, e.g. {@code relying_party}. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses {@code operator}, {@code provider}, {@code relying_party}, {@code subject} or {@code
   * auditor}.
   */
  public static Role parse(String word) {
    for (Role r : values()) {
      if (r.word().equals(word)) {
        return r;
      }
    }
    throw new IllegalArgumentException(
        "role '" + word + "' is not one of operator, provider, relying_party, subject, auditor");
  }
}
