package org.credo.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.credo.store.Store;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The endpoints the web UI draws from: history, distribution, policies. */
class UiEndpointsTest {
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
  void historyReplaysTheScoreMonthByMonthAsKnownThen() {
    JsonNode h =
        f.api.get("/v1/subjects/" + Fixture.GOOD + "/history?months=12", f.good).is(200).json();
    JsonNode rongcheng = h.get("series").get(1);
    assertThat(rongcheng.get("policy").asText()).isEqualTo("rongcheng-style");
    JsonNode points = rongcheng.get("points");
    assertThat(points).hasSize(12);
    assertThat(points.get(11).get("asOf").asText()).isEqualTo(Fixture.START.toString());
    // One bill a month from January to September: the score climbs, then stays.
    assertThat(points.get(0).get("score").asDouble())
        .isLessThan(points.get(11).get("score").asDouble());
    assertThat(rongcheng.at("/scale/max").asInt()).isEqualTo(1200);

    JsonNode from =
        f.api
            .get("/v1/subjects/" + Fixture.GOOD + "/history?from=2026-10-01&months=5", f.good)
            .is(200)
            .json();
    assertThat(from.get("months").asInt()).as("no point after now").isEqualTo(2);
    f.api
        .get("/v1/subjects/" + Fixture.GOOD + "/history?months=0", f.good)
        .error(400, "bad_request");
    f.api
        .get("/v1/subjects/" + Fixture.STRANGER + "/history", f.operator)
        .error(404, "unknown_subject");
  }

  @Test
  void theDistributionCountsEverySubjectOnceAndIsServedAgainUntilAskedFresh() {
    JsonNode d =
        f.api.get("/v1/distribution?policy=rongcheng-style&fresh=true", f.operator).is(200).json();
    assertThat(d.get("cached").asBoolean()).isFalse();
    long inBins = 0;
    for (JsonNode bin : d.get("histogram")) {
      inBins += bin.get("count").asLong();
    }
    assertThat(d.get("histogram")).hasSize(100);
    assertThat(inBins).isEqualTo(d.get("subjects").asLong()).isEqualTo(2);
    long inGrades = 0;
    for (JsonNode g : d.get("grades")) {
      inGrades += g.get("count").asLong();
    }
    assertThat(inGrades).isEqualTo(2);
    assertThat(d.at("/lists/judgment-defaulters").asInt()).isEqualTo(1);
    JsonNode again = f.api.get("/v1/distribution?policy=rongcheng-style", f.operator).json();
    assertThat(again.get("cached").asBoolean()).isTrue();
    assertThat(again.get("at")).isEqualTo(d.get("at"));
    // A new record makes the reused result stale at once.
    f.api
        .post(
            "/v1/records",
            f.utilities,
            "[{\"id\":\"ui-1\",\"subject\":\""
                + "person:110105197803154025" // someone the other tests do not look at
                + "\",\"type\":\"utility.fee_delayed\",\"occurred\":\"2026-10-01\"}]")
        .is(200);
    JsonNode after = f.api.get("/v1/distribution?policy=rongcheng-style", f.operator).json();
    assertThat(after.get("cached").asBoolean()).isFalse();
    f.api.get("/v1/distribution?policy=nope", f.operator).error(400, "no_active_policy");
  }

  @Test
  void policiesListEveryActivationAndTheActiveVersions() {
    JsonNode p = f.api.get("/v1/policies", f.auditor).is(200).json();
    assertThat(p.get("activations")).hasSize(2);
    assertThat(p.at("/active/0/policy").asText()).isEqualTo("bureau-style");
    assertThat(p.at("/active/1/since").asText()).isEqualTo("2025-01-01T00:00:00Z");
    assertThat(p.at("/active/1/grades/0/grade").asText()).isEqualTo("AAA");
    assertThat(p.at("/active/0/lists")).isEmpty();
    assertThat(p.at("/active/1/lists"))
        .extracting(l -> l.get("name").asText() + " " + l.get("kind").asText())
        .contains("judgment-defaulters black");
  }
}
