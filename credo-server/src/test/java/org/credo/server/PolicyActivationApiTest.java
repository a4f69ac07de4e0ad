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
    JsonNode done =
        f.api
            .post(
                "/v1/policies",
                f.operator,
                body("r.yaml", yaml.replace("version: 1", "version: 2")))
            .is(201)
            .json();
    assertThat(done.get("policy").asText()).isEqualTo("rongcheng-style");
    assertThat(done.get("version").asInt()).isEqualTo(2);
    JsonNode after = f.api.get("/v1/policies", f.operator).json();
    assertThat(after.get("activations")).hasSize(before + 1);
  }

  private static String body(String name, String yaml) {
    ObjectNode n = ApiWire.MAPPER.createObjectNode();
    n.put("name", name);
    n.put("yaml", yaml);
    return n.toString();
  }
}
