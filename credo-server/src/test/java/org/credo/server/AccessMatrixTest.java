package org.credo.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.credo.access.Role;
import org.credo.store.Store;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Walks every endpoint with every role, and with no token, and checks who gets in. */
class AccessMatrixTest {
  @TempDir static Path dir;
  static Fixture f;

  @BeforeAll
  static void start() throws Exception {
    f = new Fixture(Store.openFolder(dir, true), dir, Fixture.config(dir));
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  static String concretePath(String template) {
    return template
            .replace("{subject}", Fixture.GOOD)
            .replace("{id}", "con-0000000000000000")
            .replace("{source}", "city-utilities")
            .replace("{name}", "honour-roll")
            .replace("{list}", "honour-roll")
        + (template.endsWith("/replay") ? "?subject=" + Fixture.GOOD : "");
  }

  static String body(String method, String template) {
    if (!method.equals("POST")) {
      return null;
    }
    return switch (template) {
      case "/v1/records" ->
          "[{\"id\":\"m-1\",\"subject\":\""
              + Fixture.GOOD
              + "\",\"type\":\"court.repayment_liability\",\"occurred\":\"2026-06-01\"}]";
      case "/v1/decisions" -> Fixture.decision(Fixture.GOOD, "air_travel");
      case "/v1/subjects/{subject}/consents" ->
          "{\"party\":\"airline\",\"purpose\":\"air_travel\"," + "\"until\":\"2027-01-01\"}";
      case "/v1/subjects/{subject}/certificates" -> "{\"claims\":[\"not on any black list\"]}";
      default -> "{}";
    };
  }

  @Test
  void everyEndpointLetsInExactlyItsRoles() {
    Map<String, Set<ApiRole>> table = f.server.routeRoles();
    assertThat(table).hasSizeGreaterThanOrEqualTo(16);
    List<String> checked = new ArrayList<>();
    for (var route : table.entrySet()) {
      String method = route.getKey().split(" ", 2)[0];
      String template = route.getKey().split(" ", 2)[1];
      String path = concretePath(template);
      Set<ApiRole> allowed = route.getValue();
      boolean open = allowed.contains(ApiRole.ANYONE);

      Api.Response anonymous = f.api.send(method, path, null, body(method, template));
      if (open) {
        assertThat(anonymous.status()).as(route.getKey()).isNotIn(401, 403);
      } else {
        anonymous.error(401, "unauthenticated");
        assertThat(anonymous.raw().headers().firstValue("WWW-Authenticate")).isPresent();
      }
      for (Role role : Role.values()) {
        Api.Response r = f.api.send(method, path, f.tokenByRole.get(role), body(method, template));
        String what = route.getKey() + " as " + role.word() + ": " + r.body();
        if (open || allowed.contains(ApiRole.of(role))) {
          assertThat(r.status()).as(what).isNotEqualTo(401);
          if (r.status() == 403) {
            JsonNode error = r.json();
            assertThat(error.get("error").asText()).as(what).isNotEqualTo("forbidden_role");
          }
          assertThat(r.status()).as(what).isLessThan(500);
        } else {
          r.error(403, "forbidden_role");
          // The refusal names the route refused, as declared: "POST /v1/decisions", not "GET *".
          assertThat(r.json().get("message").asText()).as(what).contains(route.getKey());
        }
        checked.add(what);
      }
    }
    assertThat(checked).hasSize(table.size() * Role.values().length);
  }

  @Test
  void aRefusalSentBeforeTheBodyIsReadLeavesTheClientsNextRequestsWorking() {
    // The refusal is answered before the body is read; the connection must then be closed in a
    // way the client sees (or kept usable), never dropped under the client's next request.
    String body = decisionBody(4000);
    for (int i = 0; i < 200; i++) {
      refusedToASubject(body);
      f.api.get("/v1/keys", null).is(200);
    }
  }

  /** A decision request whose subject is {@code length} characters long. */
  static String decisionBody(int length) {
    return "{\"subject\":\"" + "x".repeat(length) + "\",\"purpose\":\"air_travel\"}";
  }

  /** Sends {@code body} as a decision with a subject token: refused before the body is read. */
  void refusedToASubject(String body) {
    f.api
        .send("POST", "/v1/decisions", f.tokenByRole.get(Role.SUBJECT), body)
        .error(403, "forbidden_role");
  }

  @Test
  void aLargeBodyToARefusedRouteStillGetsItsRefusal() {
    // 300 KB: more than the socket buffers hold, so the client is still sending when the refusal
    // is written; the server must read it to the end for the client to see the answer.
    String body = decisionBody(300_000);
    for (int i = 0; i < 5; i++) {
      refusedToASubject(body);
      f.api.send("POST", "/v1/decisions", null, body).error(401, "unauthenticated");
      f.api.get("/v1/keys", null).is(200);
    }
  }

  @Test
  void theAuditRoutesAreForSubjectsAuditorsAndOperatorsOnly() {
    Map<String, Set<ApiRole>> table = f.server.routeRoles();
    assertThat(table.get("GET /v1/subjects/{subject}/audit"))
        .containsExactlyInAnyOrder(ApiRole.SUBJECT, ApiRole.AUDITOR);
    assertThat(table.get("GET /v1/audit/verify"))
        .containsExactlyInAnyOrder(ApiRole.AUDITOR, ApiRole.OPERATOR);
  }

  @Test
  void theWebUiEndpointsAreInTheTableWithTheirRolesAndThePagesAreOpen() {
    assertThat(f.server.routeRoles())
        .containsEntry(
            "GET /v1/subjects/{subject}/history", Set.of(ApiRole.SUBJECT, ApiRole.OPERATOR))
        .containsEntry("GET /v1/distribution", Set.of(ApiRole.OPERATOR))
        .containsEntry("GET /v1/policies", Set.of(ApiRole.OPERATOR, ApiRole.AUDITOR));
    f.api
        .get("/v1/subjects/" + Fixture.DEFAULTER + "/history", f.good)
        .error(403, "not_your_subject");
    for (String page : List.of("/", "/portal.html", "/console.html", "/verify.html", "/credo.js")) {
      Api.Response r = f.api.send("GET", page, null, null);
      assertThat(r.status()).as(page).isEqualTo(200);
      assertThat(r.raw().headers().firstValue("Content-Security-Policy"))
          .as(page)
          .hasValueSatisfying(csp -> assertThat(csp).contains("default-src 'self'"));
    }
    assertThat(
            f.api.send("GET", "/webjars/uplot/1.6.30/dist/uPlot.iife.min.js", null, null).status())
        .isEqualTo(200);
    f.api.send("GET", "/no-such-page.html", null, null).error(404, "not_found");
  }

  @Test
  void aSubjectTokenSeesOnlyItsOwnSubject() {
    for (String rest : List.of("/score", "/report", "/inquiries", "/consents", "/audit")) {
      f.api.get("/v1/subjects/" + Fixture.DEFAULTER + rest, f.good).error(403, "not_your_subject");
    }
    f.api
        .post(
            "/v1/subjects/" + Fixture.DEFAULTER + "/certificates",
            f.good,
            "{\"claims\":[\"not on any black list\"]}")
        .error(403, "not_your_subject");
  }

  @Test
  void aRelyingPartyAsksOnlyForItsRegisteredPurposes() {
    f.api
        .post("/v1/decisions", f.airline, Fixture.decision(Fixture.GOOD, "lending"))
        .error(403, "purpose_not_registered");
  }

  @Test
  void aProviderWritesOnlyAsItsOwnSourceAndTypes() {
    JsonNode r =
        f.api
            .post(
                "/v1/records",
                f.utilities,
                "[{\"source\":\"court-enforcement\",\"id\":\"p-1\",\"subject\":\""
                    + Fixture.GOOD
                    + "\",\"type\":\"court.judgment_defaulter\",\"occurred\":\"2026-06-01\"},"
                    + "{\"id\":\"p-2\",\"subject\":\""
                    + Fixture.GOOD
                    + "\",\"type\":\"court.judgment_defaulter\",\"occurred\":\"2026-06-01\"}]")
            .is(200)
            .json();
    assertThat(r.at("/summary/accepted").asInt()).isZero();
    assertThat(r.at("/records/0/reason").asText()).contains("submitted as 'city-utilities'");
    assertThat(r.at("/records/1/reason").asText()).contains("not registered for type");
  }
}
