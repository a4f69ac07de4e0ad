package org.credo.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.credo.cli.CredoCliTest.credo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.credo.audit.AuditLog;
import org.credo.audit.LoggedEntry;
import org.credo.cli.CredoCliTest.Run;
import org.credo.decisions.Decider;
import org.credo.engine.Engine;
import org.credo.lists.ListEntry;
import org.credo.policy.Policy;
import org.credo.policy.PolicyLoader;
import org.credo.policy.PolicyRef;
import org.credo.policy.Purpose;
import org.credo.scoring.NoScore;
import org.credo.scoring.Score;
import org.credo.scoring.Scorer;
import org.credo.store.ScoringModes;
import org.credo.store.Store;
import org.credo.subject.SubjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code credo policy simulate} on a generated population: every count of the report equals a count
 * made subject by subject through the engine's own scoring path (the real identifiers from the
 * generated file, a score-free subject included); the report is saved and audited with its SHA-256;
 * an activation names the simulation it rests on, or is refused without one.
 */
class PolicySimulationTest {
  static final Instant NOW = Instant.parse("2026-11-22T00:00:00Z");
  static final ObjectMapper JSON = new ObjectMapper();
  static Clock before;

  @TempDir static Path dir;
  static String data;
  static Path candidate;

  @BeforeAll
  static void demoStore() throws Exception {
    before = Credo.clock;
    Credo.clock = Clock.fixed(NOW, ZoneOffset.UTC);
    data = dir.resolve("store").toString();
    Run demo = credo("demo", "--subjects", "700", "--no-serve", "--data", data);
    assertThat(demo.exit()).as(demo.err()).isZero();
    // Harsher court and traffic points, a cheaper arrears formula: grades, lists and decisions
    // move.
    candidate = dir.resolve("rongcheng-v3.yaml");
    Files.writeString(
        candidate,
        Files.readString(Path.of(CredoCliTest.policy("rongcheng-style")))
            .replace("version: 2", "version: 3")
            .replace("points: -50, expires: P5Y,", "points: -120, expires: P5Y,")
            .replace(
                "traffic.speeding, domain: public_order, points: -5,",
                "traffic.speeding, domain: public_order, points: -25,"));
  }

  @AfterAll
  static void restoreTheClock() {
    Credo.clock = before;
  }

