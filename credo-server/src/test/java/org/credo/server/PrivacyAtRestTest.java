package org.credo.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.credo.store.Keys;
import org.credo.store.Store;
import org.credo.subject.SubjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Privacy at rest: after a realistic workload — import, records over the API, decisions, scores,
 * reports, consents, certificates, inquiries, the audit log read and verified — no raw subject
 * identifier and no personal name is anywhere in the database: every byte of the SQLite file and
 * its -wal and -shm files, and every row of every PostgreSQL table.
 */
class PrivacyAtRestTest {
  static final String NEWCOMER = "person:110105197803154025"; // arrives through the API only
  static final List<String> SUBJECTS =
      List.of(Fixture.GOOD, Fixture.DEFAULTER, Fixture.STRANGER, NEWCOMER);
  static final List<String> NAMES = List.of("Wang Fang", "Zhang Wei", "Liu Yang");

  /** Free texts about subjects: a dispute's statement and its rejection, a repair's evidence. */
  static final List<String> TEXTS =
      List.of(
          "paid the court in full on 2026-05-05",
          "receipt 7731 was not issued by us",
          "bank transfer 99887766 to the court",
          "transfer 99887766 was returned");

  @TempDir Path dir;

  /** Every form a raw identifier or a name could take in storage. */
  static List<byte[]> needles() {
    List<byte[]> out = new ArrayList<>();
    List<String> texts = new ArrayList<>(NAMES);
    texts.addAll(TEXTS);
    for (String s : SUBJECTS) {
      texts.add(s);
      texts.add(s.substring(s.indexOf(':') + 1)); // the bare number
    }
    for (String t : texts) {
      out.add(t.getBytes(StandardCharsets.UTF_8));
      out.add(t.getBytes(StandardCharsets.UTF_16LE));
      out.add(HexFormat.of().formatHex(t.getBytes(StandardCharsets.UTF_8)).getBytes());
    }
    return out;
  }

  /** The workload, through the real HTTP API; returns how many audit entries it left. */
  static long workload(Fixture f) {
    Api api = f.api;
    f.server.store().putDisplayName(SubjectId.parse(Fixture.GOOD), NAMES.get(0));
    f.server.store().putDisplayName(SubjectId.parse(Fixture.DEFAULTER), NAMES.get(1));
    f.server.store().putDisplayName(SubjectId.parse(NEWCOMER), NAMES.get(2));
    api.post(
            "/v1/records",
            f.court,
            "[{\"id\":\"p-1\",\"subject\":\""
                + NEWCOMER
                + "\",\"type\":\"court.repayment_liability\",\"occurred\":\"2026-06-01\"},"
                + "{\"id\":\"p-2\",\"subject\":\""
                + NEWCOMER
                + "\",\"type\":\"court.judgment_defaulter\",\"occurred\":\"2026-07-01\","
                + "\"evidence\":\"case (2026) Lu 01 Zhi 77\"}]")
        .is(200);
    for (String s : List.of(Fixture.GOOD, Fixture.DEFAULTER, NEWCOMER)) {
      api.post("/v1/decisions", f.airline, Fixture.decision(s, "air_travel")).is(200);
      api.get("/v1/subjects/" + s + "/report", f.operator).is(200);
      api.get("/v1/subjects/" + s + "/score", f.operator).is(200);
      api.get("/v1/subjects/" + s + "/audit", f.auditor).is(200);
    }
    api.post("/v1/decisions", f.airline, Fixture.decision(Fixture.STRANGER, "air_travel")).is(200);
    api.get("/v1/subjects/" + Fixture.STRANGER + "/score", f.operator).is(404);
    api.get("/v1/subjects/" + Fixture.GOOD + "/report", f.good).is(200);
    JsonNode consent =
        api.post(
                "/v1/subjects/" + Fixture.GOOD + "/consents",
                f.good,
                "{\"party\":\"landlord\",\"purpose\":\"rental_deposit_waiver\",\"until\":\"2027-01-01\"}")
            .is(201)
            .json();
    api.post("/v1/decisions", f.landlord, Fixture.decision(Fixture.GOOD, "rental_deposit_waiver"))
        .is(200);
    api.delete("/v1/subjects/" + Fixture.GOOD + "/consents/" + consent.get("id").asText(), f.good)
        .is(200);
    JsonNode cert =
        api.post(
                "/v1/subjects/" + Fixture.GOOD + "/certificates",
                f.good,
                "{\"claims\":[\"grade >= D\",\"not on any black list\"],\"policy\":\"rongcheng-style\"}")
            .is(201)
            .json();
    api.post("/v1/certificates/verify", null, cert.toString()).is(200);
    api.get("/v1/subjects/" + Fixture.GOOD + "/inquiries", f.good).is(200);
    api.get("/v1/subjects/" + Fixture.GOOD + "/audit", f.good).is(200);
    // A dispute, rejected with a reason, and a repair application, refused with a reason.
    String dispute =
        api.post(
                "/v1/disputes",
                f.defaulter,
                DueProcessApiTest.open(Fixture.DEFAULTER, "court-enforcement/jd-1", TEXTS.get(0)))
            .is(201)
            .json()
            .get("id")
            .asText();
    api.post(
            "/v1/disputes/" + dispute + "/resolution",
            f.court,
            "{\"outcome\":\"rejected\",\"reason\":\"" + TEXTS.get(1) + "\"}")
        .is(200);
    JsonNode seen = api.get("/v1/subjects/" + Fixture.DEFAULTER + "/disputes", f.defaulter).json();
    assertThat(seen.toString()).contains(TEXTS.get(0), TEXTS.get(1));
    String repair =
        api.post(
                "/v1/subjects/" + Fixture.DEFAULTER + "/repairs",
                f.defaulter,
                "{\"list\":\"judgment-defaulters\",\"evidence\":\"" + TEXTS.get(2) + "\"}")
            .is(201)
            .json()
            .get("id")
            .asText();
    api.post(
            "/v1/repairs/" + repair + "/decision",
            f.operator,
            "{\"granted\":false,\"reason\":\"" + TEXTS.get(3) + "\"}")
        .is(200);
    assertThat(api.get("/v1/subjects/" + Fixture.DEFAULTER + "/repairs", f.defaulter).body())
        .contains(TEXTS.get(2), TEXTS.get(3));
    assertThat(api.get("/v1/subjects/" + Fixture.DEFAULTER + "/notifications", f.defaulter).body())
        .contains(TEXTS.get(1));
    JsonNode verified = api.get("/v1/audit/verify", f.auditor).is(200).json();
    assertThat(verified.get("ok").asBoolean()).as(verified.toString()).isTrue();
    return verified.get("entries").asLong();
  }

