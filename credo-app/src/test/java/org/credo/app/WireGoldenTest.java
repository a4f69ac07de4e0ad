package org.credo.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.credo.access.Party;
import org.credo.app.decisions.DecisionOutcome;
import org.credo.app.decisions.Decisions;
import org.credo.app.replays.ReplayOutcome;
import org.credo.app.scores.ScoresOutcome;
import org.credo.app.wire.ApiWire;
import org.credo.app.wire.ReplayWire;
import org.credo.audit.AuditLog;
import org.credo.engine.Engine;
import org.credo.ingest.Importer;
import org.credo.policy.Purpose;
import org.credo.records.SourceId;
import org.credo.store.SourceRegistration;
import org.credo.store.Store;
import org.credo.subject.SubjectId;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The wire, pinned: the main answers (a score, a report, an allowed and a denied decision) for the
 * sample records are compared with files under {@code src/test/resources/golden}, so a change to
 * what clients receive shows up as a diff in review. Run with {@code -Dgolden.update=true} to
 * rewrite the files after an intended change, and read the diff.
 */
class WireGoldenTest {
  static final Instant NOW = Instant.parse("2026-11-22T00:00:00Z");
  static final Path GOLDEN = Path.of("src", "test", "resources", "golden");
  static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  static final SubjectId DEFAULTER = SubjectId.parse("person:371082198506120049");
  static final SubjectId GOOD = SubjectId.parse("person:370102199001011231");

  @TempDir static Path dir;
  static Store store;
  static AuditLog log;
  static CredoApplication app;

  @BeforeAll
  static void fill() throws Exception {
    store = Store.openFolder(dir.resolve("store"), true);
    log = AuditLog.open(store);
    app =
        new CredoApplication(
            store, log, AppSettings.DEFAULTS, Clock.fixed(NOW, ZoneOffset.UTC), null);
    Engine engine = app.engine();
    Instant start = Instant.parse("2025-01-01T00:00:00Z");
    for (String name : List.of("rongcheng-style", "sesame-style", "bureau-style")) {
      Path file = Path.of("..", "policies", name + ".yaml");
      engine.activate(file.toString(), Files.readString(file), start);
    }
    for (String[] s :
        List.of(
            new String[] {"court-enforcement", "court"},
            new String[] {"city-bank", "bank,contract,lending,finance"},
            new String[] {"city-utilities", "utility"},
            new String[] {"traffic-police", "traffic"},
            new String[] {"volunteer-registry", "volunteer,civic"},
            new String[] {"blood-bank", "volunteer.blood_donation"},
            new String[] {"civic-office", "civic"},
            new String[] {"market-regulator", "commerce"},
            new String[] {"consumer-finance", "loan"},
            new String[] {"card-issuer", "card"},
            new String[] {"id-bureau", "identity"},
            new String[] {"market-platform", "contract,rental"},
            new String[] {"endorsements", "endorsement"},
            new String[] {"bureau-furnisher", "account,credit"})) {
      store
          .sources()
          .put(new SourceRegistration(SourceId.of(s[0]), List.of(s[1].split(",")), start));
    }
    try (Reader in =
        Files.newBufferedReader(
            Path.of("..", "policies", "samples", "records.ndjson"), StandardCharsets.UTF_8)) {
      new Importer(
              store,
              engine.activePolicies(NOW),
              Clock.fixed(NOW, ZoneOffset.UTC),
              Importer.Options.defaults(),
              engine::accepted)
          .run(in, Importer.Format.NDJSON, r -> {}, n -> {});
    }
    // A subject on the defaulter list, with a loan default: the denials.
    String listed =
        """
        {"source":"court-enforcement","id":"g-1","subject":"person:11010519491231002X","type":"court.judgment_defaulter","occurred":"2026-10-01","evidence":"case (2026) Jing 01 Zhi 7"}
        {"source":"consumer-finance","id":"g-2","subject":"person:11010519491231002X","type":"loan.default","occurred":"2026-09-01"}
        {"source":"consumer-finance","id":"g-3","subject":"person:11010519491231002X","type":"loan.default","occurred":"2026-10-01"}
        """;
    new Importer(
            store,
            engine.activePolicies(NOW),
            Clock.fixed(Instant.parse("2026-10-02T00:00:00Z"), ZoneOffset.UTC),
            Importer.Options.defaults(),
            engine::accepted)
        .run(
            new java.io.StringReader(listed),
            Importer.Format.NDJSON,
            r -> {
              throw new AssertionError(r.toString());
            },
            n -> {});
    app.parties()
        .put(new Party("airline", Set.of(Purpose.of("air_travel"), Purpose.of("lending")), start));
  }

