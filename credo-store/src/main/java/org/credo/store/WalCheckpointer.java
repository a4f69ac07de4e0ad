package org.credo.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the embedded store's write-ahead log back into the database file on a thread of its own.
 *
 * <p>SQLite's default is that the connection whose commit takes the WAL past 1 000 pages copies it
 * back, inside that commit: an import batch or a decision's inquiry then waits for megabytes of
 * random writes and an fsync of the database file. {@link SqliteSource} connections turn that off,
 * and this thread checkpoints ({@code PASSIVE}: it never blocks a reader or the writer) whenever
 * the log has grown past {@link #THRESHOLD_BYTES} — every 2 ms while commits keep coming, so that
 * each checkpoint is small. A commit is as durable as before: it is in the fsync'd log, which
 * SQLite replays on open after a crash.
 *
 * <p>Under a steady load some reader is always inside the log, and SQLite then never starts it
 * over: it grew past 1.5 GB under decisions, and each read searched all of it. Once the log holds
 * {@link #RESTART_BYTES}, all copied back, this thread starts it over ({@code RESTART}), and
 * connections cut the file back to that size ({@code journal_size_limit}).
 */
final class WalCheckpointer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WalCheckpointer.class);

  /** A checkpoint starts once the log holds this much. */
  static final long THRESHOLD_BYTES = 16L << 20;

  /** The log starts over once it holds this much, all of it copied back. */
  static final long RESTART_BYTES = 64L << 20;

  /** How often the log is looked at while idle, and while commits keep coming. */
  private static final long IDLE_POLL_MILLIS = 50;

  private static final long BUSY_POLL_MILLIS = 2;

  private final SqliteSource source;
  private final Path wal;
  private final Thread thread;
  private volatile boolean closing;
  private long pageSize = 4096;

  WalCheckpointer(Path db) {
    this.source = new SqliteSource(db, 2_048);
    this.wal = db.resolveSibling(db.getFileName() + "-wal");
    this.thread = new Thread(this::loop, "credo-wal-checkpointer");
    thread.setDaemon(true);
    thread.start();
  }

  private void loop() {
    Connection c = null;
    long poll = IDLE_POLL_MILLIS;
    long lastFrames = -1;
    long quiet = 0;
    while (!closing) {
      try {
        TimeUnit.MILLISECONDS.sleep(poll);
        if (size() < THRESHOLD_BYTES) {
          poll = IDLE_POLL_MILLIS;
          continue;
        }
        if (c == null) {
          c = source.getConnection();
          pageSize = pageSize(c);
        }
        long[] frames = checkpoint(c, "PASSIVE");
        // While commits keep coming, copy back every 2 ms: many small checkpoints keep each
        // fsync of the database file short, and the commits' own fsyncs of the log wait less
        // behind it (p99 of decisions 115 ms with 50 ms steps, 180-230 ms with 1 s, 22 ms with 2).
        // Idle once nothing was committed for 50 ms.
        quiet = frames[0] != lastFrames ? 0 : quiet + 1;
        poll = quiet * BUSY_POLL_MILLIS < IDLE_POLL_MILLIS ? BUSY_POLL_MILLIS : IDLE_POLL_MILLIS;
        lastFrames = frames[0];
        if (frames[0] * pageSize >= RESTART_BYTES && frames[1] == frames[0]) {
          // All of the log is in the database: start it over. SQLite does so by itself only
          // when a writer finds no reader in the log, which a steady load never leaves it;
          // RESTART holds new writers back for as long as the readers in the log take to finish
          // (it has nothing left to copy).
          checkpoint(c, "RESTART");
        }
      } catch (InterruptedException e) {
        break;
      } catch (SQLException | RuntimeException e) {
        LOG.warn("WAL checkpoint failed (retrying): {}", e.getMessage());
        c = Jdbc.closeQuietly(c);
      }
    }
    Jdbc.closeQuietly(c);
  }

  private long size() {
    try {
      return Files.exists(wal) ? Files.size(wal) : 0;
    } catch (java.io.IOException e) {
      return 0;
    }
  }

  /**
   * Runs a checkpoint.
   *
   * @return the frames in the log and the frames of it now copied back into the database
   */
  private static long[] checkpoint(Connection c, String mode) throws SQLException {
    try (Statement s = c.createStatement();
        java.sql.ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(" + mode + ")")) {
      return rs.next() ? new long[] {rs.getLong(2), rs.getLong(3)} : new long[] {0, 0};
    }
  }

  private static long pageSize(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        java.sql.ResultSet rs = s.executeQuery("PRAGMA page_size")) {
      return rs.next() ? rs.getLong(1) : 4096;
    }
  }

  /** Stops the thread and copies back what it can without waiting for anyone. */
  @Override
  public void close() {
    closing = true;
    thread.interrupt();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (Connection c = source.getConnection()) {
      checkpoint(c, "PASSIVE");
    } catch (SQLException e) {
      LOG.warn("final WAL checkpoint failed: {}", e.getMessage());
    }
  }
}
