package org.credo.disputes;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.credo.engine.Engine;
import org.credo.ingest.Importer;
import org.credo.records.SourceId;
import org.credo.store.Jdbc;
import org.credo.store.Keys;
import org.credo.store.SourceRegistration;
import org.credo.store.Store;
import org.credo.subject.SubjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Disputes answered and expired at once by several processes on one store — a server's scheduler,
 * {@code credo dispute expire}, another server: each dispute gets exactly one outcome (one
 * suppression or one withdrawal, one closing event, one notice), and no contender fails. The guard
 * is the database's ({@link Disputes}); the other process is a real one, started with {@link
 * DisputeChild}, so that no lock inside one JVM can stand in for it.
 */
class DisputesAcrossProcessesTest {
  static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
  static final Instant OPENED = T0.plus(Duration.ofDays(1));
  static final Instant BEFORE_DEADLINE = OPENED.plus(Duration.ofDays(29));
  static final Instant AFTER_DEADLINE = OPENED.plus(Duration.ofDays(31));
  static final int N = 200;

  @TempDir Path dir;

  // ---- SQLite ---------------------------------------------------------------------------------

  @Test
  void twoStoresOverOneFolderExpireEachDisputeOnce() throws Exception {
    Path folder = dir.resolve("store");
    List<String> ids;
    try (Store store = Store.openFolder(folder, true)) {
      ids = prepare(store);
    }
    try (Store a = Store.openFolder(folder, false);
        Store b = Store.openFolder(folder, false)) {
      Disputes first = new Disputes(new Engine(a));
      Disputes second = new Disputes(new Engine(b));
      CyclicBarrier start = new CyclicBarrier(2);
      CompletableFuture<Integer> one =
          CompletableFuture.supplyAsync(() -> await(start, () -> first.expireDue(AFTER_DEADLINE)));
      CompletableFuture<Integer> two =
          CompletableFuture.supplyAsync(() -> await(start, () -> second.expireDue(AFTER_DEADLINE)));
      assertThat(one.get(60, TimeUnit.SECONDS) + two.get(60, TimeUnit.SECONDS)).isEqualTo(N);
      assertOneOutcomeEach(a, ids, false);
    }
  }

  @Test
  void anExpiryInAnotherProcessAndOneHereExpireEachDisputeOnce() throws Exception {
    Path folder = dir.resolve("store");
    List<String> ids;
    try (Store store = Store.openFolder(folder, true)) {
      ids = prepare(store);
    }
    try (Store store = Store.openFolder(folder, false)) {
      Disputes here = new Disputes(new Engine(store));
      int[] there =
          race(folder.toString(), "expire", AFTER_DEADLINE, () -> here.expireDue(AFTER_DEADLINE));
      assertOneOutcomeEach(store, ids, false);
      childSucceeded();
      assertThat(there[0] + there[2]).as("disputes expired there and here").isEqualTo(N);
    }
  }

  @Test
  void anAnswerHereAndAnExpiryInAnotherProcessNeverBothAct() throws Exception {
    Path folder = dir.resolve("store");
    List<String> ids;
    try (Store store = Store.openFolder(folder, true)) {
      ids = prepare(store);
    }
    try (Store store = Store.openFolder(folder, false)) {
      Disputes here = new Disputes(new Engine(store));
      int[] there =
          race(
              folder.toString(),
              "expire",
              AFTER_DEADLINE,
              () -> DisputeChild.answer(here, ids, BEFORE_DEADLINE)[0]);
      assertOneOutcomeEach(store, ids, true);
      childSucceeded();
      assertThat(there[0] + there[2]).as("expired there, withdrawn here").isEqualTo(N);
    }
  }

  // ---- PostgreSQL -------------------------------------------------------------------------------

