package org.credo.store;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.concurrent.locks.LockSupport;
import org.sqlite.BusyHandler;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteDataSource;

/**
 * Connections to an embedded store's file, as every part of Credo opens them: WAL, durable at
 * commit ({@code synchronous=FULL}), foreign keys on, write transactions {@code IMMEDIATE}, a page
 * cache of the given size, no mutex of SQLite's own per call — and a busy handler that waits in
 * short steps.
 *
 * <p>The store's writer and the audit log's writer are two connections to one file, and SQLite lets
 * one of them write at a time. When one finds the other writing, SQLite's own busy handler sleeps
 * 1, 2, 5, 10 … up to 100 ms between tries: a writer that waited once sleeps far longer than the
 * other's transaction lasts. This one tries again every 50 µs for the first 10 ms, then every
 * millisecond, and gives up (SQLITE_BUSY) after 30 s, as the busy timeout did.
 *
 * <p>Commits on these connections do not checkpoint the WAL: a store's {@link WalCheckpointer}
 * does, on a thread of its own. Whatever opens such connections without a store must checkpoint
 * itself.
 */
public final class SqliteSource extends SQLiteDataSource {
  private static final long serialVersionUID = 1L;

  private static final int SHORT_TRIES = 200;
  private static final int LONG_TRIES = 30_000;

  private static final BusyHandler SHORT_WAITS =
      new BusyHandler() {
        @Override
        protected int callback(int tries) {
          if (tries < SHORT_TRIES) {
            LockSupport.parkNanos(50_000);
            return 1;
          }
          if (tries < SHORT_TRIES + LONG_TRIES) {
            LockSupport.parkNanos(1_000_000);
            return 1;
          }
          return 0;
        }
      };

  /**
   * @param db the database file
   * @param cacheKib each connection's page cache, in KiB
   */
  public SqliteSource(Path db, int cacheKib) {
    super(config(cacheKib));
    setUrl("jdbc:sqlite:" + db.toAbsolutePath());
  }

  /**
   * A connection for one long read on one thread (rebuilding the index): read-only, and without
   * SQLite's per-call mutex, which otherwise costs a lock and unlock for every column of every row
   * read.
   */
  public static java.sql.Connection scanConnection(Path db) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true);
    config.setOpenMode(org.sqlite.SQLiteOpenMode.NOMUTEX);
    return config.createConnection("jdbc:sqlite:" + db.toAbsolutePath());
  }

  private static SQLiteConfig config(int cacheKib) {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    config.enforceForeignKeys(true);
    config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    config.setCacheSize(-cacheKib);
    // No per-call mutex inside SQLite: sqlite-jdbc already serializes every call on a connection
    // (its native methods are synchronized on the connection's DB), and the pools hand a
    // connection to one thread at a time. The mutex cost a lock and an unlock for every bound
    // value and every column read: 7 % of the import's writer, 12 % of its rate on 10 M records.
    config.setOpenMode(org.sqlite.SQLiteOpenMode.NOMUTEX);
    return config;
  }

  @Override
  public SQLiteConnection getConnection(String user, String password) throws SQLException {
    SQLiteConnection c = super.getConnection(user, password);
    BusyHandler.setHandler(c, SHORT_WAITS);
    // Commits do not copy the log back into the database: the store's WalCheckpointer does.
    try (java.sql.Statement s = c.createStatement()) {
      s.execute("PRAGMA wal_autocheckpoint=0");
      // When the log starts over, the file is cut back to what the checkpointer lets it reach.
      s.execute("PRAGMA journal_size_limit=" + WalCheckpointer.RESTART_BYTES);
    }
    return c;
  }
}
