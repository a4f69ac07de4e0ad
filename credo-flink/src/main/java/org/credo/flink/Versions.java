package org.credo.flink;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.credo.app.wire.ApiWire;
import org.credo.catalogue.Catalogue;
import org.credo.catalogue.CatalogueException;
import org.credo.catalogue.CatalogueReader;
import org.credo.policy.Policy;
import org.credo.policy.PolicyException;
import org.credo.policy.PolicyLoader;
import org.credo.records.RecordJson;

/**
 * The catalogue and policy versions the streaming job scores under, as they arrive on the compacted
 * topic {@code credo.policies} and sit in the job's broadcast state: each version is active from
 * its {@code activeFrom} instant until the next version of the same policy (or catalogue), so a
 * replay of history uses the version that was active then.
 *
 * <p>A message's value is {@code {"kind": "catalogue" | "policy", "activeFrom": "…", "yaml": "…"}};
 * its key in the broadcast state is {@link Message#key()}. A policy is loaded against the catalogue
 * active at its {@code activeFrom} (the firewall with that catalogue's exemptions, and the
 * catalogue's checks), exactly as {@code credo policy activate} loads it.
 */
final class Versions {
  /** One message of the control topic. */
  record Message(String kind, Instant activeFrom, String yaml) {
    Message {
      requireNonNull(kind, "kind is null");
      requireNonNull(activeFrom, "activeFrom is null");
      requireNonNull(yaml, "yaml is null");
    }

    /** Parses a control message, or says what is wrong with it. */
    static Message parse(String json) {
      JsonNode node;
      try {
        node = ApiWire.MAPPER.readTree(json);
      } catch (java.io.IOException e) {
        throw new IllegalArgumentException(
            "not JSON: " + e.getMessage().lines().findFirst().orElse(""));
      }
      if (node == null || !node.isObject()) {
        throw new IllegalArgumentException(
            "a control message is an object {\"kind\", \"activeFrom\", \"yaml\"}");
      }
      String kind = node.path("kind").asText("");
      if (!kind.equals("catalogue") && !kind.equals("policy")) {
        throw new IllegalArgumentException(
            "kind must be \"catalogue\" or \"policy\", not \"" + kind + "\"");
      }
      if (!node.path("yaml").isTextual()) {
        throw new IllegalArgumentException("yaml must be the definition's text");
      }
      Instant from;
      try {
        from = RecordJson.parseTime("activeFrom", node.path("activeFrom").asText(""));
      } catch (org.credo.records.RecordFormatException e) {
        throw new IllegalArgumentException(e.getMessage());
      }
      return new Message(kind, from, node.path("yaml").asText());
    }

    String json() {
      ObjectNode node = ApiWire.MAPPER.createObjectNode();
      node.put("kind", kind);
      node.put("activeFrom", activeFrom.toString());
      node.put("yaml", yaml);
      return node.toString();
    }

    /** The broadcast state's key: catalogues sort before policies, then by instant. */
    String key() {
      return (kind.equals("catalogue") ? "0" : "1")
          + String.format(java.util.Locale.ROOT, "%020d", activeFrom.toEpochMilli() + (1L << 62))
          + "/"
          + textHash();
    }

    /** The first 16 hex digits of the text's SHA-256: two texts active at one instant differ. */
    private String textHash() {
      try {
        byte[] d =
            java.security.MessageDigest.getInstance("SHA-256")
                .digest(yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return java.util.HexFormat.of().formatHex(d, 0, 8);
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private final TreeMap<Long, Catalogue> catalogues = new TreeMap<>();
  private final Map<String, TreeMap<Long, Policy>> policies = new HashMap<>();
  private final java.util.Set<String> keys = new java.util.HashSet<>();

  /** How many messages these versions were built from. */
  int size() {
    return keys.size();
  }

  boolean knows(String key) {
    return keys.contains(key);
  }

  /**
   * Adds a version; a definition that does not load is refused with the reason, and the versions
   * stay as they were.
   *
   * @return the refusal, or empty when the version was added
   */
  Optional<String> add(String key, Message m) {
    long from = m.activeFrom().toEpochMilli();
    try {
      if (m.kind().equals("catalogue")) {
        Catalogue c = CatalogueReader.read("catalogue", m.yaml());
        catalogues.put(from, c);
      } else {
        Map.Entry<Long, Catalogue> c = catalogues.floorEntry(from);
        if (c == null) {
          return Optional.of(
              "no catalogue is active at "
                  + m.activeFrom()
                  + ": publish the catalogue first, active from that instant or before");
        }
        Policy policy = PolicyLoader.load("policy", m.yaml(), c.getValue().firewall());
        var problems = c.getValue().problems(policy, "policy", m.yaml());
        if (!problems.isEmpty()) {
          return Optional.of(
              "policy " + policy.ref() + " breaks the catalogue: " + problems.get(0));
        }
        policies.computeIfAbsent(policy.id(), x -> new TreeMap<>()).put(from, policy);
      }
    } catch (CatalogueException | PolicyException e) {
      return Optional.of(m.kind() + " active from " + m.activeFrom() + " does not load: " + e);
    }
    keys.add(key);
    return Optional.empty();
  }

  /** The catalogue active at {@code millis}, if any. */
  Optional<Catalogue> catalogueAt(long millis) {
    Map.Entry<Long, Catalogue> e = catalogues.floorEntry(millis);
    return e == null ? Optional.empty() : Optional.of(e.getValue());
  }

  /** Each policy's version active at {@code millis}, by policy id. */
  List<Policy> policiesAt(long millis) {
    List<Policy> out = new ArrayList<>();
    for (TreeMap<Long, Policy> versions : policies.values()) {
      Map.Entry<Long, Policy> e = versions.floorEntry(millis);
      if (e != null) {
        out.add(e.getValue());
      }
    }
    out.sort(Comparator.comparing(Policy::id));
    return out;
  }

  /** The first activation of any version strictly after {@code millis}. */
  Optional<Long> nextActivation(long millis) {
    Long next = catalogues.higherKey(millis);
    for (TreeMap<Long, Policy> versions : policies.values()) {
      Long n = versions.higherKey(millis);
      if (n != null && (next == null || n < next)) {
        next = n;
      }
    }
    return Optional.ofNullable(next);
  }

  /** Versions rebuilt from broadcast state entries (key → message JSON), in key order. */
  static Versions of(Iterable<Map.Entry<String, String>> entries) {
    TreeMap<String, String> sorted = new TreeMap<>();
    entries.forEach(e -> sorted.put(e.getKey(), e.getValue()));
    Versions v = new Versions();
    sorted.forEach((k, json) -> v.add(k, Message.parse(json)));
    return v;
  }
}
