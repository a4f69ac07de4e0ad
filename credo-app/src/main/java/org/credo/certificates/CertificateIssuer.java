package org.credo.certificates;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.credo.engine.Engine;
import org.credo.policy.Policy;
import org.credo.policy.PolicyRef;
import org.credo.scoring.Score;
import org.credo.signing.SigningKey;
import org.credo.subject.SubjectId;

/**
 * Issues certificates: checks each claim the subject chose against its current scores and signs
 * only those claims — never the score or anything else.
 */
public final class CertificateIssuer {
  /** What an issue request came to. */
  public sealed interface Outcome {}

  public record Issued(ObjectNode document) implements Outcome {}

  /** A claim does not hold now: nothing is signed. */
  public record NotHeld(String claim) implements Outcome, org.credo.app.Refusal {
    @Override
    public String code() {
      return "claim_not_held";
    }

    @Override
    public String message() {
      return "the claim '" + claim + "' does not hold now: nothing was signed";
    }

    @Override
    public Kind kind() {
      return Kind.CONFLICT;
    }
  }

  /** Credo holds no record about the subject. */
  public record UnknownSubject() implements Outcome, org.credo.app.Refusal {
    @Override
    public String code() {
      return "unknown_subject";
    }

    @Override
    public String message() {
      return "Credo holds no records about this subject";
    }

    @Override
    public Kind kind() {
      return Kind.NOT_FOUND;
    }
  }

  private final Engine engine;
  private final SigningKey key;
  private final Duration defaultValidity;
  private final Duration maxValidity;

  public CertificateIssuer(
      Engine engine, SigningKey key, Duration defaultValidity, Duration maxValidity) {
    this.engine = requireNonNull(engine, "engine is null");
    this.key = requireNonNull(key, "key is null");
    this.defaultValidity = requireNonNull(defaultValidity, "defaultValidity is null");
    this.maxValidity = requireNonNull(maxValidity, "maxValidity is null");
  }

  /**
   * Parses the claims of a request: a JSON array of 1 to 10 claim texts.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static List<Claim> parseClaims(JsonNode claims) {
    if (claims == null || !claims.isArray() || claims.isEmpty() || claims.size() > 10) {
      throw new IllegalArgumentException(
          "'claims' must be an array of 1 to 10 claims, e.g. [\"grade >= A\"]");
    }
    Set<String> seen = new LinkedHashSet<>();
    List<Claim> out = new ArrayList<>();
    for (JsonNode c : claims) {
      if (!c.isTextual()) {
        throw new IllegalArgumentException("each claim is a string, e.g. \"score >= 650\"");
      }
      Claim claim = Claim.parse(c.asText());
      if (seen.add(claim.text())) {
        out.add(claim);
      }
    }
    return out;
  }

  /**
   * Issues a certificate of {@code claims} about {@code subject} at {@code now}.
   *
   * @param policyId the policy that grade and score claims refer to; needed only when several
   *     active policies score the subject
   * @param validFor how long the certificate is valid; the default if empty
   * @throws IllegalArgumentException for a bad policy, validity or claim
   */
  public Outcome issue(
      SubjectId subject,
      List<Claim> claims,
      Optional<String> policyId,
      Optional<Duration> validFor,
      Instant now) {
    Duration validity = validFor.orElse(defaultValidity);
    if (validity.isNegative() || validity.isZero() || validity.compareTo(maxValidity) > 0) {
      throw new IllegalArgumentException(
          "'validFor' must be above zero and at most " + maxValidity + ", not " + validity);
    }
    List<Score> all = engine.scores(subject, now, now);
    if (all.stream().allMatch(s -> s.contributions().isEmpty())
        && engine.records(subject).isEmpty()) {
      return new UnknownSubject();
    }
    Policy policy = null;
    Score score = null;
    if (claims.stream().anyMatch(Claim::needsPolicy)) {
      List<Policy> scoring =
          engine.activePolicies(now).stream()
              .filter(p -> p.subjects().contains(subject.kind()))
              .toList();
      if (policyId.isPresent()) {
        policy =
            scoring.stream()
                .filter(p -> p.id().equals(policyId.get()))
                .findFirst()
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            "policy '"
                                + policyId.get()
                                + "' is not active for this subject (active: "
                                + scoring.stream().map(Policy::id).toList()
                                + ")"));
      } else if (scoring.size() == 1) {
        policy = scoring.get(0);
      } else {
        throw new IllegalArgumentException(
            "grade and score claims need 'policy': the subject is scored under "
                + scoring.stream().map(Policy::id).toList());
      }
      for (Claim c : claims) {
        if (c.needsPolicy()) {
          c.checkAgainst(policy);
        }
      }
      PolicyRef ref = policy.ref();
      score = all.stream().filter(s -> s.policy().equals(ref)).findFirst().orElseThrow();
      if (!score.hasNumber()) {
        // Unscorable or score-free: a certificate can state list claims only.
        return new NotHeld(
            claims.stream().filter(Claim::needsPolicy).findFirst().orElseThrow().text()
                + " (no score: "
                + score.noScore().get().reason()
                + "; only list claims can be certified)");
      }
    } else if (policyId.isPresent()) {
      throw new IllegalArgumentException("'policy' is only for grade and score claims");
    }
    for (Claim c : claims) {
      if (!c.holds(policy, score, all)) {
        return new NotHeld(c.text());
      }
    }
    return new Issued(
        Certificates.sign(
            key,
            subject,
            claims.stream().map(Claim::text).toList(),
            Optional.ofNullable(policy).map(Policy::ref),
            now,
            now.plus(validity)));
  }
}
