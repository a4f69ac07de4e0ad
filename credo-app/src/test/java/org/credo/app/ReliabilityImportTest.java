package org.credo.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.credo.app.records.RecordIntake;
import org.credo.audit.AuditLog;
import org.credo.ingest.ImportException;
import org.credo.ingest.ImportSummary;
import org.credo.ingest.Importer;
import org.credo.ingest.Reject;
import org.credo.records.SourceId;
import org.credo.store.SourceRegistration;
import org.credo.store.Store;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bad-input corpus for {@code credo import}, as data: {@code reliability/import-cases.ndjson},
 * one case a line, each imported through the same use case as the command ({@link
 * RecordIntake#importFile}) into one store, in order.
 *
 * <p>A case: {@code name}; {@code format} (ndjson, csv); {@code source} (the command's {@code
 * --source}, absent for none); {@code input} (text) or {@code inputBase64} (any bytes). Expected:
 * either {@code refused} (words of the file-level refusal; then nothing at all is stored and no
 * line is reported) or {@code summary} (every count) and {@code rejects} (each refused line's
 * number and words of its reason, in order). Always: the counts add up to the lines read, the
 * records table gains exactly the accepted, superseding and retracting lines, and no other table of
 * the product changes (a notice to a subject only when something was stored).
 */
class ReliabilityImportTest {
  static final Instant NOW = Instant.parse("2026-11-22T00:00:00Z");
  static final ObjectMapper JSON = new ObjectMapper();
  static final List<String> WATCHED =
      List.of(
          "records",
          "notifications",
          "consents",
          "disputes",
          "repairs",
          "api_tokens",
          "parties",
          "sources",
          "policies",
          "policy_activations",
          "list_publication",
          "held_records");

  @TempDir static Path dir;
  static Store store;
  static AuditLog log;
  static CredoApplication app;

  @BeforeAll
  static void open() throws Exception {
    store = Store.openFolder(dir, true);
    log = AuditLog.open(store);
    app =
        new CredoApplication(
            store, log, AppSettings.DEFAULTS, Clock.fixed(NOW, ZoneOffset.UTC), null);
    for (String p : List.of("rongcheng-style", "bureau-style")) {
      Path file = Path.of("..", "policies", p + ".yaml");
      app.engine().activate(file.toString(), Files.readString(file), NOW.minusSeconds(3600));
    }
    Instant t0 = NOW.minusSeconds(3600);
    store
        .sources()
        .put(new SourceRegistration(SourceId.of("traffic-police"), List.of("traffic."), t0));
    store
        .sources()
        .put(new SourceRegistration(SourceId.of("court-enforcement"), List.of("court"), t0));
    store.sources().put(new SourceRegistration(SourceId.of("city-bank"), List.of("bank"), t0));
  }

  @AfterAll
  static void close() {
    log.close();
    store.close();
  }

  static List<JsonNode> cases() throws IOException {
    List<JsonNode> out = new ArrayList<>();
    try (InputStream in =
            ReliabilityImportTest.class.getResourceAsStream("/reliability/import-cases.ndjson");
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        if (!line.isBlank() && !line.startsWith("//")) {
          out.add(JSON.readTree(line));
        }
      }
    }
    return out;
  }

  @TestFactory
  Stream<DynamicTest> everyFileIsAccountedForLineByLine() throws IOException {
    List<JsonNode> cases = cases();
    assertThat(cases).hasSizeGreaterThanOrEqualTo(60);
    assertThat(cases.stream().map(c -> c.get("name").asText()).distinct()).hasSize(cases.size());
    return cases.stream().map(c -> DynamicTest.dynamicTest(c.get("name").asText(), () -> run(c)));
  }

  static void run(JsonNode c) throws Exception {
    String name = c.get("name").asText();
    byte[] input =
        c.has("inputBase64")
            ? Base64.getDecoder().decode(c.get("inputBase64").asText())
            : c.get("input").asText().getBytes(StandardCharsets.UTF_8);
    Importer.Format format = Importer.Format.parse(c.get("format").asText());
    RecordIntake.FileOptions options =
        new RecordIntake.FileOptions(
            c.has("source") ? Optional.of(SourceId.of(c.get("source").asText())) : Optional.empty(),
            false);
    Map<String, Long> before = counts();
    List<Reject> rejects = new ArrayList<>();
    if (c.has("refused")) {
      assertThatThrownBy(
              () ->
                  app.recordIntake()
                      .importFile(
                          new ByteArrayInputStream(input),
                          format,
                          options,
                          "operator:test",
                          rejects::add,
                          n -> {}))
          .as(name)
          .isInstanceOf(ImportException.class)
          .satisfies(
              e ->
                  assertThat(e.getMessage().toLowerCase(Locale.ROOT))
                      .contains(c.get("refused").asText().toLowerCase(Locale.ROOT)));
      assertThat(rejects).as(name).isEmpty();
      assertThat(counts()).as(name + ": nothing stored").isEqualTo(before);
      return;
    }
    ImportSummary s =
        app.recordIntake()
            .importFile(
                new ByteArrayInputStream(input),
                format,
                options,
                "operator:test",
                rejects::add,
                n -> {});
    String where = name + " → " + s + " " + rejects;
    // accepted counts the superseding and retracting lines too
    assertThat(s.accepted() + s.duplicate() + s.conflicts() + s.rejected())
        .as(where + ": the counts add up to the lines")
        .isEqualTo(s.lines());
    JsonNode want = c.get("summary");
    assertThat(
            List.of(
                s.lines(),
                s.accepted(),
                s.duplicate(),
                s.conflicts(),
                s.rejected(),
                s.superseding(),
                s.retracting()))
        .as(where)
        .isEqualTo(
            List.of(
                want.get("lines").asLong(),
                want.get("accepted").asLong(),
                want.get("duplicate").asLong(),
                want.get("conflicts").asLong(),
                want.get("rejected").asLong(),
                want.get("superseding").asLong(),
                want.get("retracting").asLong()));
    JsonNode wantRejects = c.path("rejects");
    assertThat(rejects).as(where).hasSize(Math.max(wantRejects.size(), 0));
    for (int i = 0; i < wantRejects.size(); i++) {
      assertThat(rejects.get(i).line()).as(where).isEqualTo(wantRejects.get(i).get(0).asLong());
      assertThat(rejects.get(i).reason().toLowerCase(Locale.ROOT))
          .as(where)
          .contains(wantRejects.get(i).get(1).asText().toLowerCase(Locale.ROOT))
          .doesNotContain("com.fasterxml")
          .doesNotContain("exception");
    }
    Map<String, Long> after = counts();
    Map<String, Long> expected = new LinkedHashMap<>(before);
    long stored = s.accepted();
    expected.merge("records", stored, Long::sum);
    if (stored > 0) {
      expected.put("notifications", after.get("notifications")); // notices about what was stored
    }
    assertThat(after).as(where + ": rows written").isEqualTo(expected);
  }

  static Map<String, Long> counts() {
    Map<String, Long> out = new LinkedHashMap<>();
    for (String table : WATCHED) {
      out.put(
          table,
          store.jdbc().one("SELECT COUNT(*) FROM " + table, rs -> rs.getLong(1)).orElseThrow());
    }
    return out;
  }
}
