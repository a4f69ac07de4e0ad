package org.credo.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * A little JDBC over a store's pools, for the store and for features with tables of their own. Each
 * call takes a connection for one statement and gives it back at once. Queries may use a pool of
 * their own: the embedded store has a single connection that writes, and a few that only read (WAL
 * lets them read committed data while the writer writes).
 */
public final class Jdbc {
  /** Maps the current row of a result set. */
  public interface Row<T> {
    T map(ResultSet rs) throws SQLException;
  }

  private final DataSource pool;
  private final DataSource reads;

  public Jdbc(DataSource pool) {
    this(pool, pool);
  }

  /**
   * @param pool for transactions and updates
   * @param reads for {@link #query} (the same as {@code pool} where one pool does both)
   */
  public Jdbc(DataSource pool, DataSource reads) {
    this.pool = pool;
    this.reads = reads;
  }

  public DataSource pool() {
    return pool;
  }

  /** Runs a query outside any transaction: it sees what is committed when it starts. */
  public <T> List<T> query(String sql, Row<T> row, Object... args) {
    try (Connection c = reads.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, args);
      List<T> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(row.map(rs));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new StoreException("store query failed: " + e.getMessage(), e);
    }
  }

  /** Work done on one connection inside a transaction. */
  public interface Tx<T> {
    T run(Connection c) throws SQLException;
  }

  /**
   * Runs {@code work} in one transaction on one connection: committed when it returns, rolled back
   * when it throws. Call no other method of this store inside it (the embedded store has one
   * connection).
   */
  public <T> T transaction(Tx<T> work) {
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      try {
        T out = work.run(c);
        c.commit();
        return out;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new StoreException("store transaction failed: " + e.getMessage(), e);
    }
  }

  /** Closes {@code c} if there is one, ignoring a failure (nothing more can be done); null. */
  public static Connection closeQuietly(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException e) {
        // nothing more to do
      }
    }
    return null;
  }

  /** Runs one statement on the transaction's connection. */
  public static int update(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, args);
      return ps.executeUpdate();
    }
  }

  /** Runs one query on the transaction's connection. */
  public static <T> List<T> query(Connection c, String sql, Row<T> row, Object... args)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, args);
      List<T> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(row.map(rs));
        }
      }
      return out;
    }
  }

  public <T> Optional<T> one(String sql, Row<T> row, Object... args) {
    return query(sql, row, args).stream().findFirst();
  }

  public int update(String sql, Object... args) {
    try (Connection c = pool.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, args);
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException("store update failed: " + e.getMessage(), e);
    }
  }

  /** {@code n} placeholders for an {@code IN (…)} list: {@code ?,?,…}. */
  public static String marks(int n) {
    return String.join(",", java.util.Collections.nCopies(n, "?"));
  }

  public static void bind(PreparedStatement ps, Object... args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      Object a = args[i];
      if (a == null) {
        ps.setObject(i + 1, null);
      } else if (a instanceof byte[] bytes) {
        ps.setBytes(i + 1, bytes);
      } else if (a instanceof Long l) {
        ps.setLong(i + 1, l);
      } else if (a instanceof Integer n) {
        ps.setInt(i + 1, n);
      } else {
        ps.setString(i + 1, (String) a);
      }
    }
  }

  /**
   * An instant as microseconds since the epoch, the store's time columns.
   *
   * @throws StoreException for an instant outside about ±292 000 years, which would overflow (the
   *     intakes refuse instants outside 1900–2999 long before)
   */
  public static long micros(Instant i) {
    try {
      return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000L), i.getNano() / 1_000);
    } catch (ArithmeticException e) {
      throw new StoreException("instant " + i + " is out of the store's range", e);
    }
  }

  public static Instant instant(long micros) {
    return Instant.ofEpochSecond(
        Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000) * 1_000L);
  }

  /** A nullable micros column as an instant. */
  public static Optional<Instant> optionalInstant(ResultSet rs, int column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? Optional.empty() : Optional.of(instant(v));
  }
}
