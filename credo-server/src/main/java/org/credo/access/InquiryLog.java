package org.credo.access;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;
import org.credo.decisions.Purpose;
import org.credo.policy.PolicyRef;
import org.credo.store.Jdbc;
import org.credo.store.Store;
import org.credo.subject.SubjectId;

/**
 * The inquiry log, written with group commit. Every decision appends its inquiry and waits for the
 * future this returns: one writer thread takes everything queued, inserts it in one transaction,
 * commits (on SQLite with {@code synchronous=FULL}, an fsync), and only then completes the futures.
 * A decision is therefore never answered before its inquiry is durable, yet thousands of decisions
 * a second share a few commits: while one commit runs, the next batch gathers. Nothing waits on a
 * timer; at low load a batch holds one inquiry and commits at once.
 *
 * <p>The writer may have a connection of its own ({@code writer}): on SQLite, whose pool has one
 * connection, that keeps the commit's fsync from blocking the reads that scoring needs (WAL lets
 * readers go on while one connection writes; writers take turns under SQLite's busy timeout).
 */
public final class InquiryLog implements AutoCloseable {
  /** Thrown (through the future) when an inquiry cannot be written: the decision is withheld. */
  public static final class Unavailable extends RuntimeException {
    public Unavailable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private record Pending(byte[] subjectKey, Inquiry inquiry, CompletableFuture<Void> done) {}

  private static final int MAX_BATCH = 5_000;

  private final Store store;
  private final Jdbc db;
  private final DataSource writerSource;
  private final BlockingQueue<Pending> queue;
  private final Thread writer;
  private final LongAdder written = new LongAdder();
  private final LongAdder batches = new LongAdder();
  private final LongAdder commitNanos = new LongAdder();
  private volatile boolean closing;

  public InquiryLog(Store store, int capacity) {
    this(store, store.dataSource(), capacity);
  }

  /**
   * @param writerSource where the writer thread takes its connection (once, and keeps it): the
   *     store's pool, or a connection of its own to the same database
   */
  public InquiryLog(Store store, DataSource writerSource, int capacity) {
    this.store = requireNonNull(store, "store is null");
    this.db = new Jdbc(store.dataSource());
    this.writerSource = requireNonNull(writerSource, "writerSource is null");
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.writer = new Thread(this::writeLoop, "credo-inquiry-writer");
    writer.setDaemon(true);
    writer.start();
  }

  /**
   * Queues an inquiry about {@code subject}. The future completes once it is committed, or fails
   * with {@link Unavailable} if the log is full, closed, or the database refused it.
   */
  public CompletableFuture<Void> append(SubjectId subject, Inquiry inquiry) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (closing) {
      done.completeExceptionally(new Unavailable("the inquiry log is closed", null));
      return done;
    }
    if (!queue.offer(new Pending(store.keys().pseudonym(subject), inquiry, done))) {
      done.completeExceptionally(new Unavailable("the inquiry log is full", null));
    }
    return done;
  }

  /** The subject's inquiries, newest first, at most {@code limit}. */
  public List<Inquiry> list(SubjectId subject, int limit) {
    return db.query(
        "SELECT party_id, purpose, outcome, policy_id, policy_version, decision_id, at_us"
            + " FROM inquiries WHERE subject_key = ? ORDER BY seq DESC LIMIT ?",
        rs -> {
          String policy = rs.getString(4);
          return new Inquiry(
              rs.getString(1),
              Purpose.of(rs.getString(2)),
              rs.getString(3),
              policy == null ? Optional.empty() : Optional.of(new PolicyRef(policy, rs.getInt(5))),
              rs.getString(6),
              Jdbc.instant(rs.getLong(7)));
        },
        store.keys().pseudonym(subject),
        limit);
  }

  /** Inquiries committed since start. */
  public long written() {
    return written.sum();
  }

  /** Commits since start. */
  public long batches() {
    return batches.sum();
  }

  /** Time spent inserting and committing, in seconds, since start. */
  public double commitSeconds() {
    return commitNanos.sum() / 1e9;
  }

  /** Inquiries waiting for a commit. */
  public int waiting() {
    return queue.size();
  }

  private void writeLoop() {
    List<Pending> batch = new ArrayList<>(MAX_BATCH);
    Connection connection = null;
    boolean keep = writerSource != store.dataSource();
    try {
      while (true) {
        Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          if (closing && queue.isEmpty()) {
            return;
          }
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, MAX_BATCH - 1);
        try {
          if (connection == null || connection.isClosed()) {
            connection = writerSource.getConnection();
          }
          write(connection, batch);
          if (!keep) {
            connection = closeQuietly(connection);
          }
        } catch (SQLException | RuntimeException e) {
          Unavailable failure =
              new Unavailable("cannot write the inquiry log: " + e.getMessage(), e);
          batch.forEach(p -> p.done().completeExceptionally(failure));
          connection = closeQuietly(connection);
        }
        batch.clear();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      closeQuietly(connection);
    }
  }

  private static Connection closeQuietly(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException e) {
        // nothing more to do
      }
    }
    return null;
  }

  private void write(Connection c, List<Pending> batch) throws SQLException {
    long started = System.nanoTime();
    {
      c.setAutoCommit(false);
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO inquiries (subject_key, party_id, purpose, outcome, policy_id,"
                  + " policy_version, decision_id, at_us) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
        for (Pending p : batch) {
          Inquiry i = p.inquiry();
          Jdbc.bind(
              ps,
              p.subjectKey(),
              i.party(),
              i.purpose().name(),
              i.outcome(),
              i.policy().map(PolicyRef::id).orElse(null),
              i.policy().map(r -> (Object) r.version()).orElse(null),
              i.decisionId(),
              Jdbc.micros(i.at()));
          ps.addBatch();
        }
        ps.executeBatch();
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    }
    commitNanos.add(System.nanoTime() - started);
    written.add(batch.size());
    batches.increment();
    batch.forEach(p -> p.done().complete(null));
  }

  /** Stops taking inquiries, writes everything queued, and stops the writer. */
  @Override
  public void close() {
    closing = true;
    try {
      writer.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
