package org.credo.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.credo.store.Store;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bad-input corpus for the HTTP API, as data: {@code reliability/http-cases.ndjson}, one case a
 * line, run in order against one server over raw sockets (so that any byte can be sent). Each case
 * names its request and what must come back — the status, the error code, words of the message or
 * values at JSON pointers — and which rows it may write: every other table the product keeps must
 * be exactly as it was (the audit log excepted, which records refusals on purpose).
 *
 * <p>A case's fields: {@code name}; {@code method} and {@code path}, or {@code raw} (the whole
 * request as text, sent as it is); {@code as} (a token of the fixture: operator, auditor, court,
 * utilities, airline, landlord, lender, good, defaulter; or none, or a made-up one); {@code header}
 * (extra header lines); {@code contentType}; {@code body} or {@code bodyBase64}; {@code repeat}
 * ({@code {"text", "times"}}, substituted for {@code {R}} in the path, body or raw request). In
 * path, body and raw request, {@code {good}}, {@code {defaulter}} and {@code {stranger}} are the
 * fixture's subjects. Expected: {@code status}; {@code error}; {@code message} (words the message
 * contains); {@code json} (pointer to value; a pointer ending in {@code ~} means "contains");
 * {@code writes} (table to how many rows it gains; every watched table not named must gain none).
 */
class ReliabilityHttpTest {
  static final String CASES = "/reliability/http-cases.ndjson";

  /** The tables a refused request must leave alone (the audit log is meant to grow). */
  static final List<String> WATCHED =
      List.of(
          "records",
          "inquiries",
          "consents",
          "disputes",
          "dispute_events",
          "repairs",
          "notifications",
          "api_tokens",
          "parties",
          "sources",
          "source_status",
          "policies",
          "policy_activations",
          "list_publication",
          "held_records",
          "subjects");

  static final ObjectMapper JSON = new ObjectMapper();

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

