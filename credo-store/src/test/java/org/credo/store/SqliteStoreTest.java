package org.credo.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.credo.records.Record;
import org.credo.records.RecordType;
import org.credo.records.SourceId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteStoreTest extends StoreContract {
  @TempDir Path temp;
  int stores;

  @Override
  Store freshStore() {
    return Store.openFolder(temp.resolve("store" + stores++), true);
  }

  @Test
  void reopensAStoreWithItsKeysAndRecords() {
    Path dir = temp.resolve("again");
    try (Store store = withSources(Store.openFolder(dir, true))) {
      store.putDisplayName(ALICE, "Wang Fang");
    }
    try (Store store = Store.openFolder(dir, false)) {
      assertThat(store.sources().all()).hasSize(3);
      assertThat(store.displayName(ALICE)).contains("Wang Fang");
    }
  }

  @Test
  void refusesAFolderThatIsNotACredoStore() throws IOException {
    Path other = Files.createDirectories(temp.resolve("other"));
    Files.writeString(other.resolve("notes.txt"), "hello");
    assertThatThrownBy(() -> Store.openFolder(other, true))
        .hasMessageContaining("is not empty and holds no Credo store");
    assertThatThrownBy(() -> Store.openFolder(temp.resolve("missing"), false))
        .hasMessageContaining("holds no Credo store");
    Path file = Files.writeString(temp.resolve("file"), "x");
    assertThatThrownBy(() -> Store.openFolder(file, true)).hasMessageContaining("is a file");
  }

  /** A thousand records with 2 KB of evidence each: about 2 MB of log. */
  static List<Record> bulky(String prefix) {
    String evidence = "x".repeat(2_000);
    List<Record> records = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      records.add(
          new Record(
              SourceId.of("bank"),
              prefix + "-" + i,
              ALICE,
              RecordType.of("bank.arrears"),
              Instant.parse("2026-01-31T00:00:00Z"),
              Instant.parse("2026-02-01T00:00:00Z"),
              Map.of(),
              Optional.of(evidence + i),
              Optional.empty(),
              Optional.empty()));
    }
    return records;
  }

  @Test
  void theCheckpointerCopiesTheLogBackWhileCommitsDoNot() throws Exception {
    Path dir = temp.resolve("checkpointed");
    try (Store store = withSources(Store.openFolder(dir, true))) {
      Path db = dir.resolve("credo.db");
      long before = Files.size(db);
      // About 30 MB of log: commits alone (autocheckpoint off) would leave credo.db as it is.
      for (int batch = 0; batch < 15; batch++) {
        store.append(bulky("w" + batch));
      }
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (Files.size(db) <= before + (10 << 20) && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(Files.size(db)).isGreaterThan(before + (10 << 20));
      assertThat(store.recordCount()).isEqualTo(15_000);
    }
  }

  @Test
  void theLogStartsOverWhileReadersNeverStop() throws Exception {
    // Readers always at work (as under a steady load of decisions) keep SQLite from starting the
    // log over on its own: it would grow without end, and every read would search a longer log.
    Path dir = temp.resolve("restarted");
    try (Store store = withSources(Store.openFolder(dir, true))) {
      Path wal = dir.resolve("credo.db-wal");
      java.util.concurrent.atomic.AtomicBoolean stop =
          new java.util.concurrent.atomic.AtomicBoolean();
      List<Thread> readers = new ArrayList<>();
      for (int t = 0; t < 3; t++) {
        Thread reader =
            new Thread(
                () -> {
                  while (!stop.get()) {
                    store.sources().get(SourceId.of("bank"));
                  }
                });
        reader.start();
        readers.add(reader);
      }
      long largest = 0;
      try {
        for (int batch = 0; batch < 60; batch++) {
          store.append(bulky("r" + batch));
          largest = Math.max(largest, Files.size(wal));
        }
      } finally {
        stop.set(true);
        for (Thread reader : readers) {
          reader.join();
        }
      }
      // About 130 MB went through the log; it started over at about 64 MB.
      assertThat(store.recordCount()).isEqualTo(60_000);
      assertThat(largest).isLessThan(WalCheckpointer.RESTART_BYTES + (40L << 20));
    }
  }

  @Test
  void refusesKeysThatDoNotBelongToTheStore() throws IOException {
    Path dir = temp.resolve("keyed");
    Store.openFolder(dir, true).close();
    Files.delete(dir.resolve(Keys.FILE));
    Keys.inFolder(dir, true);
    assertThatThrownBy(() -> Store.openFolder(dir, false)).hasMessageContaining("do not belong");
  }
}