  @Test
  void everyCountOfTheReportIsWhatScoringEachSubjectGives() throws Exception {
    // The demo's population, generated again with the demo's seed and instant.
    Set<String> subjects = new TreeSet<>();
    org.credo.generate.Population.write(700, 1, NOW, l -> subjects.add(Wire.field(l, "subject")));
    String scoreFree = subjects.iterator().next();
    try (Store store = Store.openFolder(Path.of(data), false)) {
      store
          .scoringModes()
          .set(
              store.keys().pseudonym(SubjectId.parse(scoreFree)),
              ScoringModes.Mode.SCORE_FREE,
              NOW.minusSeconds(3600),
              "test");
    }

    Run run = credo("policy", "simulate", candidate.toString(), "--json", "--data", data);
    assertThat(run.exit()).as(run.err()).isZero();
    JsonNode out = JSON.readTree(run.out());
    JsonNode report = out.get("report");
    assertThat(report.get("against").asText()).isEqualTo("rongcheng-style@2");

    // The same questions, subject by subject, through the engine (before) and the core (after).
    Map<String, Map<String, Long>> grades = new TreeMap<>();
    Map<String, Map<String, Long>> flips = new TreeMap<>();
    long moved = 0;
    long entered = 0;
    long left = 0;
    try (Store store = Store.openFolder(Path.of(data), false)) {
      Engine engine = new Engine(store);
      Policy old = engine.policy(new PolicyRef("rongcheng-style", 2));
      Policy neu =
          PolicyLoader.load(
              "c",
              Files.readString(candidate),
              store.catalogues().active().orElseThrow().catalogue().firewall());
      for (String s : subjects) {
        SubjectId id = SubjectId.parse(s);
        Score was = engine.score(id, old, NOW, NOW);
        Score now = Scorer.score(neu, id, engine.records(id), NOW, NOW);
        if (s.equals(scoreFree)) {
          assertThat(was.hasNumber()).isFalse();
          now = now.withoutNumber(NoScore.scoreFree());
        }
        grades.computeIfAbsent(grade(was), k -> new TreeMap<>()).merge(grade(now), 1L, Long::sum);
        if (was.hasNumber() && now.hasNumber() && was.value() != now.value()) {
          moved++;
        }
        Set<String> a = names(was.lists());
        Set<String> b = names(now.lists());
        entered += b.stream().filter(x -> !a.contains(x)).count();
        left += a.stream().filter(x -> !b.contains(x)).count();
        for (Purpose p : neu.purposes().keySet()) {
          String o = Decider.decide(old, was, p).outcome();
          String n = Decider.decide(neu, now, p).outcome();
          if (!o.equals(n)) {
            flips.computeIfAbsent(p.name(), k -> new TreeMap<>()).merge(o + "→" + n, 1L, Long::sum);
          }
        }
      }
    }
    assertThat(report.get("subjects").asLong()).isEqualTo(subjects.size());
    Map<String, Map<String, Long>> reported = new TreeMap<>();
    report
        .get("grades")
        .fields()
        .forEachRemaining(
            row ->
                row.getValue()
                    .fields()
                    .forEachRemaining(
                        c ->
                            reported
                                .computeIfAbsent(row.getKey(), k -> new TreeMap<>())
                                .put(c.getKey(), c.getValue().asLong())));
    assertThat(reported).isEqualTo(grades);
    assertThat(grades.get("unscorable")).isNotNull();
    assertThat(report.get("shift").get("moved").asLong()).isEqualTo(moved).isPositive();
    long added = 0;
    long removed = 0;
    for (JsonNode l : report.get("lists")) {
      added += l.get("added").asLong();
      removed += l.get("removed").asLong();
    }
    assertThat(added).isEqualTo(entered);
    assertThat(removed).isEqualTo(left);
    Map<String, Map<String, Long>> reportedFlips = new TreeMap<>();
    for (JsonNode d : report.get("decisions")) {
      Map<String, Long> m = new TreeMap<>();
      d.get("flips").fields().forEachRemaining(f -> m.put(f.getKey(), f.getValue().asLong()));
      if (!m.isEmpty()) {
        reportedFlips.put(d.get("purpose").asText(), m);
      }
    }
    assertThat(reportedFlips).isEqualTo(flips).isNotEmpty();
    // Rules whose points changed are named; the sample shows itemized diffs by pseudonym only.
    Map<String, String> changed = new HashMap<>();
    report
        .get("rules")
        .forEach(r -> changed.put(r.get("type").asText(), r.get("changed").toString()));
    assertThat(changed.get("traffic.speeding")).contains("points");
    assertThat(changed.get("court.breach_of_contract")).contains("points");
    assertThat(changed.get("bank.arrears")).isEqualTo("[]");
    assertThat(report.get("sample")).isNotEmpty();
    assertThat(report.get("sample").toString()).doesNotContain("person:").doesNotContain("org:");

    // The fairness delta's "before" is the fairness report of the active version, group by group.
    Run fair = credo("fairness", "report", "--policy", "rongcheng-style", "--json", "--data", data);
    assertThat(fair.exit()).as(fair.err()).isZero();
    Map<String, Double> fairRates = new TreeMap<>();
    for (JsonNode d : JSON.readTree(fair.out()).get("policies").get(0).get("dimensions")) {
      for (JsonNode p : d.get("purposes")) {
        for (JsonNode g : p.get("groups")) {
          if (!g.get("rate").isNull()) {
            fairRates.put(
                d.get("dimension").asText()
                    + "/"
                    + p.get("purpose").asText()
                    + "/"
                    + g.get("group").asText(),
                g.get("rate").asDouble());
          }
        }
      }
    }
    Map<String, Double> rateBefore = new TreeMap<>();
    for (JsonNode f : report.get("fairness")) {
      rateBefore.put(
          f.get("dimension").asText()
              + "/"
              + f.get("purpose").asText()
              + "/"
              + f.get("group").asText(),
          f.get("rateBefore").asDouble());
    }
    assertThat(rateBefore).isNotEmpty().isEqualTo(fairRates);

    // Saved, and audited with the SHA-256 of the report as saved.
    String id = out.get("simulation").asText();
    try (Store store = Store.openFolder(Path.of(data), false)) {
      var saved = store.simulations().find(id).orElseThrow();
      assertThat(saved.reportSha256()).isEqualTo(out.get("sha256").asText());
      assertThat(sha256(saved.report())).isEqualTo(saved.reportSha256());
      assertThat(JSON.readTree(saved.report())).isEqualTo(report);
      try (AuditLog log = AuditLog.open(store)) {
        List<LoggedEntry> entries = log.entries(0, 100_000);
        assertThat(entries)
            .anyMatch(
                e ->
                    e.entry().action().equals("policy.simulate")
                        && e.entry().detail().contains("simulation=" + id)
                        && e.entry().detail().contains("sha256=" + saved.reportSha256()));
      }
    }

    // The activation of that very text names the simulation; another text needs its own.
    Path other = dir.resolve("rongcheng-v4.yaml");
    Files.writeString(other, Files.readString(candidate).replace("version: 3", "version: 4"));
    Run refused = credo("policy", "activate", other.toString(), "--data", data);
    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.err()).contains("no simulation of").contains("--without-simulation");
    Run activated = credo("policy", "activate", candidate.toString(), "--data", data);
    assertThat(activated.exit()).as(activated.err()).isZero();
    assertThat(activated.out()).contains("resting on simulation " + id);
    Run forced =
        credo("policy", "activate", other.toString(), "--without-simulation", "--data", data);
    assertThat(forced.exit()).as(forced.err()).isZero();
    try (Store store = Store.openFolder(Path.of(data), false);
        AuditLog log = AuditLog.open(store)) {
      List<String> details =
          log.entries(0, 100_000).stream()
              .filter(e -> e.entry().action().equals("policy.activate"))
              .map(e -> e.entry().detail())
              .toList();
      assertThat(details)
          .contains(
              "policy=rongcheng-style@3 simulation=" + id,
              "policy=rongcheng-style@4 without_simulation");
    }
  }

  @Test
  void aPolicyThatDoesNotLoadOrAVersionThatDoesNotExistIsExitTwoAndStoresNothing()
      throws Exception {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "policy: broken\nversion: 1\nrules: [\n");
    Run invalid = credo("policy", "simulate", bad.toString(), "--data", data);
    assertThat(invalid.exit()).isEqualTo(2);
    assertThat(invalid.err()).contains(bad + ":");
    Run unknown =
        credo(
            "policy",
            "simulate",
            candidate.toString(),
            "--against",
            "rongcheng-style@41",
            "--data",
            data);
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.err()).contains("rongcheng-style@41 is not saved");
    Path copy = dir.resolve("copy.yaml");
    Files.writeString(copy, Files.readString(candidate) + "# a copy\n");
    Run text =
        credo(
            "policy",
            "simulate",
            copy.toString(),
            "--against",
            "rongcheng-style@2",
            "--data",
            data);
    assertThat(text.exit()).as(text.err()).isZero();
    assertThat(text.out()).contains("against rongcheng-style@2").contains("grades, before (rows)");
  }

  private static String grade(Score s) {
    return s.hasNumber() ? s.grade().name() : "unscorable";
  }

  private static Set<String> names(List<ListEntry> entries) {
    Set<String> out = new TreeSet<>();
    entries.forEach(e -> out.add(e.list()));
    return out;
  }

  private static String sha256(String s) throws Exception {
    return java.util.HexFormat.of()
        .formatHex(
            java.security.MessageDigest.getInstance("SHA-256")
                .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }
}
