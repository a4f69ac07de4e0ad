package org.credo.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.credo.cli.CredoCliTest.credo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.credo.audit.AuditLog;
import org.credo.cli.CredoCliTest.Run;
import org.credo.decisions.Decider;
import org.credo.engine.Engine;
import org.credo.policy.Policy;
import org.credo.policy.PolicyRef;
import org.credo.policy.Purpose;
import org.credo.scoring.Score;
import org.credo.store.Store;
import org.credo.subject.SubjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code credo fairness report} on a generated population: the selection counts by sex and by age
 * band equal counts made subject by subject from the identifiers (read here independently) and the
 * engine's decisions; groups under 30 are too small to judge, never a ratio; the attributes are
 * sealed at rest under their own key, the report is audited, and an erasure takes them away.
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class FairnessAuditTest {
  static final Instant NOW = Instant.parse("2026-11-22T00:00:00Z");
  static final ObjectMapper JSON = new ObjectMapper();
  static Clock before;

  @TempDir static Path dir;
  static String data;

  @BeforeAll
  static void demoStore() {
    before = Credo.clock;
    Credo.clock = Clock.fixed(NOW, ZoneOffset.UTC);
    data = dir.resolve("store").toString();
    Run demo = credo("demo", "--subjects", "700", "--no-serve", "--data", data);
    assertThat(demo.exit()).as(demo.err()).isZero();
  }

  @AfterAll
  static void restoreTheClock() {
    Credo.clock = before;
  }

  @Test
  @org.junit.jupiter.api.Order(1)
  void selectionCountsByGroupAreWhatEachSubjectsDecisionGives() throws Exception {
    Run run = credo("fairness", "report", "--policy", "rongcheng-style", "--json", "--data", data);
    assertThat(run.exit()).as(run.err()).isZero();
    JsonNode report = JSON.readTree(run.out());
    assertThat(report.get("subjects").asLong()).isEqualTo(700);
    assertThat(report.get("withAttributes").asLong()).isEqualTo(700);

    List<String> subjects = new java.util.ArrayList<>();
    org.credo.generate.Population.write(
        700,
        1,
        NOW,
        l -> {
          String s = Wire.field(l, "subject");
          if (subjects.isEmpty() || !subjects.get(subjects.size() - 1).equals(s)) {
            subjects.add(s);
          }
        });
    Purpose credit = Purpose.of("bank_credit");
    Map<String, long[]> bySex = new TreeMap<>();
    Map<String, long[]> byAge = new TreeMap<>();
    try (Store store = Store.openFolder(Path.of(data), false)) {
      Engine engine = new Engine(store);
      Policy policy = engine.policy(new PolicyRef("rongcheng-style", 2));
      for (String s : subjects) {
        SubjectId id = SubjectId.parse(s);
        Score score = engine.score(id, policy, NOW, NOW);
        boolean allowed = Decider.decide(policy, score, credit).outcome().equals("allow");
        String sex = "unknown";
        String age = "unknown";
        if (s.startsWith("person:")) {
          sex = Integer.parseInt(s.substring(23, 24)) % 2 == 1 ? "male" : "female";
          int years = 2026 - Integer.parseInt(s.substring(13, 17));
          age =
              years < 25
                  ? "under 25"
                  : years >= 65
                      ? "65 and over"
                      : (25 + (years - 25) / 10 * 10) + "–" + (34 + (years - 25) / 10 * 10);
        }
        long[] a = bySex.computeIfAbsent(sex, k -> new long[2]);
        a[0]++;
        a[1] += allowed ? 1 : 0;
        long[] b = byAge.computeIfAbsent(age, k -> new long[2]);
        b[0]++;
        b[1] += allowed ? 1 : 0;
      }
    }
    JsonNode dimensions = report.get("policies").get(0).get("dimensions");
    assertThat(lists(rates(dimensions.get(1), "bank_credit"))).isEqualTo(lists(bySex));
    assertThat(lists(rates(dimensions.get(0), "bank_credit"))).isEqualTo(lists(byAge));

    // Small groups are never a ratio; the regions of 700 subjects over 22 counties include some.
    boolean sawSmall = false;
    for (JsonNode d : dimensions) {
      for (JsonNode p : d.get("purposes")) {
        for (JsonNode g : p.get("groups")) {
          if (g.get("decided").asLong() < 30) {
            sawSmall |= !g.get("group").asText().equals("unknown");
            assertThat(g.get("rate").isNull()).isTrue();
            assertThat(g.get("impactRatio").isNull()).isTrue();
          } else if (!g.get("group").asText().equals("unknown")) {
            assertThat(g.get("impactRatio").asDouble()).isBetween(0.0, 1.0);
            assertThat(g.get("fourFifths").asBoolean())
                .isEqualTo(g.get("impactRatio").asDouble() < 0.8);
          }
        }
      }
    }
    assertThat(sawSmall).isTrue();
  }

  @Test
  @org.junit.jupiter.api.Order(2)
  void theAttributesAreSealedUnderTheirOwnKeyAuditedAndErasedWithTheSubject() throws Exception {
    assertThat(credo("fairness", "report", "--data", data).exit()).isZero();
    String someone = "person:" + firstPerson();
    try (Store store = Store.openFolder(Path.of(data), false)) {
      byte[] key = store.keys().pseudonym(SubjectId.parse(someone));
      byte[] sealed =
          store
              .jdbc()
              .one(
                  "SELECT sealed FROM fairness_attributes WHERE subject_key = ?",
                  rs -> rs.getBytes(1),
                  (Object) key)
              .orElseThrow();
      String raw = new String(sealed, StandardCharsets.ISO_8859_1);
      assertThat(raw).doesNotContain("male").doesNotContain(someone.substring(13, 17));
      // The data key does not open it: the attributes have a key of their own.
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.keys().open(sealed, key))
          .isInstanceOf(org.credo.store.StoreException.class);
      try (AuditLog log = AuditLog.open(store)) {
        assertThat(log.entries(0, 100_000))
            .anyMatch(e -> e.entry().action().equals("fairness.report"));
      }
    }
    assertThat(Path.of(data, "credo-fairness.key")).exists();
    assertThat(credo("subject", "erase", someone, "--data", data).exit()).isZero();
    try (Store store = Store.openFolder(Path.of(data), false)) {
      byte[] key = store.keys().pseudonym(SubjectId.parse(someone));
      assertThat(
              store
                  .jdbc()
                  .one(
                      "SELECT COUNT(*) FROM fairness_attributes WHERE subject_key = ?",
                      rs -> rs.getLong(1),
                      (Object) key))
          .contains(0L);
    }
    Run unknown = credo("fairness", "report", "--policy", "no-such", "--data", data);
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.err()).contains("no active policy is called 'no-such'");
  }

  private static String firstPerson() {
    String[] found = {null};
    org.credo.generate.Population.write(
        20,
        1,
        NOW,
        l -> {
          String s = Wire.field(l, "subject");
          if (found[0] == null && s.startsWith("person:")) {
            found[0] = s.substring("person:".length());
          }
        });
    return found[0];
  }

  private static Map<String, List<Long>> lists(Map<String, long[]> m) {
    Map<String, List<Long>> out = new TreeMap<>();
    m.forEach((k, v) -> out.put(k, List.of(v[0], v[1])));
    return out;
  }

  private static Map<String, long[]> rates(JsonNode dimension, String purpose) {
    for (JsonNode p : dimension.get("purposes")) {
      if (p.get("purpose").asText().equals(purpose)) {
        Map<String, long[]> out = new TreeMap<>();
        p.get("groups")
            .forEach(
                g ->
                    out.put(
                        g.get("group").asText(),
                        new long[] {g.get("decided").asLong(), g.get("selected").asLong()}));
        return out;
      }
    }
    throw new AssertionError("no purpose " + purpose);
  }
}
