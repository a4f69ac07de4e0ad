package org.credo.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.credo.store.Store;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A (source, id) sent again with other content is a {@code conflict}, never a duplicate. */
class RecordConflictTest {
  @TempDir static Path dir;
  static Fixture f;
  static Api api;

  @BeforeAll
  static void start() throws Exception {
    f = new Fixture(Store.openFolder(dir, true), dir, Fixture.config(dir));
    api = f.api;
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  static String record(String id, String occurred, String extra) {
    return "{\"id\":\""
        + id
        + "\",\"subject\":\""
        + Fixture.GOOD
        + "\",\"type\":\"court.repayment_liability\",\"occurred\":\""
        + occurred
        + "\""
        + extra
        + "}";
  }

  static List<String> statuses(JsonNode r) {
    List<String> out = new ArrayList<>();
    r.get("records").forEach(o -> out.add(o.get("status").asText()));
    return out;
  }

  @Test
  void aStoredIdSentWithOtherContentIsAConflictWithWhatDiffers() {
    JsonNode first =
        api.post("/v1/records", f.court, "[" + record("cf-1", "2026-03-01", "") + "]")
            .is(200)
            .json();
    assertThat(statuses(first)).containsExactly("accepted");

    String body =
        "["
            + record("cf-1", "2026-03-02", "")
            + ","
            + record("cf-1", "2026-03-01", "")
            + ","
            + record("cf-2", "2026-03-01", ",\"evidence\":\"a\"")
            + ","
            + record("cf-2", "2026-03-01", ",\"evidence\":\"b\"")
            + "]";
    JsonNode r = api.post("/v1/records", f.court, body).is(200).json();
    assertThat(statuses(r)).containsExactly("conflict", "duplicate", "accepted", "conflict");
    assertThat(r.at("/records/0/reason").asText())
        .isEqualTo(
            "conflict: record court-enforcement/cf-1 is already stored with different content"
                + " (occurred 2026-03-01T00:00:00Z, not 2026-03-02T00:00:00Z); send a correction"
                + " with \"supersedes\" instead");
    assertThat(r.at("/records/3/reason").asText())
        .startsWith("conflict: record court-enforcement/cf-2 ")
        .contains("evidence \"a\", not \"b\"");
    assertThat(r.at("/summary/records").asInt()).isEqualTo(4);
    assertThat(r.at("/summary/accepted").asInt()).isEqualTo(1);
    assertThat(r.at("/summary/duplicate").asInt()).isEqualTo(1);
    assertThat(r.at("/summary/conflicts").asInt()).isEqualTo(2);
    assertThat(r.at("/summary/rejected").asInt()).isZero();
  }
}
