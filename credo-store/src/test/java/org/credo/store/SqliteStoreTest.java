package org.credo.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
      assertThat(store.sources()).hasSize(3);
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

  @Test
  void refusesKeysThatDoNotBelongToTheStore() throws IOException {
    Path dir = temp.resolve("keyed");
    Store.openFolder(dir, true).close();
    Files.delete(dir.resolve(Keys.FILE));
    Keys.inFolder(dir, true);
    assertThatThrownBy(() -> Store.openFolder(dir, false)).hasMessageContaining("do not belong");
  }
}
