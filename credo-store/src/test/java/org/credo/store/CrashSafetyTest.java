package org.credo.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.credo.engine.Engine;
import org.credo.ingest.ImportSummary;
import org.credo.ingest.Importer;
import org.credo.records.SourceId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a real import process with SIGKILL at several points and shows that the store opens
 * cleanly, that every record the import acknowledged survived, and that importing again leaves
 * every record present exactly once.
 */
class CrashSafetyTest {
  static final int RECORDS = 40_000;
  static final int BATCH = 2_000;

  @TempDir Path temp;

  Path prepare() throws Exception {
    Path dir = temp.resolve("store");
    try (Store store = Store.openFolder(dir, true)) {
      store
          .sources()
          .put(
              new SourceRegistration(
                  SourceId.of("traffic-police"), List.of("traffic"), Instant.now()));
      Path policy = Path.of("..", "policies", "rongcheng-style.yaml");
      new Engine(store).activate(policy.toString(), Files.readString(policy), Instant.now());
    }
    return dir;
  }

  Path input() throws IOException {
    Path file = temp.resolve("records.ndjson");
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < RECORDS; i++) {
      b.append("{\"source\":\"traffic-police\",\"id\":\"t")
          .append(i)
          .append("\",\"subject\":\"person:P-")
          .append(i % 5000)
          .append("\",\"type\":\"traffic.red_light\",\"occurred\":\"2026-0")
          .append(1 + i % 9)
          .append("-1")
          .append(i % 10)
          .append("\"}\n");
    }
    return Files.writeString(file, b);
  }

  /**
   * Starts the child import, kills it after {@code acks} acknowledged batches, returns the last
   * ack.
   */
  long importAndKill(Path dir, Path file, int acks) throws Exception {
    return importAndKill(dir, file, acks, () -> {});
  }

  /**
   * As {@link #importAndKill(Path, Path, int)}, running {@code atFirstAck} while the child runs.
   */
  long importAndKill(Path dir, Path file, int acks, Runnable atFirstAck) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                ImportChild.class.getName(),
                dir.toString(),
                file.toString(),
                Integer.toString(BATCH))
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    long acknowledged = 0;
    int seen = 0;
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("ACK ")) {
          acknowledged = Long.parseLong(line.substring(4));
          if (seen == 0) {
            atFirstAck.run();
          }
          if (++seen >= acks) {
            child.destroyForcibly(); // SIGKILL: no shutdown hooks, no clean close
            break;
          }
        }
      }
    }
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return acknowledged;
  }

  static Set<String> ids(Store store) {
    Set<String> ids = new HashSet<>();
    List<String> all = new ArrayList<>();
    store.forEachRecord(r -> all.add(r.source() + "/" + r.id()));
    ids.addAll(all);
    assertThat(all).as("no record is stored twice").hasSameSizeAs(ids);
    return ids;
  }

  @Test
  void everyAcknowledgedRecordSurvivesAKillAndReimportingCompletesExactlyOnce() throws Exception {
    Path dir = prepare();
    Path file = input();
    long previous = 0;
    for (int acks : new int[] {1, 3, 2}) {
      long acknowledged =
          importAndKill(
              dir,
              file,
              acks,
              () -> {
                // The import defers the subject index: no other process may while it runs.
                try (Store beside = Store.openFolder(dir, false)) {
                  assertThat(beside.deferSubjectIndex(Duration.ofHours(1))).isFalse();
                }
              });
      try (Store store = Store.openFolder(dir, false)) {
        long stored = store.recordCount();
        assertThat(stored)
            .as("acknowledged records survive the kill")
            .isGreaterThanOrEqualTo(Math.max(acknowledged, previous));
        assertThat(ids(store)).hasSize((int) stored);
        previous = stored;
      }
    }
    try (Store store = Store.openFolder(dir, false)) {
      assertThat(store.deferSubjectIndex(Duration.ofHours(1)))
          .as("the system dropped the killed import's lock")
          .isTrue();
    }
    try (Store store = Store.openFolder(dir, false)) {
      Engine engine = new Engine(store);
      ImportSummary summary;
      try (var reader = Files.newBufferedReader(file)) {
        summary =
            new Importer(
                    store,
                    engine.activePolicies(Instant.now()),
                    Clock.systemUTC(),
                    Importer.Options.defaults())
                .run(reader, Importer.Format.NDJSON, r -> {}, n -> {});
      }
      assertThat(summary.rejected()).isZero();
      assertThat(summary.accepted() + summary.duplicate()).isEqualTo(RECORDS);
      assertThat(summary.duplicate()).isEqualTo(previous);
      Set<String> ids = ids(store);
      assertThat(ids).hasSize(RECORDS);
      assertThat(ids).contains("traffic-police/t0", "traffic-police/t" + (RECORDS - 1));
      // The import wrote the whole subject index at its end: every subject's 8 records, none
      // left to find in the records' tail.
      assertThat(RecordSubjectIndexTest.count(store, "SELECT below FROM record_subjects_indexed"))
          .isEqualTo(store.lastSeq() + 1);
      assertThat(RecordSubjectIndexTest.indexed(store)).isEqualTo(RECORDS);
      for (int p = 0; p < 5_000; p += 97) {
        assertThat(store.records(org.credo.subject.SubjectId.parse("person:P-" + p))).hasSize(8);
      }
    }
  }

  @Test
  void aFinishedImportLeavesTheStoreConsistent() throws Exception {
    Path dir = prepare();
    Path file = input();
    importAndKill(dir, file, Integer.MAX_VALUE);
    try (Store store = Store.openFolder(dir, false)) {
      assertThat(store.recordCount()).isEqualTo(RECORDS);
      assertThat(
              new Engine(store)
                  .scores(
                      org.credo.subject.SubjectId.parse("person:P-7"),
                      Instant.now(),
                      Instant.now()))
          .singleElement()
          .satisfies(s -> assertThat(s.contributions()).hasSize(8));
    }
  }
}
