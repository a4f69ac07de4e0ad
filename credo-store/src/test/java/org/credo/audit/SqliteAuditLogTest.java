package org.credo.audit;

import java.nio.file.Path;
import org.credo.store.Store;
import org.junit.jupiter.api.io.TempDir;

class SqliteAuditLogTest extends AuditLogContract {
  @TempDir Path temp;

  @Override
  Store freshStore() {
    return Store.openFolder(temp.resolve("store"), true);
  }
}
