package org.credo.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.credo.cli.CredoCliTest.credo;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.credo.audit.AuditLog;
import org.credo.signing.AuditKeys;
import org.credo.signing.SigningKey;
import org.credo.store.Store;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code credo audit verify} and the entries the other commands leave in the audit log. */
class AuditCliTest {
  static final String SUBJECT = "person:371082198506120049";

  @BeforeAll
  static void fixTheClock() {
    Credo.clock = Clock.fixed(Instant.parse("2026-11-22T00:00:00Z"), ZoneOffset.UTC);
  }

  static String fill(Path dir) {
    String data = dir.resolve("store").toString();
    assertThat(
            credo("policy", "activate", CredoCliTest.policy("rongcheng-style"), "--data", data)
                .exit())
        .isZero();
    for (String[] s : CredoCliTest.SAMPLE_SOURCES) {
      assertThat(credo("source", "add", s[0], "--types", s[1], "--data", data).exit()).isZero();
    }
    // Under rongcheng-style alone the samples of the other policies' types are rejected: exit 1.
    assertThat(credo("import", CredoCliTest.RECORDS, "--data", data).exit()).isEqualTo(1);
    assertThat(credo("party", "add", "airline", "--purposes", "air_travel", "--data", data).exit())
        .isZero();
    assertThat(
            credo("token", "create", "--role", "subject", "--subject", SUBJECT, "--data", data)
                .exit())
        .isZero();
    assertThat(credo("score", SUBJECT, "--data", data).exit()).isZero();
    return data;
  }

  @Test
  void theReportListsWhoAskedAboutTheSubject(@TempDir Path dir) throws Exception {
    String data = fill(dir);
    // A server's decision, logged as a server logs it.
    try (Store store = Store.openFolder(dir.resolve("store"), false);
        AuditLog log = AuditLog.open(store)) {
      new org.credo.access.InquiryLog(store, log)
          .append(
              org.credo.subject.SubjectId.parse(SUBJECT),
              new org.credo.access.Inquiry(
                  "airline",
                  org.credo.policy.Purpose.of("air_travel"),
                  "allow",
                  java.util.Optional.of(new org.credo.policy.PolicyRef("rongcheng-style", 1)),
                  "dec-42",
                  Instant.parse("2026-11-21T09:00:00Z")),
              "relying_party:tok-1",
              "decision")
          .join();
    }
    JsonNode report =
        Wire.MAPPER.readTree(credo("report", SUBJECT, "--data", data, "--json").out());
    // The airline's decision, and the operator's score read at the command line (an inquiry the
    // subject sees, as a read at the console is), newest first.
    assertThat(report.get("inquiries")).hasSize(2);
    assertThat(report.at("/inquiries/0/purpose").asText()).isEqualTo("operator_score_read");
    assertThat(report.at("/inquiries/0/party").asText()).startsWith("cli:");
    assertThat(report.at("/inquiries/1/party").asText()).isEqualTo("airline");
    assertThat(report.at("/inquiries/1/purpose").asText()).isEqualTo("air_travel");
    assertThat(credo("report", SUBJECT, "--data", data).out())
        .contains("Who asked about this subject (inquiries, newest first, 3)")
        .contains("airline")
        .contains("operator_report_read");
  }

  @Test
  void everyCommandThatTouchesTheStoreLeavesAnEntryAndTheSubjectSeesItsOwn(@TempDir Path dir)
      throws Exception {
    String data = fill(dir);
    JsonNode report =
        Wire.MAPPER.readTree(credo("report", SUBJECT, "--data", data, "--json").out());
    List<String> seen = new ArrayList<>();
    report.get("audit").forEach(e -> seen.add(e.get("action").asText()));
    // The report's own read is logged once it is made (as at the console): the next one shows it.
    assertThat(seen).containsExactly("subject.score", "token.create");
    assertThat(report.get("audit").toString()).doesNotContain("371082198506120049");
    try (Store store = Store.openFolder(dir.resolve("store"), false);
        AuditLog log = AuditLog.open(store)) {
      List<String> actions = new ArrayList<>();
      log.entries(1, 1000).forEach(e -> actions.add(e.entry().action()));
      assertThat(actions)
          .containsSubsequence(
              "policy.activate",
              "source.add",
              "import.batch",
              "import",
              "party.add",
              "token.create",
              "subject.score",
              "subject.report");
      assertThat(log.entries(1, 1000))
          .filteredOn(e -> e.entry().action().equals("import.batch"))
          .singleElement()
          .satisfies(
              e -> assertThat(e.entry().detail()).startsWith("records=73 rows=1-73 sources="));
    }
  }

