package org.credo.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Locale;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;
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

  @Test
  void largeAnswersAreCompressedOnRequestAndSmallOnesSentAsTheyAreWithTheirLength(@TempDir Path dir)
      throws Exception {
    try (Fixture f = new Fixture(Store.openFolder(dir, true), dir, Fixture.config(dir))) {
      HttpClient client = HttpClient.newHttpClient();
      Function<String, HttpResponse<byte[]>> get =
          path -> {
            try {
              return client.send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + f.server.port() + path))
                      .header("Accept-Encoding", "gzip")
                      .build(),
                  HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException | InterruptedException e) {
              throw new AssertionError(e);
            }
          };
      HttpResponse<byte[]> large = get.apply("/openapi.json");
      assertThat(large.headers().firstValue("content-encoding")).contains("gzip");
      try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(large.body()))) {
        assertThat(Api.JSON.readTree(in).get("openapi").asText()).startsWith("3.1");
      }
      HttpResponse<byte[]> small = get.apply("/v1/keys");
      assertThat(small.statusCode()).isEqualTo(200);
      assertThat(small.headers().firstValue("content-encoding")).isEmpty();
      assertThat(small.headers().firstValue("content-type"))
          .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
      assertThat(small.headers().firstValueAsLong("content-length"))
          .hasValue((long) small.body().length);
      assertThat(Api.JSON.readTree(small.body()).isObject()).isTrue();
    }
  }
}
