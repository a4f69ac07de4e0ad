package org.credo.app.wire;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The JSON bodies the API accepts, one record each, bound by Jackson: a field not named here is
 * refused, a field of the wrong JSON type is refused, an absent field is null (whether it is
 * required is the route's to say). The API reference (docs/api.md) lists them with their routes.
 */
public final class RequestBodies {
  private RequestBodies() {}

  /** {@code POST /v1/decisions}. */
  public record DecisionRequest(String subject, String purpose, String policy) {}

  /** {@code POST /v1/disputes}. */
  public record DisputeRequest(String subject, String record, String statement) {}

  /** {@code POST /v1/disputes/{id}/resolution}; {@code attributes} for a correction. */
  public record ResolutionRequest(
      String outcome, String action, JsonNode attributes, String evidence, String reason) {}

  /** {@code POST /v1/disputes/{id}/recertification}. */
  public record RecertificationRequest(String evidence) {}

  /** {@code POST /v1/subjects/{subject}/repairs}. */
  public record RepairRequest(String list, String evidence) {}

  /** {@code POST /v1/repairs/{id}/decision}. */
  public record RepairDecisionRequest(Boolean granted, String reason) {}

  /** {@code POST /v1/sources/{source}/suspension}. */
  public record SuspensionRequest(String reason) {}

  /**
   * {@code POST /v1/policies}: the policy's YAML text, and the name its problems are reported under
   * (a file name; {@code policy} when absent); {@code withoutSimulation} to activate a text never
   * simulated (audited).
   */
  public record PolicyRequest(String name, String yaml, Boolean withoutSimulation) {}

  /**
   * {@code POST /v1/policies/simulate}: the candidate's YAML text and name as for {@link
   * PolicyRequest}; {@code against} a saved version ({@code ID@VERSION}) or a policy id (its active
   * version), default the candidate's active version; {@code asOf} an instant, default now.
   */
  public record SimulationRequest(String name, String yaml, String against, String asOf) {}

  /** {@code PUT /v1/subjects/{subject}/scoring}: {@code scored} or {@code score_free}. */
  public record ScoringModeRequest(String mode) {}

  /** {@code POST /v1/subjects/{subject}/consents}. */
  public record ConsentRequest(String party, String purpose, String until) {}

  /** {@code POST /v1/subjects/{subject}/certificates}; {@code claims} as the issuer reads them. */
  public record CertificateRequest(JsonNode claims, String policy, String validFor) {}
}
