package org.credo.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A real HTTP client against a server on a random port. */
final class Api {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** A response: status, body text, and the body as JSON when it is JSON. */
  record Response(int status, String body, HttpResponse<String> raw) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON (" + status + "): " + body, e);
      }
    }

    /** Asserts the status and, for errors, the JSON error shape with this code. */
    Response is(int expected) {
      assertThat(status).as(body).isEqualTo(expected);
      return this;
    }

    Response error(int expected, String code) {
      is(expected);
      assertThat(raw.headers().firstValue("content-type").orElse(""))
          .startsWith("application/json");
      assertThat(json().get("error").asText()).as(body).isEqualTo(code);
      assertThat(json().get("message").asText()).isNotBlank();
      assertThat(body).doesNotContain("Exception").doesNotContain("\tat ");
      return this;
    }
  }

  private final String base;

  Api(int port) {
    this.base = "http://127.0.0.1:" + port;
  }

  Response get(String path, String token) {
    return send(builder(path, token).GET());
  }

  Response put(String path, String token) {
    return send(builder(path, token).PUT(HttpRequest.BodyPublishers.noBody()));
  }

  Response delete(String path, String token) {
    return send(builder(path, token).DELETE());
  }

  Response post(String path, String token, String body) {
    return post(path, token, "application/json", body);
  }

  Response post(String path, String token, String contentType, String body) {
    HttpRequest.Builder b = builder(path, token).POST(HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    return send(b);
  }

  Response post(String path, String token, String contentType, byte[] body) {
    HttpRequest.Builder b = builder(path, token).POST(HttpRequest.BodyPublishers.ofByteArray(body));
    b.header("Content-Type", contentType);
    return send(b);
  }

  Response send(String method, String path, String token, String body) {
    HttpRequest.Builder b =
        builder(path, token)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    return send(b);
  }

  private HttpRequest.Builder builder(String path, String token) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return b;
  }

  private static Response send(HttpRequest.Builder b) {
    try {
      HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), r.body(), r);
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
