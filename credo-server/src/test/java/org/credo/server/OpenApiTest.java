package org.credo.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Locale;
import java.util.TreeSet;
import org.credo.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenApiTest {
  @Test
  void theDocumentListsExactlyTheRoutesJavalinServes(@TempDir Path dir) throws Exception {
    try (Fixture f = new Fixture(Store.openFolder(dir, true), dir, Fixture.config(dir))) {
      JsonNode doc = f.api.get("/openapi.json", null).is(200).json();
      assertThat(doc.get("openapi").asText()).startsWith("3.1");
      TreeSet<String> documented = new TreeSet<>();
      doc.get("paths")
          .properties()
          .forEach(
              p ->
                  p.getValue()
                      .fieldNames()
                      .forEachRemaining(
                          m -> documented.add(m.toUpperCase(Locale.ROOT) + " " + p.getKey())));
      assertThat(documented).isEqualTo(new TreeSet<>(f.server.registeredRoutes()));
      assertThat(documented).contains("POST /v1/decisions", "GET /v1/subjects/{subject}/report");
      JsonNode decisions = doc.at("/paths/~1v1~1decisions/post");
      assertThat(decisions.get("x-credo-roles").toString()).isEqualTo("[\"relying_party\"]");
      assertThat(decisions.at("/responses/429")).isNotNull();
    }
  }
}