  @Test
  void verifyExitsZeroWhenIntactAndOneWithTheFirstBadEntry(@TempDir Path dir) throws Exception {
    String data = fill(dir);
    CredoCliTest.Run ok = credo("audit", "verify", "--data", data);
    assertThat(ok.exit()).as(ok.err()).isZero();
    assertThat(ok.out()).contains("audit log intact").contains("signatures NOT checked");
    JsonNode json = Wire.MAPPER.readTree(credo("audit", "verify", "--data", data, "--json").out());
    assertThat(json.get("ok").asBoolean()).isTrue();
    assertThat(json.get("entries").asLong()).isGreaterThanOrEqualTo(10);

    try (Connection c =
            DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("store/credo.db"));
        Statement s = c.createStatement();
        java.sql.ResultSet rs = s.executeQuery("SELECT entry FROM audit_log WHERE seq = 7");
        java.sql.PreparedStatement u =
            c.prepareStatement("UPDATE audit_log SET entry = ? WHERE seq = 7")) {
      byte[] entry = rs.getBytes(1);
      entry[entry.length - 1] ^= 1; // one byte of entry 7's detail
      u.setBytes(1, entry);
      u.executeUpdate();
    }
    CredoCliTest.Run broken = credo("audit", "verify", "--data", data);
    assertThat(broken.exit()).isEqualTo(1);
    assertThat(broken.err()).contains("audit log BROKEN at entry 7").contains("changed");
    JsonNode bad = Wire.MAPPER.readTree(credo("audit", "verify", "--data", data, "--json").out());
    assertThat(bad.get("firstBad").asLong()).isEqualTo(7);
  }

  @Test
  void verifyChecksCheckpointSignaturesWithTheKeyInTheDataFolder(@TempDir Path dir)
      throws Exception {
    String data = fill(dir);
    SigningKey key = SigningKey.inFolder(dir.resolve("store"));
    try (Store store = Store.openFolder(dir.resolve("store"), false);
        AuditLog log = AuditLog.open(store)) {
      assertThat(log.checkpoint(AuditKeys.signer(key))).isPresent();
    }
    CredoCliTest.Run ok = credo("audit", "verify", "--data", data);
    assertThat(ok.exit()).as(ok.err()).isZero();
    assertThat(ok.out()).contains("1 checkpoints (signatures checked with key " + key.keyId());
    try (Connection c =
            DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("store/credo.db"));
        Statement s = c.createStatement()) {
      s.executeUpdate("UPDATE audit_checkpoints SET signature = zeroblob(64)");
    }
    CredoCliTest.Run broken = credo("audit", "verify", "--data", data);
    assertThat(broken.exit()).isEqualTo(1);
    assertThat(broken.err()).contains("signature of checkpoint");
  }

  @Test
  void theOperatorListsRefusedRequestsNewestFirst(@TempDir Path dir) throws Exception {
    String data = fill(dir);
    try (Store store = Store.openFolder(dir.resolve("store"), false);
        AuditLog log = AuditLog.open(store)) {
      for (int i = 1; i <= 3; i++) {
        log.appendAndWait(
            new org.credo.audit.AuditEntry(
                Instant.parse("2026-11-21T09:00:0" + i + "Z"),
                "unknown-token:00000000000" + i,
                "access.denied",
                null,
                "GET /v1/subjects/{subject}/score 401 unauthenticated from 10.0.0." + i));
      }
    }
    JsonNode listed =
        Wire.MAPPER.readTree(
            credo("audit", "refused", "--limit", "2", "--data", data, "--json").out());
    assertThat(listed.get("entries")).hasSize(2);
    assertThat(listed.at("/entries/0/detail").asText()).endsWith("from 10.0.0.3");
    assertThat(listed.at("/entries/1/detail").asText()).endsWith("from 10.0.0.2");
    assertThat(credo("audit", "refused", "--data", data).out()).contains("3 refused requests");
  }
}
