package org.credo.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.credo.app.wire.ApiWire;

/**
 * Writes the OpenAPI 3.1 document from the route table, so it lists exactly the routes the server
 * registers. (Javalin's OpenAPI plugin works from annotations through an annotation processor; one
 * table that both registers and describes the routes is simpler and cannot drift.)
 */
final class OpenApi {
  private static final Pattern PARAM = Pattern.compile("\\{([a-zA-Z]+)}");
  private static final Map<Integer, String> STATUS_TEXT =
      Map.ofEntries(
          Map.entry(400, "bad input: malformed JSON, a bad field, subject or purpose"),
          Map.entry(401, "no token, or an unknown, expired or revoked token"),
          Map.entry(403, "the token's role, source, party or subject may not do this"),
          Map.entry(404, "unknown subject, consent or endpoint"),
          Map.entry(409, "conflict: e.g. a claim that does not hold, a consent already ended"),
          Map.entry(413, "the body is too large"),
          Map.entry(415, "wrong content type"),
          Map.entry(429, "rate limit reached; see Retry-After"),
          Map.entry(500, "internal error (never a stack trace)"),
          Map.entry(503, "not ready, stopping, or the inquiry log cannot be written"));

  private OpenApi() {}

  static ObjectNode document(List<ApiRoute> routes) {
    ObjectNode doc = ApiWire.MAPPER.createObjectNode();
    doc.put("openapi", "3.1.0");
    ObjectNode info = doc.putObject("info");
    info.put("title", "Credo API");
    info.put("version", "1");
    info.put(
        "description",
        "Accountable trust scoring: records, scores, purpose-bound signed decisions, consent,"
            + " inquiries and certificates. Errors are {\"error\": code, \"message\": text}.");
    ObjectNode components = doc.putObject("components");
    ObjectNode bearer = components.putObject("securitySchemes").putObject("bearer");
    bearer.put("type", "http");
    bearer.put("scheme", "bearer");
    ObjectNode error = components.putObject("schemas").putObject("Error");
    error.put("type", "object");
    error.putArray("required").add("error").add("message");
    ObjectNode props = error.putObject("properties");
    props.putObject("error").put("type", "string");
    props.putObject("message").put("type", "string");
    ObjectNode paths = doc.putObject("paths");
    for (ApiRoute r : routes) {
      ObjectNode path =
          paths.has(r.path()) ? (ObjectNode) paths.get(r.path()) : paths.putObject(r.path());
      ObjectNode op = path.putObject(r.method().name().toLowerCase(Locale.ROOT));
      op.put("summary", r.summary());
      op.put("operationId", operationId(r));
      ArrayNode roles = op.putArray("x-credo-roles");
      r.roles().stream()
          .map(x -> x.role().map(org.credo.access.Role::word).orElse("anyone"))
          .sorted()
          .forEach(roles::add);
      if (r.open()) {
        op.putArray("security");
      } else {
        op.putArray("security").addObject().putArray("bearer");
      }
      ArrayNode params = op.putArray("parameters");
      Matcher m = PARAM.matcher(r.path());
      while (m.find()) {
        ObjectNode p = params.addObject();
        p.put("name", m.group(1));
        p.put("in", "path");
        p.put("required", true);
        p.putObject("schema").put("type", "string");
      }
      for (String q : r.query()) {
        ObjectNode p = params.addObject();
        p.put("name", q);
        p.put("in", "query");
        p.put("required", false);
        p.putObject("schema").put("type", "string");
      }
      if (!r.consumes().isEmpty()) {
        ObjectNode body = op.putObject("requestBody");
        body.put("required", true);
        ObjectNode content = body.putObject("content");
        r.consumes().forEach(c -> content.putObject(c).putObject("schema"));
      }
      ObjectNode responses = op.putObject("responses");
      String ok =
          r.method().name().equals("POST")
                  && r.path().endsWith("s")
                  && !r.path().endsWith("records")
                  && !r.path().endsWith("decisions")
              ? "201"
              : "200";
      responses.putObject(ok).put("description", "success");
      List<Integer> errors = new java.util.ArrayList<>(r.errors());
      if (!r.open()) {
        errors.addAll(List.of(401, 403, 429));
      }
      errors.add(500);
      errors.stream()
          .distinct()
          .sorted()
          .forEach(
              s -> {
                ObjectNode resp = responses.putObject(Integer.toString(s));
                resp.put("description", STATUS_TEXT.getOrDefault(s, "error"));
                resp.putObject("content")
                    .putObject("application/json")
                    .putObject("schema")
                    .put("$ref", "#/components/schemas/Error");
              });
    }
    return doc;
  }

  private static String operationId(ApiRoute r) {
    StringBuilder b = new StringBuilder(r.method().name().toLowerCase(Locale.ROOT));
    for (String part : r.path().split("[/{}._-]+")) {
      if (!part.isEmpty()) {
        b.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
      }
    }
    return b.toString();
  }
}