  @Test
  void aScore() throws Exception {
    ScoresOutcome.Scored scored =
        (ScoresOutcome.Scored) app.scores().score(DEFAULTER, NOW, NOW, Optional.empty(), NOW);
    assertGolden("score.json", WireTrees.scores(scored));
  }

  @Test
  void aReport() throws Exception {
    assertGolden("report.json", WireTrees.report(app.scores().report(GOOD, NOW).orElseThrow()));
  }

  @Test
  void decisions() throws Exception {
    com.fasterxml.jackson.databind.node.ArrayNode all = PRETTY.createArrayNode();
    for (String purpose : List.of("air_travel", "lending")) {
      for (String subject :
          List.of(
              "org:91110000600037341L",
              "person:110105197803154025",
              "person:370102199001011231",
              "person:371082198506120049",
              "person:44030619920228111X",
              "person:11010519491231002X")) {
        all.add(decide(SubjectId.parse(subject), purpose));
      }
    }
    assertGolden("decisions.json", all);
    assertThat(all.findValuesAsText("outcome")).contains("allow", "deny", "refer");
  }

  @Test
  void aReplay() throws Exception {
    JsonNode denied = decide(SubjectId.parse("person:11010519491231002X"), "air_travel");
    assertThat(denied.get("outcome").asText()).isEqualTo("deny");
    ReplayOutcome outcome =
        app.decisionReplays()
            .replay(
                SubjectId.parse("person:11010519491231002X"),
                denied.get("id").asText(),
                Optional.of("airline"),
                NOW);
    assertGolden(
        "replay.json", ApiWire.MAPPER.valueToTree(ReplayWire.of((ReplayOutcome.Replayed) outcome)));
    // Another party's decision is not there for it to see.
    assertThat(
            app.decisionReplays()
                .replay(
                    SubjectId.parse("person:11010519491231002X"),
                    denied.get("id").asText(),
                    Optional.of("a-bank"),
                    NOW))
        .isInstanceOf(ReplayOutcome.UnknownDecision.class);
  }

  private static JsonNode decide(SubjectId subject, String purpose) {
    DecisionOutcome outcome =
        app.decisions()
            .decide(
                new Decisions.Asker(Optional.of("airline"), "test"),
                subject,
                Purpose.of(purpose),
                Optional.empty(),
                NOW);
    if (outcome instanceof DecisionOutcome.DecisionMade made) {
      return made.answer().join().body();
    }
    Refusal r = (Refusal) outcome;
    return PRETTY.createObjectNode().put("refused", r.code()).put("message", r.message());
  }

  private static void assertGolden(String name, JsonNode node) throws Exception {
    // Ids drawn at random are the only parts that may differ from run to run.
    String actual =
        PRETTY
                .writeValueAsString(node)
                .replaceAll("dec-[0-9a-f]{16}", "dec-ID")
                .replaceAll("read-[0-9a-f]{16}", "read-ID")
                .replaceAll("\"seq\" : \\d+", "\"seq\" : 0")
            + "\n";
    Path file = GOLDEN.resolve(name);
    if (Boolean.getBoolean("golden.update") || !Files.exists(file)) {
      Files.createDirectories(GOLDEN);
      Files.writeString(file, actual);
    }
    assertThat(actual)
        .as("the wire form of " + name + " changed")
        .isEqualTo(Files.readString(file));
  }
}
