package org.credo.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.credo.app.wire.ApiWire;
import org.credo.store.Store;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /v1/policies}: the same activation as {@code credo policy activate}, refusals too.
 */
class PolicyActivationApiTest {
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

  @Test
  void anOperatorActivatesANewVersionAndARefusalSaysWhy() throws Exception {
    String yaml = Files.readString(Path.of("..", "policies", "rongcheng-style.yaml"));
    int before = f.api.get("/v1/policies", f.operator).json().get("activations").size();

    f.api.post("/v1/policies", f.auditor, body("r.yaml", yaml)).error(403, "forbidden_role");
    f.api
        .post("/v1/policies", f.operator, body("broken.yaml", "policy: [unclosed"))
        .error(400, "invalid_policy");
    f.api.post("/v1/policies", f.operator, "{\"yaml\": 3}").error(400, "bad_request");
    f.api
        .post(
            "/v1/policies",
            f.operator,
            body("other.yaml", yaml.replace("policy: rongcheng-style", "policy: copycat")))
        .error(409, "purpose_conflict");

    f.api
        .post("/v1/policies", f.operator, body("r.yaml", yaml + "\n# other text\n"))
        .error(409, "version_taken");

    // A new version is simulated before it is activated; the activation names the simulation.
    String v3 =
        yaml.replace("version: 2", "version: 3")
            .replace("points: -50, expires: P5Y,", "points: -80, expires: P5Y,");
    f.api.post("/v1/policies", f.operator, body("r.yaml", v3)).error(409, "simulation_required");
    JsonNode simulated =
        f.api.post("/v1/policies/simulate", f.auditor, body("r.yaml", v3)).is(200).json();
    String id = simulated.get("simulation").asText();
    JsonNode report = simulated.get("report");
    assertThat(report.get("policy").asText()).isEqualTo("rongcheng-style@3");
    assertThat(report.get("against").asText()).isEqualTo("rongcheng-style@2");
    long total = 0;
    for (JsonNode row : report.get("grades")) {
      for (JsonNode n : row) {
        total += n.asLong();
      }
    }
    assertThat(total).isEqualTo(report.get("subjects").asLong()).isPositive();
    assertThat(simulated.get("sha256").asText()).hasSize(64);

    JsonNode done = f.api.post("/v1/policies", f.operator, body("r.yaml", v3)).is(201).json();
    assertThat(done.get("policy").asText()).isEqualTo("rongcheng-style");
    assertThat(done.get("version").asInt()).isEqualTo(3);
    assertThat(done.get("simulation").asText()).isEqualTo(id);
    JsonNode after = f.api.get("/v1/policies", f.operator).json();
    assertThat(after.get("activations")).hasSize(before + 1);

    // Without a simulation only when asked for, and then audited as such.
    String v4 = v3.replace("version: 3", "version: 4");
    ObjectNode without = (ObjectNode) ApiWire.MAPPER.readTree(body("r.yaml", v4));
    without.put("withoutSimulation", true);
    JsonNode forced = f.api.post("/v1/policies", f.operator, without.toString()).is(201).json();
    assertThat(forced.has("simulation")).isFalse();
  }

  @Test
  void aSimulationThatCannotBeMadeSaysWhyAndStoresNothing() throws Exception {
    String yaml = Files.readString(Path.of("..", "policies", "rongcheng-style.yaml"));
    f.api
        .post("/v1/policies/simulate", f.operator, body("broken.yaml", "policy: [unclosed"))
        .error(400, "invalid_policy");
    ObjectNode against = (ObjectNode) ApiWire.MAPPER.readTree(body("r.yaml", yaml));
    against.put("against", "rongcheng-style@99");
    f.api
        .post("/v1/policies/simulate", f.operator, against.toString())
        .error(404, "unknown_policy_version");
    ObjectNode badTime = (ObjectNode) ApiWire.MAPPER.readTree(body("r.yaml", yaml));
    badTime.put("asOf", "yesterday");
    f.api.post("/v1/policies/simulate", f.operator, badTime.toString()).error(400, "bad_request");
    f.api.post("/v1/policies/simulate", f.good, body("r.yaml", yaml)).error(403, "forbidden_role");
  }

  private static String body(String name, String yaml) {
    ObjectNode n = ApiWire.MAPPER.createObjectNode();
    n.put("name", name);
    n.put("yaml", yaml);
    return n.toString();
  }
}
