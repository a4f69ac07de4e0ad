package org.credo.app.access;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.credo.access.Parties;
import org.credo.access.Party;
import org.credo.access.Role;
import org.credo.access.Tokens;
import org.credo.app.Caller;
import org.credo.app.Refusal;
import org.credo.audit.AuditEntry;
import org.credo.audit.AuditLog;
import org.credo.engine.Engine;
import org.credo.policy.Policy;
import org.credo.policy.Purpose;
import org.credo.store.Keys;
import org.credo.subject.SubjectId;

/**
 * Who may use the API: relying parties and the purposes each may ask about, and tokens — created
 * for a role and its scope (a provider's source, a relying party, a subject), shown once, stored
 * hashed, revocable. Each change is written to the audit log; a subject's token names its subject
 * there by pseudonym only.
 */
public final class Access {
  private final Tokens tokens;
  private final Parties parties;
  private final Engine engine;
  private final AuditLog audit;
  private final Keys keys;

  public Access(Tokens tokens, Parties parties, Engine engine, AuditLog audit, Keys keys) {
    this.tokens = requireNonNull(tokens, "tokens is null");
    this.parties = requireNonNull(parties, "parties is null");
    this.engine = requireNonNull(engine, "engine is null");
    this.audit = requireNonNull(audit, "audit is null");
    this.keys = requireNonNull(keys, "keys is null");
  }

  /**
   * Registers a relying party, or changes the purposes it may ask about.
   *
   * @return the purposes no active policy declares yet (the party may ask, but gets no answer until
   *     one does)
   */
  public Set<Purpose> addParty(Caller caller, Party party, Instant now) {
    parties.put(party);
    log(
        caller,
        "party.add",
        null,
        "party="
            + party.id()
            + " purposes="
            + party.sortedPurposes().stream().map(Purpose::name).collect(Collectors.joining(",")),
        now);
    Set<Purpose> declared =
        engine.activePolicies(now).stream()
            .flatMap((Policy p) -> p.purposes().keySet().stream())
            .collect(Collectors.toSet());
    return party.sortedPurposes().stream()
        .filter(p -> !declared.contains(p))
        .collect(Collectors.toCollection(java.util.LinkedHashSet::new));
  }

  /** The registered relying parties. */
  public List<Party> parties() {
    return parties.list();
  }

  /** What {@link #createToken} answers. */
  public sealed interface TokenOutcome {
    /** The token; its secret is shown this once and only its hash is kept. */
    record Created(Tokens.Issued token) implements TokenOutcome {}

    /**
     * The scope does not fit the role, or names a source or party not registered (bad input, like
     * any malformed request; tokens are created at the command line only).
     */
    record BadScope(String message) implements TokenOutcome, Refusal {
      @Override
      public String code() {
        return "bad_request";
      }

      @Override
      public Kind kind() {
        return Kind.BAD_INPUT;
      }
    }
  }

  /** Creates a token for {@code role}, bound to {@code scope} as the role requires. */
  public TokenOutcome createToken(
      Caller caller, Role role, Optional<String> scope, Optional<Instant> expires, Instant now) {
    Tokens.Issued issued;
    try {
      issued = tokens.create(role, scope, expires, now);
    } catch (IllegalArgumentException e) {
      return new TokenOutcome.BadScope(e.getMessage());
    }
    // A subject token names its subject by pseudonym only; other scopes are not personal.
    log(
        caller,
        "token.create",
        role == Role.SUBJECT ? keys.pseudonym(SubjectId.parse(scope.orElseThrow())) : null,
        "token="
            + issued.id()
            + " role="
            + role.word()
            + (role == Role.SUBJECT ? "" : issued.scope().map(x -> " scope=" + x).orElse("")),
        now);
    return new TokenOutcome.Created(issued);
  }

  /** Every token (never a secret), oldest first. */
  public List<Tokens.Info> tokens() {
    return tokens.list();
  }

  /**
   * Revokes a token; servers on the store refuse it within seconds.
   *
   * @return false when there is no active token of that id
   */
  public boolean revokeToken(Caller caller, String id, Instant now) {
    if (!tokens.revoke(id, now)) {
      return false;
    }
    log(caller, "token.revoke", null, "token=" + id, now);
    return true;
  }

  private void log(Caller caller, String action, byte[] subjectKey, String detail, Instant now) {
    audit.appendAndWait(new AuditEntry(now, caller.actor(), action, subjectKey, detail));
  }
}