  static List<JsonNode> cases(String resource) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    try (InputStream in = ReliabilityHttpTest.class.getResourceAsStream(resource);
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (!line.isBlank() && !line.startsWith("//")) {
          out.add(JSON.readTree(line));
        }
      }
    }
    return out;
  }

  @TestFactory
  Stream<DynamicTest> everyCaseGetsItsAnswerAndWritesNothingElse() throws IOException {
    List<JsonNode> cases = cases(CASES);
    assertThat(cases).hasSizeGreaterThanOrEqualTo(150);
    assertThat(cases.stream().map(c -> c.get("name").asText()).distinct()).hasSize(cases.size());
    return cases.stream().map(c -> DynamicTest.dynamicTest(c.get("name").asText(), () -> run(c)));
  }

  static void run(JsonNode c) throws Exception {
    Map<String, Long> before = counts();
    Answer a = send(request(c));
    String where = c.get("name").asText() + " → " + a.status + " " + a.body;
    assertThat(a.status).as(where).isEqualTo(c.get("status").asInt());
    if (a.status >= 400) {
      assertThat(a.contentType).as(where).startsWith("application/json");
      JsonNode e = JSON.readTree(a.body);
      assertThat(e.path("error").asText()).as(where).isNotBlank();
      assertThat(e.path("message").asText()).as(where).isNotBlank();
      assertThat(a.body)
          .as(where)
          .doesNotContain("Exception")
          .doesNotContain("\tat ")
          .doesNotContain("com.fasterxml")
          .doesNotContain("org.eclipse")
          .doesNotContain("io.javalin");
      if (c.has("error")) {
        assertThat(e.get("error").asText()).as(where).isEqualTo(c.get("error").asText());
      }
      if (c.has("message")) {
        assertThat(e.get("message").asText().toLowerCase(Locale.ROOT))
            .as(where)
            .contains(c.get("message").asText().toLowerCase(Locale.ROOT));
      }
    }
    if (c.has("json")) {
      JsonNode body = JSON.readTree(a.body);
      for (Iterator<Map.Entry<String, JsonNode>> it = c.get("json").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> p = it.next();
        if (p.getKey().endsWith("~")) {
          String pointer = p.getKey().substring(0, p.getKey().length() - 1);
          assertThat(body.at(pointer).asText()).as(where).contains(p.getValue().asText());
        } else {
          assertThat(body.at(p.getKey())).as(where + " at " + p.getKey()).isEqualTo(p.getValue());
        }
      }
    }
    Map<String, Long> after = counts();
    Map<String, Long> expected = new LinkedHashMap<>(before);
    if (c.has("writes")) {
      c.get("writes")
          .fields()
          .forEachRemaining(w -> expected.merge(w.getKey(), w.getValue().asLong(), Long::sum));
    }
    assertThat(after).as(where + ": rows written").isEqualTo(expected);
  }

  static Map<String, Long> counts() throws Exception {
    Map<String, Long> out = new LinkedHashMap<>();
    for (String table : WATCHED) {
      out.put(
          table,
          f.server
              .store()
              .jdbc()
              .one("SELECT COUNT(*) FROM " + table, rs -> rs.getLong(1))
              .orElseThrow());
    }
    return out;
  }

  // ---- building the request ----------------------------------------------------------------

  static String fill(String s, JsonNode c) {
    String out =
        s.replace("{good}", Fixture.GOOD)
            .replace("{defaulter}", Fixture.DEFAULTER)
            .replace("{stranger}", Fixture.STRANGER);
    if (c.has("repeat")) {
      out =
          out.replace(
              "{R}",
              c.get("repeat").get("text").asText().repeat(c.get("repeat").get("times").asInt()));
    }
    return out;
  }

  static String token(String as) {
    return switch (as) {
      case "none" -> null;
      case "operator" -> f.operator;
      case "auditor" -> f.auditor;
      case "court" -> f.court;
      case "utilities" -> f.utilities;
      case "airline" -> f.airline;
      case "landlord" -> f.landlord;
      case "lender" -> f.lender;
      case "good" -> f.good;
      case "defaulter" -> f.defaulter;
      default -> as; // a made-up token, sent as it is
    };
  }

  static byte[] request(JsonNode c) {
    if (c.has("raw")) {
      return fill(c.get("raw").asText(), c).getBytes(StandardCharsets.ISO_8859_1);
    }
    byte[] body =
        c.has("bodyBase64")
            ? Base64.getDecoder().decode(c.get("bodyBase64").asText())
            : c.has("body")
                ? fill(c.get("body").asText(), c).getBytes(StandardCharsets.UTF_8)
                : null;
    StringBuilder head = new StringBuilder();
    head.append(c.get("method").asText())
        .append(' ')
        .append(fill(c.get("path").asText(), c))
        .append(" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
    String token = token(c.path("as").asText("none"));
    if (token != null) {
      head.append("Authorization: Bearer ").append(token).append("\r\n");
    }
    String type =
        c.has("contentType")
            ? c.get("contentType").asText()
            : body != null ? "application/json" : null;
    if (type != null && !type.isEmpty()) {
      head.append("Content-Type: ").append(type).append("\r\n");
    }
    if (c.has("header")) {
      for (JsonNode h : c.get("header")) {
        head.append(fill(h.asText(), c)).append("\r\n");
      }
    }
    if (body != null) {
      head.append("Content-Length: ").append(body.length).append("\r\n");
    }
    head.append("\r\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
    if (body != null) {
      out.writeBytes(body);
    }
    return out.toByteArray();
  }

  // ---- reading the answer ------------------------------------------------------------------

  record Answer(int status, String contentType, String body) {}

  static Answer send(byte[] request) throws Exception {
    byte[] got;
    try (Socket s = new Socket("127.0.0.1", f.server.port())) {
      s.setSoTimeout(20_000);
      OutputStream out = s.getOutputStream();
      try {
        out.write(request);
        out.flush();
      } catch (java.net.SocketException e) {
        // The server may answer and close before it has read everything (431, 413).
      }
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      InputStream in = s.getInputStream();
      byte[] buf = new byte[16384];
      int n;
      try {
        while ((n = in.read(buf)) > 0) {
          all.write(buf, 0, n);
        }
      } catch (java.net.SocketException e) {
        // reset after the answer: what came is the answer
      }
      got = all.toByteArray();
    }
    String text = new String(got, StandardCharsets.UTF_8);
    int split = text.indexOf("\r\n\r\n");
    assertThat(split).as("an HTTP answer: " + text).isPositive();
    String[] head = text.substring(0, split).split("\r\n");
    int status = Integer.parseInt(head[0].split(" ")[1]);
    String contentType = "";
    boolean chunked = false;
    for (String h : head) {
      String lower = h.toLowerCase(Locale.ROOT);
      if (lower.startsWith("content-type:")) {
        contentType = h.substring(13).strip();
      } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
        chunked = true;
      }
    }
    String body = text.substring(split + 4);
    if (chunked) {
      body = dechunk(body);
    }
    return new Answer(status, contentType, body);
  }

  static String dechunk(String s) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < s.length()) {
      int eol = s.indexOf("\r\n", i);
      if (eol < 0) {
        break;
      }
      int size = Integer.parseInt(s.substring(i, eol).split(";")[0].strip(), 16);
      if (size == 0) {
        break;
      }
      // sizes count bytes; bodies here are ASCII JSON or UTF-8 counted alike for the test's use
      byte[] rest = s.substring(eol + 2).getBytes(StandardCharsets.UTF_8);
      String chunk = new String(rest, 0, Math.min(size, rest.length), StandardCharsets.UTF_8);
      out.append(chunk);
      i = eol + 2 + chunk.length() + 2;
    }
    return out.toString();
  }
}