  static void assertHoldsNone(String where, byte[] bytes) {
    for (byte[] needle : needles()) {
      assertThat(indexOf(bytes, needle))
          .as(where + " holds '" + new String(needle, StandardCharsets.ISO_8859_1) + "'")
          .isEqualTo(-1);
    }
  }

  static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i <= hay.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  @Test
  void theSqliteFilesHoldNoRawIdentifierAndNoName() throws Exception {
    Path store = dir.resolve("store");
    Fixture f = new Fixture(Store.openFolder(store, true), store, Fixture.config(store));
    try {
      assertThat(workload(f)).isGreaterThan(20);
      // While the server runs the newest pages are in the -wal file; scan all three.
      scanSqlite(store, true);
    } finally {
      f.close();
    }
    scanSqlite(store, false);
  }

  @Test
  void textsStoredInClearBeforeSealingAreSealedWhenTheStoreIsOpened() throws Exception {
    Path store = dir.resolve("store");
    Fixture f = new Fixture(Store.openFolder(store, true), store, Fixture.config(store));
    String id;
    try {
      workload(f);
      id =
          f.server
              .store()
              .jdbc()
              .one("SELECT id FROM disputes", rs -> rs.getString(1))
              .orElseThrow();
    } finally {
      f.close();
    }
    // As a store written before sealing would hold it.
    try (Connection c =
            java.sql.DriverManager.getConnection("jdbc:sqlite:" + store.resolve("credo.db"));
        Statement s = c.createStatement()) {
      s.executeUpdate("UPDATE disputes SET statement = 'written before sealing'");
      s.executeUpdate("DELETE FROM store_meta WHERE name = 'free_text_sealed'");
    }
    try (Store reopened = Store.openFolder(store, false)) {
      String stored =
          reopened
              .jdbc()
              .one("SELECT statement FROM disputes", rs -> rs.getString(1))
              .orElseThrow();
      assertThat(stored).startsWith(Keys.SEALED_TEXT);
      assertThat(reopened.keys().openText(stored, id)).isEqualTo("written before sealing");
      // Bound to its dispute: the same text under another row's id does not open.
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> reopened.keys().openText(stored, "dsp-000000000000"))
          .hasMessageContaining("cannot be decrypted");
    }
  }

  static void scanSqlite(Path store, boolean walExpected) throws Exception {
    List<String> scanned = new ArrayList<>();
    for (String name : List.of("credo.db", "credo.db-wal", "credo.db-shm")) {
      Path file = store.resolve(name);
      if (Files.exists(file)) {
        assertHoldsNone(file.toString(), Files.readAllBytes(file));
        scanned.add(name);
      }
    }
    assertThat(scanned).contains("credo.db");
    if (walExpected) {
      assertThat(scanned).contains("credo.db-wal");
      assertThat(Files.size(store.resolve("credo.db-wal"))).isPositive();
    }
  }

  @Test
  void thePostgresTablesHoldNoRawIdentifierAndNoName() throws Exception {
    try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
      try (Connection c = postgres.getPostgresDatabase().getConnection();
          Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE credo_privacy");
      }
      String url = postgres.getJdbcUrl("postgres", "credo_privacy");
      Fixture f =
          new Fixture(
              Store.openPostgres(url, "postgres", "", Keys.generate()), dir, Fixture.config(dir));
      List<String> tables = new ArrayList<>();
      try {
        workload(f);
      } finally {
        f.close();
      }
      try (Connection c = java.sql.DriverManager.getConnection(url, "postgres", "");
          Statement s = c.createStatement()) {
        try (ResultSet rs =
            s.executeQuery(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
                    + " ORDER BY table_name")) {
          while (rs.next()) {
            tables.add(rs.getString(1));
          }
        }
        assertThat(tables).contains("records", "subjects", "inquiries", "audit_log", "consents");
        for (String table : tables) {
          // Every row as text (bytea columns as hex), and every bytea column's raw bytes.
          ByteArrayOutputStream dump = new ByteArrayOutputStream();
          try (ResultSet rs = s.executeQuery("SELECT t::text, t FROM \"" + table + "\" t")) {
            while (rs.next()) {
              dump.writeBytes(rs.getString(1).getBytes(StandardCharsets.UTF_8));
              dump.write('\n');
            }
          }
          try (ResultSet rs = s.executeQuery("SELECT * FROM \"" + table + "\"")) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
              for (int i = 1; i <= columns; i++) {
                if (rs.getMetaData().getColumnType(i) == java.sql.Types.BINARY) {
                  byte[] b = rs.getBytes(i);
                  if (b != null) {
                    dump.writeBytes(b);
                  }
                }
              }
            }
          }
          assertHoldsNone("table " + table, dump.toByteArray());
        }
      }
    }
  }
}
