package org.credo.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.credo.ingest.Importer;
import org.credo.policy.Policy;
import org.credo.records.SourceId;
import org.credo.scoring.Score;
import org.credo.store.Keys;
import org.credo.store.SourceRegistration;
import org.credo.store.Store;
import org.credo.subject.SubjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine's in-memory index, kept current by imports and rebuilt from the store, gives exactly
 * the scores and distributions that reading the records from the store gives — on SQLite and on a
 * real PostgreSQL server.
 */
class IndexedEngineTest {
  static final Instant NOW = Instant.parse("2026-11-22T00:00:00Z");
  static final List<String> TYPES =
      List.of(
          "traffic.red_light",
          "utility.bill_paid_on_time",
          "volunteer.service_hours",
          "court.judgment_defaulter",
          "loan.repaid_on_time",
          "loan.default",
          "account.late_90",
          "court.civil_judgment",
          "account.paid_as_agreed",
          "endorsement.received");

  /** NDJSON records for {@code subjects} subjects, with ties, corrections and retractions. */
  static String records(long seed, int subjects, int count) {
    Random random = new Random(seed);
    StringBuilder out = new StringBuilder();
    List<String[]> written = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String subject = "person:P-" + random.nextInt(subjects);
      String type = TYPES.get(random.nextInt(TYPES.size()));
      String day =
          "202"
              + (2 + random.nextInt(4))
              + "-0"
              + (1 + random.nextInt(9))
              + "-1"
              + random.nextInt(9);
      String occurred = random.nextBoolean() ? day : day + "T0" + random.nextInt(9) + ":00:00Z";
      String link = "";
      if (!written.isEmpty() && random.nextInt(10) == 0) {
        String[] target = written.get(random.nextInt(written.size()));
        subject = target[1];
        type = target[2];
        link =
            ", \""
                + (random.nextBoolean() ? "supersedes" : "retracts")
                + "\": \""
                + target[0]
                + "\"";
      }
      // Some ids are not ASCII: the rebuilt index orders ties by tie keys SQL builds in UTF-8.
      String id = List.of("", "", "\uff10", "\ud83d\ude00", "\u00e9").get(i % 5) + "r" + i;
      out.append("{\"source\": \"city\", \"id\": \"")
          .append(id)
          .append("\", \"subject\": \"")
          .append(subject)
          .append("\", \"type\": \"")
          .append(type)
          .append("\", \"occurred\": \"")
          .append(occurred)
          // Each type carries the attributes its catalogue entry declares, and no others.
          .append("\", \"attributes\": {")
          .append(
              type.equals("volunteer.service_hours")
                  ? "\"hours\": " + random.nextInt(40)
                  : type.equals("endorsement.received")
                      ? "\"endorser_trust\": " + random.nextInt(100) / 100.0
                      : "")
          .append("}")
          .append(link)
          .append("}\n");
      written.add(new String[] {id, subject, type});
    }
    return out.toString();
  }

  void check(Store store) throws Exception {
    Engine engine = new Engine(store);
    for (String name : List.of("rongcheng-style", "sesame-style", "bureau-style")) {
      Path file = Path.of("..", "policies", name + ".yaml");
      engine.activate(
          file.toString(), Files.readString(file), Instant.parse("2020-01-01T00:00:00Z"));
    }
    store
        .sources()
        .put(
            new SourceRegistration(
                SourceId.of("city"),
                List.of(
                    "traffic", "utility", "volunteer", "court", "loan", "account", "endorsement"),
                NOW));
    engine.buildIndex(NOW);
    List<Policy> policies = engine.activePolicies(NOW);
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    for (int part = 0; part < 3; part++) {
      new Importer(
              store,
              policies,
              clock,
              new Importer.Options(java.util.Optional.empty(), true, 97),
              engine::accepted)
          .run(new StringReader(records(part, 40, 400)), Importer.Format.NDJSON, r -> {}, n -> {});
      engine.trimIndex(); // the next part grows a trimmed index
    }
    Engine plain = new Engine(store);
    Engine rebuilt = new Engine(store);
    long parallel = IndexRows.parallelReadFrom;
    IndexRows.parallelReadFrom = 0; // read the rows on two connections, as a large store is
    Engine.IndexFigures figures;
    try {
      figures = rebuilt.buildIndex(NOW);
    } finally {
      IndexRows.parallelReadFrom = parallel;
    }
    assertThat(figures.records()).isEqualTo(store.recordCount());
    assertThat(engine.indexFigures().orElseThrow().records()).isEqualTo(store.recordCount());
    Random random = new Random(3);
    for (int s = 0; s < 40; s++) {
      SubjectId subject = SubjectId.parse("person:P-" + s);
      Instant asOf = Instant.parse("2022-01-01T00:00:00Z").plusSeconds(random.nextInt(150_000_000));
      List<Score> expected = plain.scores(subject, asOf, NOW);
      for (Engine indexed : List.of(engine, rebuilt)) {
        List<Score> actual = indexed.scores(subject, asOf, NOW);
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
          assertThat(actual.get(i).value())
              .as(subject + " " + asOf)
              .isEqualTo(expected.get(i).value());
          assertThat(actual.get(i).lists()).isEqualTo(expected.get(i).lists());
          assertThat(actual.get(i).contributions()).isEqualTo(expected.get(i).contributions());
          assertThat(actual.get(i).reasonCodes()).isEqualTo(expected.get(i).reasonCodes());
        }
      }
    }
    for (Policy policy : policies) {
      Distribution d = plain.distribution(policy, NOW);
      assertThat(d.subjects()).isPositive();
      for (Engine indexed : List.of(engine, rebuilt)) {
        Distribution i = indexed.distribution(policy, NOW);
        assertThat(i.subjects()).isEqualTo(d.subjects());
        assertThat(i.records()).isEqualTo(d.records());
        assertThat(i.grades()).isEqualTo(d.grades());
        assertThat(i.lists()).isEqualTo(d.lists());
        assertThat(i.histogram()).isEqualTo(d.histogram());
        assertThat(i.unscorable()).isEqualTo(d.unscorable());
        // The unscorable are their own count, never in a bin.
        assertThat(java.util.Arrays.stream(i.histogram()).sum()).isEqualTo(i.scored());
        // Parallel parts add the values in another order.
        assertThat(i.mean()).isCloseTo(d.mean(), org.assertj.core.data.Offset.offset(1e-9));
      }
    }
    assertThat(Set.copyOf(figures.policies())).hasSize(3);
  }

  @Test
  void onSqlite(@TempDir Path dir) throws Exception {
    try (Store store = Store.openFolder(dir.resolve("s"), true)) {
      check(store);
    }
  }

  @Test
  void onPostgres() throws Exception {
    try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
      try (Connection c = postgres.getPostgresDatabase().getConnection();
          Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE credo_index");
      }
      try (Store store =
          Store.openPostgres(
              postgres.getJdbcUrl("postgres", "credo_index"), "postgres", "", Keys.generate())) {
        check(store);
      }
    }
  }
}
