package org.credo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the real command line, as a user would, and checks what it prints and its exit code. */
class CredoCliTest {
  static final Path POLICIES = Path.of("..", "policies");
  static final String RECORDS = POLICIES.resolve("samples/records.ndjson").toString();

  record Run(int exit, String out, String err) {}

  @BeforeAll
  static void fixTheClock() {
    Credo.clock = Clock.fixed(Instant.parse("2026-11-22T00:00:00Z"), ZoneOffset.UTC);
  }

  static Run credo(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Credo.run(args, new PrintWriter(out), new PrintWriter(err));
    return new Run(exit, out.toString(), err.toString());
  }

  static String policy(String name) {
    return POLICIES.resolve(name + ".yaml").toString();
  }

  @Test
  void checksTheExamplePolicies() {
    Run run =
        credo(
            "policy",
            "check",
            policy("rongcheng-style"),
            policy("sesame-style"),
            policy("bureau-style"));
    assertThat(run.exit()).isZero();
    assertThat(run.out())
        .contains(
            "rongcheng-style.yaml: ok: rongcheng-style v2",
            "sesame-style.yaml: ok",
            "bureau-style.yaml: ok");
  }

  @Test
  void reportsEachPolicyProblemWithItsLocationAndExitsTwo(@TempDir Path dir) throws IOException {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(
        bad,
        """
        policy: bad
        version: 1
        subjects: [person]
        scale: {kind: points, base: 100, min: 0, max: 200}
        rules:
          - {type: religion.service_attended, domain: civic, points: -5, expires: P2Y}
          - {type: traffic.red_light, domain: public_order, points: "attributes.x", expires: P2Y}
        grades: [{grade: A, min: 0}]
        """);
    Run run = credo("policy", "check", bad.toString(), dir.resolve("missing.yaml").toString());
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err().lines())
        .containsExactly(
            bad
                + ":6:12: rule religion.service_attended: record type 'religion.service_attended' is in a protected category (religion or belief: 'religion'): Credo never scores it",
            bad + ":7:72: rule traffic.red_light points: undefined field 'x'",
            dir.resolve("missing.yaml") + ": no such file");
    assertThat(run.err()).doesNotContain("Exception", "\tat ");
  }

  @Test
  void printsAnItemizedScore() {
    Run run =
        credo(
            "score",
            "person:371082198506120049",
            "--policy",
            policy("rongcheng-style"),
            "--records",
            RECORDS);
    assertThat(run.exit()).isZero();
    assertThat(run.out())
        .contains("score 860 (scale 0 to 1200), grade B")
        .contains("black list judgment-defaulters: in effect")
        .contains("court.judgment_defaulter               -100  Dishonest judgment defaulter")
        .contains("superseded   city-bank/arr-b-1")
        .contains("expired      traffic-police/tp-b-1");
  }

  @Test
  void printsScoresAsJsonAndHonoursAsOfAndKnownAt() throws IOException {
    Run now =
        credo(
            "score",
            "person:371082198506120049",
            "--policy",
            policy("rongcheng-style"),
            "--records",
            RECORDS,
            "--json");
    // The one form of a score, from files as from the store.
    JsonNode json = Wire.MAPPER.readTree(now.out()).get("scores").get(0);
    assertThat(json.get("score").asDouble()).isEqualTo(860);
    assertThat(json.get("grade").asText()).isEqualTo("B");
    assertThat(json.get("policyVersion").asInt()).isEqualTo(2);
    assertThat(json.get("reasonCodes").get(0).get("code").asText())
        .isEqualTo("court.judgment_defaulter");
    Run before =
        credo(
            "score",
            "person:371082198506120049",
            "--policy",
            policy("rongcheng-style"),
            "--records",
            RECORDS,
            "--json",
            "--as-of",
            "2026-03-10",
            "--known-at",
            "2026-03-10");
    JsonNode early = Wire.MAPPER.readTree(before.out()).get("scores").get(0);
    // the court record occurred on 03-01 but Credo learned it on 03-20
    assertThat(early.get("score").asDouble()).isEqualTo(980);
    assertThat(early.get("lists")).isEmpty();
  }

  @Test
  void decidesAPurposeAndDisclosesOnlyWhatItMay() throws IOException {
    Run run =
        credo(
            "decide",
            "person:371082198506120049",
            "--purpose",
            "air_travel",
            "--policy",
            policy("rongcheng-style"),
            "--records",
            RECORDS,
            "--json");
    JsonNode json = Wire.MAPPER.readTree(run.out());
    assertThat(json.get("outcome").asText()).isEqualTo("deny");
    assertThat(json.get("disclosed").size()).isZero();
    Run consent =
        credo(
            "decide",
            "person:371082198506120049",
            "--purpose",
            "bank_credit",
            "--policy",
            policy("rongcheng-style"),
            "--records",
            RECORDS);
    // The one consent rule, as the API applies it: a refusal, not a referral.
    assertThat(consent.exit()).isEqualTo(1);
    assertThat(consent.err()).contains("needs the subject's consent");
  }

  @Test
  void refusesBadRecordsWithTheirLineNumber(@TempDir Path dir) throws IOException {
    Path records = dir.resolve("r.ndjson");
    Files.writeString(
        records,
        "{\"source\":\"s\",\"id\":\"1\",\"subject\":\"person:370102199001011231\",\"type\":\"traffic.red_light\",\"occurred\":\"2026-01-01\"}\n"
            + "\n"
            + "{\"source\":\"s\",\"id\":\"2\",\"subject\":\"person:370102199001011232\",\"type\":\"traffic.red_light\",\"occurred\":\"2026-01-01\"}\n");
    Run run =
        credo(
            "score",
            "person:370102199001011231",
            "--policy",
            policy("rongcheng-style"),
            "--records",
            records.toString());
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err().strip())
        .isEqualTo(
            "credo: "
                + records
                + ":3: subject: resident id '370102199001011232' has check character 2 but its digits give 1");
  }

  @Test
  void refusesBadUsageWithExitTwoAndNoStackTrace() {
    assertThat(
            credo(
                    "score",
                    "person:370102199001011232",
                    "--policy",
                    policy("rongcheng-style"),
                    "--records",
                    RECORDS)
                .err())
        .startsWith("credo: resident id");
    Run missing = credo("score");
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).contains("Missing required parameter: 'SUBJECT'");
    Run half = credo("score", "person:370102199001011231", "--records", RECORDS);
    assertThat(half.err()).contains("--records needs --policy FILE");
    Run date =
        credo(
            "score",
            "person:370102199001011231",
            "--policy",
            policy("rongcheng-style"),
            "--records",
            RECORDS,
            "--as-of",
            "yesterday");
    assertThat(date.exit()).isEqualTo(2);
    assertThat(date.err()).contains("--as-of 'yesterday' is not an ISO-8601 date");
    Run purpose =
        credo(
            "decide",
            "person:370102199001011231",
            "--purpose",
            "dating",
            "--policy",
            policy("rongcheng-style"),
            "--records",
            RECORDS);
    assertThat(purpose.exit()).isEqualTo(2);
    assertThat(purpose.err()).contains("has no purpose 'dating'");
    Run kind =
        credo(
            "score",
            "org:91110000600037341L",
            "--policy",
            policy("sesame-style"),
            "--records",
            RECORDS);
    assertThat(kind.err()).contains("does not score org subjects");
  }

  @Test
  void runsTheDemoOnAFreshStore(@TempDir Path dir) {
    Run run =
        credo("demo", "--subjects", "300", "--no-serve", "--data", dir.resolve("demo").toString());
    assertThat(run.err()).isEmpty();
    assertThat(run.exit()).isZero();
    assertThat(run.out())
        .contains(
            "activated rongcheng-style v2",
            "activated sesame-style v4",
            "activated bureau-style v2")
        .contains("generated 300 subjects")
        .contains("0 rejected")
        .contains("Grades under rongcheng-style v2: 300 subjects")
        .contains("Itemized report of one subject:");
    Run again =
        credo("demo", "--subjects", "300", "--no-serve", "--data", dir.resolve("demo").toString());
    assertThat(again.out()).contains("the store already holds");
  }

  static final List<String[]> SAMPLE_SOURCES =
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
          new String[] {"bureau-furnisher", "account,credit"});

  @Test
  void importsIntoTheStoreAndScoresAndReportsFromIt(@TempDir Path dir) throws IOException {
    String data = dir.resolve("store").toString();
    for (String name : List.of("rongcheng-style", "sesame-style", "bureau-style")) {
      assertThat(credo("policy", "activate", policy(name), "--data", data).out())
          .contains("activated " + name + (name.equals("sesame-style") ? " v4" : " v2"));
    }
    for (String[] s : SAMPLE_SOURCES) {
      assertThat(credo("source", "add", s[0], "--types", s[1], "--data", data).exit()).isZero();
    }
    Path rejects = dir.resolve("rejects.txt");
    Run imported = credo("import", RECORDS, "--data", data, "--rejects", rejects.toString());
    assertThat(imported.exit()).isZero();
    assertThat(imported.out())
        .contains(
            "108 lines: 108 accepted (1 superseding, 1 retracting), 0 duplicate, 0 conflicts,"
                + " 0 rejected");
    assertThat(rejects).doesNotExist();
    Run again = credo("import", RECORDS, "--data", data);
    assertThat(again.out())
        .contains(
            "108 lines: 0 accepted (0 superseding, 0 retracting), 108 duplicate, 0 conflicts,"
                + " 0 rejected");

    Run score =
        credo("score", "person:371082198506120049", "--data", data, "--policy", "rongcheng-style");
    assertThat(score.out())
        .contains("score 860 (scale 0 to 1200), grade B")
        // learned today: the subject is told first, the entry takes effect after the notice
        .contains("judgment-defaulters: in notice period, takes effect from 2026-12-02");
    Run all = credo("score", "person:110105197803154025", "--data", data);
    assertThat(all.out())
        .contains("under bureau-style v2", "under rongcheng-style v2", "under sesame-style v4");

    JsonNode report =
        Wire.MAPPER.readTree(
            credo("report", "person:371082198506120049", "--data", data, "--json").out());
    assertThat(report.get("records")).hasSize(5);
    assertThat(report.get("scores")).hasSize(3); // every active policy scores persons
    assertThat(
            Files.readString(
                dir.resolve("store").resolve("credo.db"),
                java.nio.charset.StandardCharsets.ISO_8859_1))
        .doesNotContain("371082198506120049");

    assertThat(credo("policy", "history", "--data", data).out())
        .contains("rongcheng-style v2")
        .contains("(active)");
  }

  @Test
  void reportsImportProblemsWithLineNumbersAndRefusesNonRecordFiles(@TempDir Path dir)
      throws IOException {
    String data = dir.resolve("store").toString();
    credo("policy", "activate", policy("rongcheng-style"), "--data", data);
    credo("source", "add", "traffic-police", "--types", "traffic", "--data", data);
    Path file = dir.resolve("in.ndjson");
    Files.writeString(
        file,
        "{\"source\":\"traffic-police\",\"id\":\"1\",\"subject\":\"person:370102199001011231\",\"type\":\"traffic.red_light\",\"occurred\":\"2026-01-01\"}\n"
            + "{\"source\":\"traffic-police\",\"id\":\"2\",\"subject\":\"person:370102199001011231\",\"type\":\"court.judgment_defaulter\",\"occurred\":\"2026-01-01\"}\n");
    Run run = credo("import", file.toString(), "--data", data);
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out()).contains("1 accepted").contains("1 rejected");
    assertThat(Files.readString(Path.of(file + ".rejects.txt")))
        .isEqualTo(
            file
                + ":2: source 'traffic-police' is not registered for type court.judgment_defaulter (it may submit traffic)\n");

    Path csvish = Files.writeString(dir.resolve("x.ndjson"), "id,subject\n1,2\n");
    Run bad = credo("import", csvish.toString(), "--data", data);
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err().strip())
        .isEqualTo(
            "credo: "
                + csvish
                + ": not NDJSON: line 1 does not start with '{' (use --format csv?)");
    Path empty = Files.writeString(dir.resolve("empty.ndjson"), "");
    assertThat(credo("import", empty.toString(), "--data", data).err())
        .contains("holds no records");
    assertThat(credo("import", dir.resolve("missing.ndjson").toString(), "--data", data).err())
        .contains("no such readable file");
    Path notStore = Files.createDirectories(dir.resolve("photos"));
    Files.writeString(notStore.resolve("cat.jpg"), "meow");
    Run wrong = credo("score", "person:370102199001011231", "--data", notStore.toString());
    assertThat(wrong.exit()).isEqualTo(2);
    assertThat(wrong.err()).contains("is not empty and holds no Credo store");
  }

  @Test
  void anImportWithARejectedOrConflictingLineExitsOneAndStillStoresTheRest(@TempDir Path dir)
      throws IOException {
    String data = dir.resolve("store").toString();
    credo("policy", "activate", policy("rongcheng-style"), "--data", data);
    credo("source", "add", "traffic-police", "--types", "traffic", "--data", data);
    String first =
        "{\"source\":\"traffic-police\",\"id\":\"1\",\"subject\":\"person:370102199001011231\",\"type\":\"traffic.red_light\",\"occurred\":\"2026-01-01\"}\n";
    Path clean = Files.writeString(dir.resolve("clean.ndjson"), first);
    assertThat(credo("import", clean.toString(), "--data", data).exit()).isZero();
    // A duplicate alone is still a success.
    assertThat(credo("import", clean.toString(), "--data", data).exit()).isZero();

    Path file =
        Files.writeString(
            dir.resolve("in.ndjson"),
            first
                + "{\"source\":\"traffic-police\",\"id\":\"2\",\"subject\":\"person:370102199001011231\",\"type\":\"traffic.red_light\",\"occurred\":\"2026-01-02\"}\n"
                + "{\"source\":\"traffic-police\",\"id\":\"3\",\"subject\":\"person:370102199001011231\",\"type\":\"court.judgment_defaulter\",\"occurred\":\"2026-01-01\"}\n");
    Run rejected = credo("import", file.toString(), "--data", data);
    assertThat(rejected.exit()).as(rejected.err()).isEqualTo(1);
    assertThat(rejected.out())
        .contains("1 accepted")
        .contains("1 duplicate")
        .contains("1 rejected");
    assertThat(Files.readString(Path.of(file + ".rejects.txt"))).contains(file + ":3: ");

    Path conflicting =
        Files.writeString(
            dir.resolve("conflict.ndjson"),
            "{\"source\":\"traffic-police\",\"id\":\"1\",\"subject\":\"person:370102199001011231\",\"type\":\"traffic.red_light\",\"occurred\":\"2026-01-03\"}\n");
    Run conflict = credo("import", conflicting.toString(), "--data", data);
    assertThat(conflict.exit()).as(conflict.err()).isEqualTo(1);
    assertThat(conflict.out()).contains("1 conflict,").contains("0 rejected");
    assertThat(Files.readString(Path.of(conflicting + ".rejects.txt")))
        .contains(
            conflicting
                + ":1: conflict: record traffic-police/1 is already stored with different content"
                + " (occurred 2026-01-01T00:00:00Z, not 2026-01-03T00:00:00Z)");
  }

  @Test
  void disputesFromTheCommandLine(@TempDir Path dir) throws IOException {
    String data = dir.resolve("store").toString();
    String who = "person:370102199001011231";
    credo("policy", "activate", policy("rongcheng-style"), "--data", data);
    credo("source", "add", "traffic-police", "--types", "traffic", "--data", data);
    assertThat(credo("source", "add", "credo", "--types", "traffic", "--data", data).err())
        .contains("reserved");
    Path file = dir.resolve("in.ndjson");
    Files.writeString(
        file,
        "{\"source\":\"traffic-police\",\"id\":\"1\",\"subject\":\""
            + who
            + "\",\"type\":\"traffic.red_light\",\"occurred\":\"2026-01-01\"}\n"
            + "{\"source\":\"traffic-police\",\"id\":\"2\",\"subject\":\""
            + who
            + "\",\"type\":\"traffic.speeding\",\"occurred\":\"2026-02-01\"}\n");
    assertThat(credo("import", file.toString(), "--data", data).exit()).isZero();

    Run bad = credo("dispute", "open", who, "traffic-police/9", "--statement", "x", "--data", data);
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err()).contains("no record traffic-police/9");
    Run opened =
        credo(
            "dispute",
            "open",
            who,
            "traffic-police/1",
            "--statement",
            "I was abroad",
            "--data",
            data);
    assertThat(opened.exit()).as(opened.err()).isZero();
    String id = opened.out().substring(0, opened.out().indexOf(' '));
    assertThat(credo("dispute", "list", "--state", "open", "--data", data).out())
        .contains(id)
        .contains("1 disputes");
    assertThat(credo("dispute", "resolve", id, "--rejected", "--data", data).err())
        .contains("needs a reason");
    Run upheld =
        credo("dispute", "resolve", id, "--upheld", "--reason", "camera fault", "--data", data);
    assertThat(upheld.exit()).as(upheld.err()).isZero();
    assertThat(upheld.out()).contains("upheld").contains("dispute:" + id + ":withdrawn");
    assertThat(credo("dispute", "resolve", id, "--upheld", "--data", data).err())
        .contains("already upheld");
    // What a streaming deployment must see: the opening, the answer and the withdrawal.
    Run marks = credo("dispute", "marks", "--keyed", "--data", data);
    assertThat(marks.exit()).as(marks.err()).isZero();
    List<String> lines = marks.out().lines().toList();
    assertThat(lines).hasSize(3);
    assertThat(lines).allSatisfy(l -> assertThat(l).matches("[0-9a-f]{32}\t\\{.*\\}"));
    assertThat(lines.get(0))
        .contains("\"id\":\"dispute:" + id + ":opened\"")
        .contains("\"record\":\"traffic-police/1\"");
    assertThat(String.join("\n", lines))
        .contains("\"id\":\"dispute:" + id + ":answered\"")
        .contains("\"id\":\"dispute:" + id + ":withdrawn\"");
    assertThat(credo("dispute", "marks", "--since", "2999-01-01T00:00:00Z", "--data", data).out())
        .isEmpty();
    Run report = credo("report", who, "--json", "--data", data);
    assertThat(report.out()).contains("\"state\" : \"upheld\"").contains("\"notifications\"");
    Run score = credo("score", who, "--json", "--data", data);
    assertThat(score.out()).contains("\"status\" : \"retracted\"");
    Run stats = credo("source", "stats", "--data", data);
    assertThat(stats.out()).contains("traffic-police").contains("100.0%");
    assertThat(stats.out().lines().findFirst().orElseThrow().split(" +"))
        .containsSubsequence("open", "upheld", "rejected", "expired", "rate");
    assertThat(
            credo("source", "suspend", "traffic-police", "--reason", "review", "--data", data)
                .exit())
        .isZero();
    assertThat(credo("source", "stats", "--data", data).out()).contains("SUSPENDED (review)");
    assertThat(credo("source", "resume", "traffic-police", "--data", data).out())
        .contains("0 held records released");
  }

  @Test
  void aTokenThatHasExpiredAlreadyIsRefused(@org.junit.jupiter.api.io.TempDir Path dir) {
    Run run =
        credo(
            "token",
            "create",
            "--role",
            "operator",
            "--expires-in",
            "-PT1H",
            "--data",
            dir.resolve("store").toString());
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("--expires-in must be a positive duration");
  }
}
