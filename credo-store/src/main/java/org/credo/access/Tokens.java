package org.credo.access;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.credo.records.SourceId;
import org.credo.store.Jdbc;
import org.credo.store.Store;
import org.credo.subject.SubjectId;

/**
 * Bearer tokens. A token is {@code credo_} followed by 32 random bytes (base64url); only its
 * SHA-256 hash is stored, so a copy of the database lets nobody call the API. A salted slow hash
 * would add nothing for a secret of 256 random bits, and would cost a millisecond a request.
 *
 * <p>Validated tokens are remembered for {@code cacheFor} (10 s by default), so a revocation takes
 * effect within that time; expiry is checked on every request.
 */
public final class Tokens {
  /** A token just created: {@code secret} is shown once and never stored. */
  public record Issued(String id, String secret, Role role, Optional<String> scope) {}

  /** A stored token, without its secret. */
  public record Info(
      String id,
      Role role,
      Optional<String> scope,
      Instant created,
      Optional<Instant> expires,
      Optional<Instant> revoked) {}

  /** The result of presenting a token. */
  public sealed interface Check {}

  public record Valid(Principal principal) implements Check {}

  /** An unknown, expired or revoked token; {@code reason} says which, for the 401 message. */
  public record Invalid(String reason) implements Check {}

  private record Cached(Principal principal, Optional<Instant> expires, long loadedNanos) {}

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String PREFIX = "credo_";

  private final Jdbc db;
  private final Store store;
  private final long cacheNanos;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  public Tokens(Store store, Duration cacheFor) {
    this.store = requireNonNull(store, "store is null");
    this.db = new Jdbc(store.dataSource());
    this.cacheNanos = cacheFor.toNanos();
  }

  /**
   * Creates a token. A provider token is bound to a registered source, a relying-party token to a
   * registered party, a subject token to a subject (stored as its pseudonym); operator and auditor
   * tokens have no scope.
   *
   * @throws IllegalArgumentException with a one-line reason when the scope is missing, unexpected
   *     or unknown
   */
  public Issued create(Role role, Optional<String> scope, Optional<Instant> expires, Instant now) {
    requireNonNull(role, "role is null");
    Optional<String> stored =
        switch (role) {
          case OPERATOR, AUDITOR -> {
            if (scope.isPresent()) {
              throw new IllegalArgumentException(
                  "an " + role.word() + " token is not bound to a source, party or subject");
            }
            yield Optional.empty();
          }
          case PROVIDER -> {
            String s = scope.orElseThrow(() -> needs(role, "--source S"));
            SourceId source = SourceId.of(s);
            if (store.sources().get(source).isEmpty()) {
              throw new IllegalArgumentException(
                  "source '" + s + "' is not registered (credo source add " + s + " --types …)");
            }
            yield Optional.of(source.value());
          }
          case RELYING_PARTY -> {
            String p = scope.orElseThrow(() -> needs(role, "--party P"));
            if (new Parties(store.dataSource()).find(p).isEmpty()) {
              throw new IllegalArgumentException(
                  "party '" + p + "' is not registered (credo party add " + p + " --purposes …)");
            }
            yield Optional.of(p);
          }
          case SUBJECT -> {
            String s = scope.orElseThrow(() -> needs(role, "--subject S"));
            yield Optional.of(subjectScope(SubjectId.parse(s)));
          }
        };
    byte[] raw = new byte[32];
    RANDOM.nextBytes(raw);
    String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    byte[] idBytes = new byte[6];
    RANDOM.nextBytes(idBytes);
    String id = "tok-" + HexFormat.of().formatHex(idBytes);
    db.update(
        "INSERT INTO api_tokens (id, token_hash, role, scope, created_us, expires_us)"
            + " VALUES (?, ?, ?, ?, ?, ?)",
        id,
        hash(secret),
        role.word(),
        stored.orElse(null),
        Jdbc.micros(now),
        expires.map(Jdbc::micros).orElse(null));
    return new Issued(id, secret, role, stored);
  }

  private static IllegalArgumentException needs(Role role, String option) {
    return new IllegalArgumentException("a " + role.word() + " token needs " + option);
  }

  /** How a subject token's scope names its subject: the pseudonym key in hex. */
  public String subjectScope(SubjectId subject) {
    return HexFormat.of().formatHex(store.keys().pseudonym(subject));
  }

  /** Checks a presented token at {@code now}. */
  public Check check(String secret, Instant now) {
    if (secret == null || !secret.startsWith(PREFIX) || secret.length() > 100) {
      return new Invalid("the bearer token is not a Credo token");
    }
    String key = HexFormat.of().formatHex(hash(secret));
    long t = System.nanoTime();
    Cached c = cache.get(key);
    if (c == null || t - c.loadedNanos() > cacheNanos) {
      Optional<Cached> loaded =
          db.one(
              "SELECT id, role, scope, expires_us, revoked_us FROM api_tokens WHERE token_hash = ?",
              rs -> {
                Optional<Instant> expires = Jdbc.optionalInstant(rs, 4);
                Optional<Instant> revoked = Jdbc.optionalInstant(rs, 5);
                Principal p =
                    new Principal(
                        rs.getString(1),
                        Role.parse(rs.getString(2)),
                        Optional.ofNullable(rs.getString(3)));
                // a revoked token is cached as expired at its revocation
                return new Cached(p, revoked.isPresent() ? revoked : expires, t);
              },
              (Object) hash(secret));
      if (loaded.isEmpty()) {
        cache.remove(key);
        return new Invalid("the bearer token is unknown");
      }
      if (cache.size() > 100_000) {
        cache.clear();
      }
      c = loaded.get();
      cache.put(key, c);
    }
    if (c.expires().isPresent() && !now.isBefore(c.expires().get())) {
      return new Invalid("the bearer token has expired or was revoked");
    }
    return new Valid(c.principal());
  }

  /** Revokes a token by its id; true if it existed and was not yet revoked. */
  public boolean revoke(String id, Instant now) {
    boolean done =
        db.update(
                "UPDATE api_tokens SET revoked_us = ? WHERE id = ? AND revoked_us IS NULL",
                Jdbc.micros(now),
                id)
            > 0;
    cache.clear();
    return done;
  }

  /**
   * Forgets every checked token: the next presentation reads the store. A {@code
   * org.credo.engine.StoreFollower} calls it when another process changed the tokens (a {@code
   * credo token revoke}), so a revocation takes effect within its tick, not {@code cacheFor}.
   */
  public void forget() {
    cache.clear();
  }

  /** Every token, oldest first, without secrets. */
  public List<Info> list() {
    return db.query(
        "SELECT id, role, scope, created_us, expires_us, revoked_us FROM api_tokens"
            + " ORDER BY created_us, id",
        rs ->
            new Info(
                rs.getString(1),
                Role.parse(rs.getString(2)),
                Optional.ofNullable(rs.getString(3)),
                Jdbc.instant(rs.getLong(4)),
                Jdbc.optionalInstant(rs, 5),
                Jdbc.optionalInstant(rs, 6)));
  }

  static byte[] hash(String secret) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