  @Test
  void onPostgresqlTooEachDisputeGetsOneOutcome() throws Exception {
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
      Path keysFolder = Files.createDirectories(dir.resolve("keys"));
      Keys keys = Keys.inFolder(keysFolder, true);
      int db = 0;
      for (String mode : List.of("expire", "answer")) {
        String name = "disputes_" + db++;
        try (Connection c = pg.getPostgresDatabase().getConnection();
            Statement s = c.createStatement()) {
          s.execute("CREATE DATABASE " + name);
        }
        String url = pg.getJdbcUrl("postgres", name);
        try (Store store = Store.openPostgres(url, "postgres", null, keys)) {
          List<String> ids = prepare(store);
          Disputes here = new Disputes(new Engine(store));
          int[] there =
              race(
                  url + " " + keysFolder,
                  "expire",
                  AFTER_DEADLINE,
                  mode.equals("expire")
                      ? () -> here.expireDue(AFTER_DEADLINE)
                      : () -> DisputeChild.answer(here, ids, BEFORE_DEADLINE)[0]);
          assertOneOutcomeEach(store, ids, mode.equals("answer"));
          childSucceeded();
          assertThat(there[0] + there[2]).as(mode).isEqualTo(N);
        }
      }
    }
  }

  // ---- helpers ----------------------------------------------------------------------------------

  /** A store with the rongcheng-style policy, N records of N subjects, each record disputed. */
  static List<String> prepare(Store store) throws Exception {
    Engine engine = new Engine(store);
    Path file = Path.of("..", "policies", "rongcheng-style.yaml");
    engine.activate(file.toString(), Files.readString(file), Instant.parse("2020-01-01T00:00:00Z"));
    store.sources().put(new SourceRegistration(SourceId.of("city"), List.of("traffic"), T0));
    StringBuilder ndjson = new StringBuilder();
    for (int i = 0; i < N; i++) {
      ndjson
          .append("{\"source\":\"city\",\"id\":\"t")
          .append(i)
          .append("\",\"subject\":\"person:P-")
          .append(i)
          .append("\",\"type\":\"traffic.red_light\",\"occurred\":\"2026-06-04\"}\n");
    }
    new Importer(
            store,
            engine.activePolicies(T0),
            Clock.fixed(T0, ZoneOffset.UTC),
            Importer.Options.defaults())
        .run(new StringReader(ndjson.toString()), Importer.Format.NDJSON, r -> {}, n -> {});
    Disputes disputes = new Disputes(engine);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < N; i++) {
      ids.add(
          disputes
              .open(
                  SubjectId.parse("person:P-" + i),
                  "city/t" + i,
                  "That was not my car.",
                  "subject:t",
                  OPENED)
              .id());
    }
    return ids;
  }

  interface Work {
    int run() throws Exception;
  }

  /**
   * Starts {@link DisputeChild} on {@code where} doing {@code mode} at {@code at}, lets it and
   * {@code here} start at the same moment, and waits for both.
   *
   * @return what the child closed, what it found closed meanwhile, and what {@code here} closed
   */
  /** Why the last child failed, or null. */
  String childFailure;

  /** The child ended well: checked after the outcomes, which show what went wrong first. */
  void childSucceeded() {
    assertThat(childFailure).as("the child failed").isNull();
  }

  int[] race(String where, String mode, Instant at, Work here) throws Exception {
    String[] place = where.split(" ");
    Path go = dir.resolve("go-" + System.nanoTime());
    Path errors = dir.resolve("child-errors-" + System.nanoTime() + ".txt");
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                DisputeChild.class.getName(),
                place[0],
                place.length > 1 ? place[1] : "-",
                mode,
                at.toString(),
                go.toString())
            .redirectError(errors.toFile())
            .start();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line = out.readLine();
      assertThat(line).as("the child starts: %s", errorsOf(errors)).isEqualTo("READY");
      Files.createFile(go);
      int closedHere = here.run();
      line = out.readLine();
      assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
      childFailure = child.exitValue() == 0 ? null : errorsOf(errors);
      String[] parts = line == null ? new String[] {"", "-1", "-1"} : line.split(" ");
      return new int[] {Integer.parseInt(parts[1]), Integer.parseInt(parts[2]), closedHere};
    } finally {
      child.destroyForcibly();
    }
  }

  private static String errorsOf(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (java.io.IOException e) {
      return e.toString();
    }
  }

  /**
   * Each dispute is closed once, by exactly one outcome: expired with one suppression record, or
   * (when {@code answers}) upheld with one withdrawal and no suppression; one closing event, and
   * the subject told twice (opened, closed). One still open has no outcome at all.
   */
  static void assertOneOutcomeEach(Store store, List<String> ids, boolean answers) {
    Jdbc db = store.jdbc();
    int expired = 0;
    int upheld = 0;
    for (String id : ids) {
      String state =
          db.one("SELECT state FROM disputes WHERE id = ?", rs -> rs.getString(1), id)
              .orElseThrow();
      long suppressions = count(db, "credo", "dispute:" + id + ":suppressed");
      long withdrawals = count(db, "city", "dispute:" + id + ":withdrawn");
      long closings =
          db.one(
                  "SELECT COUNT(*) FROM dispute_events WHERE dispute_id = ? AND state <> 'open'",
                  rs -> rs.getLong(1),
                  id)
              .orElseThrow();
      // Notices are sealed at rest: open each (bound to the subject's pseudonym) to find the id.
      long notices =
          db
              .query(
                  "SELECT details, subject_key FROM notifications",
                  rs -> store.keys().openText(rs.getString(1), rs.getBytes(2)))
              .stream()
              .filter(d -> d != null && d.contains(id))
              .count();
      String seen =
          id
              + ": "
              + state
              + ", suppressions "
              + suppressions
              + ", withdrawals "
              + withdrawals
              + ", closing events "
              + closings
              + ", notices "
              + notices;
      if (state.equals("open")) { // left by a contender that failed
        assertThat(new long[] {suppressions, withdrawals, closings, notices - 1})
            .as(seen)
            .containsOnly(0);
        continue;
      }
      if (state.equals("expired")) {
        expired++;
        assertThat(new long[] {suppressions, withdrawals}).as(seen).containsExactly(1, 0);
      } else {
        upheld++;
        assertThat(answers).as(seen).isTrue();
        assertThat(state).as(seen).isEqualTo("upheld");
        assertThat(new long[] {suppressions, withdrawals}).as(seen).containsExactly(0, 1);
      }
      assertThat(closings).as(seen).isEqualTo(1);
      assertThat(notices).as(seen).isEqualTo(2);
    }
    assertThat(
            db.one("SELECT COUNT(*) FROM records WHERE source_id = 'credo'", rs -> rs.getLong(1))
                .orElseThrow())
        .as("suppression records")
        .isEqualTo(expired);
  }

  private static long count(Jdbc db, String source, String id) {
    return db.one(
            "SELECT COUNT(*) FROM records WHERE source_id = ? AND record_id = ?",
            rs -> rs.getLong(1),
            source,
            id)
        .orElseThrow();
  }

  private static int await(CyclicBarrier start, Work work) {
    try {
      start.await(30, TimeUnit.SECONDS);
      return work.run();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
